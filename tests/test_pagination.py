"""Deep pages: the same pages as Django's paginator, read from the end when that is shorter."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from core.pagination import DeepPageNumberPagination, DeepPaginator
from tests.factories import AccountFactory


@pytest.fixture
def accounts(alice):
    # Names repeat, so only the primary key orders some of them.
    return [AccountFactory(owner=alice, name=f"Client {n % 4}") for n in range(11)]


@pytest.mark.parametrize(
    "ordering", [("name", "pk"), ("-name", "-pk"), ("-potential_amount", "pk")]
)
@pytest.mark.parametrize("orphans", [0, 2])
def test_every_page_is_the_page_django_gives(accounts, ordering, orphans):
    rows = Account.objects.order_by(*ordering)
    ours, django = DeepPaginator(rows, 3, orphans=orphans), Paginator(rows, 3, orphans=orphans)
    assert ours.num_pages == django.num_pages
    for number in django.page_range:
        assert list(ours.page(number)) == list(django.page(number)), number


def test_a_back_page_is_read_backwards_with_a_short_offset(accounts):
    paginator = DeepPaginator(Account.objects.order_by("name", "pk"), 3)
    paginator.count  # noqa: B018 (the count is a query of its own)
    with CaptureQueriesContext(connection) as queries:
        last = list(paginator.page(paginator.num_pages))
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert 'ORDER BY "accounts_account"."name" DESC' in sql and "OFFSET" not in sql
    assert last == list(Account.objects.order_by("name", "pk"))[9:]


def test_an_ordering_without_the_pk_last_is_paged_as_django_does(accounts):
    rows = Account.objects.order_by("name")
    with CaptureQueriesContext(connection) as queries:
        list(DeepPaginator(rows, 3).page(4))
    assert "DESC" not in queries.captured_queries[-1]["sql"]


def test_the_last_account_page_shows_the_last_accounts(client, alice, accounts):
    AccountFactory.create_batch(19, owner=alice)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        last = client.get(reverse("accounts:list"), {"page": 2}).context["page"]
    assert list(last) == list(Account.objects.order_by("name", "pk"))[25:]
    assert any('"name" DESC' in q["sql"] for q in queries.captured_queries)


def test_the_api_reads_its_last_page_backwards_too(client, alice, accounts, monkeypatch):
    monkeypatch.setattr(DeepPageNumberPagination, "page_size", 3)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/accounts/", {"page": 4}).json()
    names = [row["name"] for row in body["results"]]
    assert names == [a.name for a in Account.objects.order_by("name", "pk")][9:]
    # The list reads plain rows, so the name is ordered by its column's place ("ORDER BY 2").
    assert any('DESC, "accounts_account"."id" DESC' in q["sql"] for q in queries.captured_queries)
