"""Query budgets for the deals pages and API: fixed per request, however many rows come back.

Every request with a session costs two queries before the view runs (session, user), and
every page one for the bell's unread count (not listed below). Pages seen by a director cost
one more for the menu's count of offers waiting for approval. Every list page one for its saved
views.
`grow(n)` adds n accounts in dora's territory, each with a full book (deal with its stage
history, offer with a line, contract with an obligation, delivered order with a line and a
return, complaint), alternating between alice's and bob's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.models import Offer
from tests.deals.conftest import book_build
from tests.deals.factories import OfferLineFactory, ProductFactory
from tests.factories import AccountFactory


@pytest.fixture
def grow(alice, bob, product):
    books = []

    def add(n: int):
        for i in range(n):
            book = book_build(AccountFactory(owner=(alice, bob)[i % 2]), product)
            OfferLineFactory(offer=book.offer, product=ProductFactory())
            Offer.objects.filter(pk=book.offer.pk).update(status="pending_approval")
            books.append(book)
        return books

    return add


PAGE_BUDGETS = [
    # (url name, queries), as dora
    # session, user, approvals count (menu), sums by stage, currency and owner (the columns'
    # and the KAMs' totals), the first cards' ids (window), those cards by id with only the
    # columns drawn, their latest offers with totals
    ("deals:board", 8),
    # session, user, count, page of deals with account and owner, totals per currency, menu
    # count (the owner picker reads no choices until one is chosen)
    ("deals:deal_list", 8),
    # session, user, queue of offers with deal, account, owner, creator and totals, menu count,
    # credit overrides waiting (receivables' approval panel)
    ("deals:approvals", 6),
    # session, user, count, page of contracts with account and deal, totals, menu count
    ("deals:contract_list", 8),
    # session, user, count, page of orders with account, contract, totals and late flag,
    # totals per currency, menu
    ("deals:order_list", 8),
    # session, user, count, page of returns with line, order, account, product, user,
    # totals per currency, menu
    ("deals:return_list", 8),
    # session, user, count, page of complaints with account and contact, menu count
    ("deals:complaint_list", 7),
    # session, user, totals, by reason, by product, by account, menu count
    ("deals:returns_analysis", 8),
]


@pytest.mark.parametrize(("url_name", "budget"), PAGE_BUDGETS)
def test_list_pages_run_a_fixed_number_of_queries(
    client, dora, grow, django_assert_num_queries, url_name, budget
):
    client.force_login(dora)
    grow(2)
    with django_assert_num_queries(budget):
        client.get(reverse(url_name))
    grow(4)
    with django_assert_num_queries(budget):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


DETAIL_BUDGETS = [
    # (url name, which record, queries), as alice: no menu count for a KAM
    # session, user, deal with account and owner, stage changes with users, offers with
    # totals and creators, contracts, history with users
    ("deals:deal_detail", "deal", 8),
    # session, user, offer (access), offer with deal, account, owner, creator and decider,
    # lines with products and categories, discount limits for the tier, versions with
    # totals, history with users (the offer waits for approval: no line form to fill);
    # receivables' credit panel: the offer's total, credit profile, open invoices, orders not
    # invoiced, live offers, the offer's overrides; commissions' panel: the scheme rules
    # (schemes, brackets, multipliers, versions, assignments), the deal's invoices and their
    # lines, the offer's lines, the month's plan (the KAM has none: no invoiced sums)
    ("deals:offer_detail", "offer", 23),
    # session, user, contract with account and deal, obligations, orders with totals, history
    ("deals:contract_detail", "contract", 7),
    # session, user, order with account and contract, lines with products and returned
    # quantities, returns, history, the order's lines for the return form (delivered: no
    # line form)
    ("deals:order_detail", "order", 8),
]


@pytest.mark.parametrize(("url_name", "attr", "budget"), DETAIL_BUDGETS)
def test_detail_pages_run_a_fixed_number_of_queries(
    client, alice, grow, django_assert_num_queries, url_name, attr, budget
):
    client.force_login(alice)
    book = grow(1)[0]
    for _ in range(2):
        OfferLineFactory(offer=book.offer, product=ProductFactory())
    with django_assert_num_queries(budget):
        client.get(reverse(url_name, args=[getattr(book, attr).pk]))
    for _ in range(4):
        OfferLineFactory(offer=book.offer, product=ProductFactory())
    with django_assert_num_queries(budget):
        response = client.get(reverse(url_name, args=[getattr(book, attr).pk]))
    assert response.status_code == 200


API_BUDGETS = [
    # (endpoint, queries, rows per account), as dora
    # session, user, count, deals with account, owner and competitor
    ("deals", 4, 1),
    # session, user, count, offers with deal, account, owner and totals, their lines, the
    # lines' products
    ("offers", 6, 1),
    # session, user, count, lines with offer, deal, account and product
    ("offer-lines", 4, 2),
    # session, user, count, contracts with account and deal, their obligations
    ("contracts", 5, 1),
    # session, user, count, obligations with contract and account
    ("contract-obligations", 4, 1),
    # session, user, count, orders with account, contract, totals and late flag, their lines
    ("orders", 5, 1),
    # session, user, count, returns with line, order, account, product and user
    ("returns", 4, 1),
    # session, user, count, complaints with account and contact
    ("complaints", 4, 1),
    # session, user, count, products with category
    ("products", 4, None),
]


@pytest.mark.parametrize(("endpoint", "budget", "per_account"), API_BUDGETS)
def test_api_lists_run_a_fixed_number_of_queries(
    api_as, dora, grow, django_assert_num_queries, endpoint, budget, per_account
):
    client = api_as("dora")
    grow(2)
    with django_assert_num_queries(budget):
        client.get(f"/api/v1/{endpoint}/")
    grow(4)
    with django_assert_num_queries(budget):
        response = client.get(f"/api/v1/{endpoint}/")
    if per_account:
        assert len(response.json()["results"]) == 6 * per_account


def test_account_page_panel_lists_deals_contracts_orders_and_complaints(
    client, alice, alice_account, product
):
    book = book_build(alice_account, product)
    client.force_login(alice)
    page = client.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()
    for text in (
        book.deal.title,
        book.contract.number,
        f"#{book.order.pk}",
        book.complaint.subject,
    ):
        assert text in page


def test_catalogue_runs_a_fixed_number_of_queries(client, dora, grow, django_assert_num_queries):
    client.force_login(dora)
    grow(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("deals:catalogue"))
    grow(6)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("deals:catalogue"))
    assert response.status_code == 200
    assert len(response.context["page"]) >= 8
