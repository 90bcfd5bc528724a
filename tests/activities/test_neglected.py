"""Neglected accounts (past their tier's contact cadence) and planned-and-done per cadence."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from activities.models import ContactCadence
from activities.selectors import cadence_summary
from team.models import User
from tests.activities.conftest import NOW
from tests.factories import AccountFactory, ActivityFactory

URL = reverse("activities:neglected")


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def contacted(owner, tier, days_ago, name=None, **kwargs):
    account = AccountFactory(owner=owner, tier=tier, **({"name": name} if name else {}))
    if days_ago is not None:
        ActivityFactory(
            account=account, status="done", type="call", starts_at=NOW - timedelta(days=days_ago)
        )
    type(account).objects.filter(pk=account.pk).update(created_at=NOW - timedelta(days=365))
    return account


def test_neglected_lists_accounts_past_cadence_in_scope(client, frozen, alice, bob, charlie):
    a_late = contacted(alice, "A", 15, "A late")
    contacted(alice, "A", 13, "A fine")
    b_late = contacted(bob, "B", 35, "B late")
    c_never = contacted(alice, "C", None, "C never")
    contacted(charlie, "A", 60, "South")

    client.force_login(alice)
    assert [a.name for a in client.get(URL).context["page"]] == ["C never", "A late"]

    client.force_login(User.objects.get(username="dora"))
    names = [a.name for a in client.get(URL).context["page"]]
    assert names == ["C never", "B late", "A late"]
    filtered = client.get(URL, {"owner": bob.pk}).context["page"]
    assert [a.pk for a in filtered] == [b_late.pk]
    assert a_late.pk and c_never.pk


def test_the_cadence_per_tier_is_configurable(client, frozen, alice):
    contacted(alice, "A", 15, "A late")
    ContactCadence.objects.update_or_create(tier="A", defaults={"days": 21})
    client.force_login(alice)
    assert list(client.get(URL).context["page"]) == []


def test_a_planned_contact_shows_as_next_planned(client, frozen, alice):
    account = contacted(alice, "A", 20)
    ActivityFactory(account=account, starts_at=NOW + timedelta(days=2))
    client.force_login(alice)
    (row,) = client.get(URL).context["page"]
    assert row.next_planned == NOW + timedelta(days=2)


def test_cadence_summary_counts_contacted_planned_and_neither(alice, bob):
    contacted(alice, "A", 3)  # contacted
    planned = contacted(alice, "A", 30)  # lapsed, but planned within 14 days
    ActivityFactory(account=planned, starts_at=NOW + timedelta(days=5))
    contacted(alice, "A", 30)  # neither
    contacted(alice, "C", 60)  # contacted within 90 days
    contacted(bob, "A", 1)

    rows = cadence_summary(user=alice, now=NOW, owners=User.objects.filter(pk=alice.pk))

    assert [(r.tier, r.accounts, r.contacted, r.planned, r.uncovered) for r in rows] == [
        ("A", 3, 1, 1, 1),
        ("C", 1, 1, 0, 0),
    ]


def test_garbage_owner_shows_a_message(client, frozen, dora):
    client.force_login(dora)
    response = client.get(URL, {"owner": "nobody", "page": "x"})
    assert response.status_code == 200
    assert "not understood" in response.content.decode()


@pytest.mark.parametrize("n", [2, 5])
def test_neglected_query_count_does_not_grow(
    client, frozen, dora, alice, bob, django_assert_num_queries, n
):
    for i in range(n):
        contacted((alice, bob)[i % 2], "A", 20 + i)
    client.force_login(dora)
    # session, user, cadence per tier (list), count, the page of accounts, cadence per tier
    # (summary), the KAMs of the territory, the summary rows, the KAM select, the bell, the
    # menu's count of offers waiting for the director's approval
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert response.context["page"].paginator.count == n
