"""Every deals page against every role: nothing leaks, nothing outside scope changes.

Personas (tests/conftest.py): alice and bob are KAMs in North under director dora; charlie is
a KAM in South under sam; fiona is finance; adam is admin. The subject is alice's book (a
deal, an offer, a contract, an order, a return and a complaint under her account).
"""

import pytest
from django.urls import reverse

from deals.models import Complaint, Contract, ContractObligation, Deal, Offer, OfferLine, Order

OUTSIDE, READ_ONLY, READ_WRITE, MANAGE = "outside", "read-only", "read-write", "manage"
SCOPE = {
    "alice": READ_WRITE,  # owner KAM
    "bob": OUTSIDE,  # teammate in the same territory
    "charlie": OUTSIDE,  # KAM in another territory
    "dora": MANAGE,  # alice's director
    "sam": OUTSIDE,  # director of another territory
    "fiona": READ_ONLY,  # finance: reads money, changes nothing
    "adam": MANAGE,  # admin
}
VIEW_STATUS = {OUTSIDE: 404, READ_ONLY: 200, READ_WRITE: 200, MANAGE: 200}
WRITE_STATUS = {OUTSIDE: 404, READ_ONLY: 403, READ_WRITE: 200, MANAGE: 200}

DETAIL_PAGES = [
    ("deals:deal_detail", "deal"),
    ("deals:offer_detail", "offer"),
    ("deals:contract_detail", "contract"),
    ("deals:order_detail", "order"),
    ("deals:complaint_detail", "complaint"),
]
EDIT_PAGES = [
    ("deals:deal_edit", "deal"),
    ("deals:offer_edit", "offer"),
    ("deals:contract_edit", "contract"),
    ("deals:order_edit", "order"),
    ("deals:complaint_edit", "complaint"),
]
LIST_PAGES = [
    "deals:board",
    "deals:deal_list",
    "deals:approvals",
    "deals:catalogue",
    "deals:contract_list",
    "deals:order_list",
    "deals:return_list",
    "deals:returns_analysis",
    "deals:complaint_list",
]
CREATE_PAGES = [
    "deals:deal_create",
    "deals:contract_create",
    "deals:order_create",
    "deals:complaint_create",
]


def _subject(books, name):
    book = books["A"]
    return {"deal": book.deal, "offer": book.offer, "contract": book.contract}.get(name) or getattr(
        book, name
    )


@pytest.mark.parametrize("persona", SCOPE)
@pytest.mark.parametrize(("url_name", "subject"), DETAIL_PAGES)
def test_detail_pages_are_visible_only_in_scope(
    client, personas, books, persona, url_name, subject
):
    client.force_login(personas[persona])
    response = client.get(reverse(url_name, args=[_subject(books, subject).pk]))
    assert response.status_code == VIEW_STATUS[SCOPE[persona]]


@pytest.mark.parametrize("persona", SCOPE)
@pytest.mark.parametrize(("url_name", "subject"), EDIT_PAGES)
def test_edit_forms_open_only_for_those_who_may_change_the_account(
    client, personas, books, persona, url_name, subject
):
    client.force_login(personas[persona])
    response = client.get(reverse(url_name, args=[_subject(books, subject).pk]))
    assert response.status_code == WRITE_STATUS[SCOPE[persona]]


@pytest.mark.parametrize("persona", SCOPE)
@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_open_for_everyone_signed_in(client, personas, books, persona, url_name):
    client.force_login(personas[persona])
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("persona", SCOPE)
def test_deal_list_and_board_show_only_deals_in_scope(client, personas, books, persona):
    client.force_login(personas[persona])
    titles = {key: book.deal.title for key, book in books.items()}
    expected = {
        "alice": "A",
        "bob": "B",
        "charlie": "C",
        "dora": "AB",
        "sam": "C",
        "fiona": "ABC",
        "adam": "ABC",
    }[persona]
    listed = {deal.title for deal in client.get(reverse("deals:deal_list")).context["page"]}
    board = client.get(reverse("deals:board")).context["board"]
    on_board = {card.deal.title for column in board.columns for card in column.cards}
    assert listed == on_board == {titles[key] for key in expected}


@pytest.mark.parametrize("persona", SCOPE)
@pytest.mark.parametrize("url_name", CREATE_PAGES)
def test_create_pages_are_for_the_sales_side(client, personas, persona, url_name):
    client.force_login(personas[persona])
    response = client.get(reverse(url_name))
    assert response.status_code == (403 if persona == "fiona" else 200)


def _post_everything(client, book):
    """One write per page that changes something, each as the owner would send it."""
    return [
        client.post(reverse("deals:deal_move", args=[book.deal.pk]), {"stage": "negotiation"}),
        client.post(
            reverse("deals:offer_line_add", args=[book.offer.pk]),
            {"product": book.line.product_id, "quantity": "3", "discount": "1"},
        ),
        client.post(
            reverse("deals:offer_line_edit", args=[book.line.pk]),
            {"quantity": "7", "discount": "2"},
        ),
        client.post(
            reverse("deals:contract_move", args=[book.contract.pk]), {"status": "expiring"}
        ),
        client.post(
            reverse("deals:obligation_add", args=[book.contract.pk]),
            {"party": "client", "kind": "pay", "description": "Pay", "due_date": "2026-12-01"},
        ),
        client.post(
            reverse("deals:complaint_resolve", args=[book.complaint.pk]), {"resolution": "Credited"}
        ),
    ]


@pytest.mark.parametrize("persona", SCOPE)
def test_posts_answer_by_scope_and_refused_ones_change_nothing(client, personas, books, persona):
    client.force_login(personas[persona])
    book = books["A"]
    responses = _post_everything(client, book)
    expected = WRITE_STATUS[SCOPE[persona]]
    assert {r.status_code for r in responses} == ({302} if expected == 200 else {expected})
    changed = {
        Deal.objects.get(pk=book.deal.pk).stage == "negotiation",
        OfferLine.objects.filter(offer=book.offer).count() == 2,
        OfferLine.objects.get(pk=book.line.pk).quantity == 7,
        Contract.objects.get(pk=book.contract.pk).status == "expiring",
        ContractObligation.objects.filter(contract=book.contract).count() == 2,
        Complaint.objects.get(pk=book.complaint.pk).status == "resolved",
    }
    assert changed == {expected == 200}


@pytest.mark.parametrize("persona", SCOPE)
def test_deals_are_deleted_only_by_directors_and_admins(client, personas, books, persona):
    client.force_login(personas[persona])
    deal = books["A"].deal
    response = client.post(reverse("deals:deal_delete", args=[deal.pk]))
    expected = {OUTSIDE: 404, READ_ONLY: 403, READ_WRITE: 403, MANAGE: 302}[SCOPE[persona]]
    assert response.status_code == expected
    assert Deal.objects.filter(pk=deal.pk).exists() == (expected != 302)


@pytest.mark.parametrize("persona", SCOPE)
def test_order_and_offer_actions_outside_scope_change_nothing(client, personas, books, persona):
    client.force_login(personas[persona])
    book = books["A"]
    client.post(reverse("deals:offer_action", args=[book.offer.pk, "send"]))
    client.post(
        reverse("deals:return_create", args=[book.order.pk]),
        {"order_line": book.item.order_line_id, "quantity": "1", "reason": "late"},
    )
    may_write = WRITE_STATUS[SCOPE[persona]] == 200
    assert (Offer.objects.get(pk=book.offer.pk).status == "sent") == may_write
    assert (book.item.order_line.returns.count() == 2) == may_write
    assert Order.objects.get(pk=book.order.pk).status == "delivered"


@pytest.mark.parametrize("method", ["get", "put", "patch"])
@pytest.mark.parametrize(
    "url_name",
    ["deals:deal_move", "deals:deal_delete", "deals:contract_move", "deals:complaint_resolve"],
)
def test_action_urls_accept_only_post(client, alice, books, method, url_name):
    client.force_login(alice)
    book = books["A"]
    pk = {
        "deals:deal_move": book.deal.pk,
        "deals:deal_delete": book.deal.pk,
        "deals:contract_move": book.contract.pk,
        "deals:complaint_resolve": book.complaint.pk,
    }[url_name]
    assert getattr(client, method)(reverse(url_name, args=[pk])).status_code == 405
