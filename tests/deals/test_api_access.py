"""Who may do what through the deals API: the role matrix, written as tables.

Records live under three accounts: A = alice's and B = bob's (North, director dora) and
C = charlie's (South, director sam). fiona is finance (reads everything, changes nothing),
adam the admin. See `books` in tests/deals/conftest.py.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Model

from deals.models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    Offer,
    OfferLine,
    Order,
    Return,
)
from tests.deals.conftest import Book

PERSONAS = ["alice", "bob", "charlie", "dora", "sam", "fiona", "adam"]
TARGETS = ["A", "B", "C"]


@dataclass(frozen=True)
class Endpoint:
    model: type[Model]
    record: Callable[[Book], Model]
    patch: dict | None  # a change the owner may make; None: no PATCH (405)
    changed: Callable[[Model], bool]
    create: Callable[[Book], dict]
    deletes: str  # "editors", "managers" (directors, admins) or "nobody" (405)


SPEC = {
    "deals": Endpoint(
        Deal,
        lambda b: b.deal,
        {"next_step": "Renamed", "version": 1},
        lambda d: d.next_step == "Renamed",
        lambda b: {"account": b.deal.account_id, "title": "New"},
        "managers",
    ),
    "offers": Endpoint(
        Offer,
        lambda b: b.offer,
        {"terms": "Renamed"},
        lambda o: o.terms == "Renamed",
        lambda b: {"deal": b.deal.pk},
        "editors",
    ),
    "offer-lines": Endpoint(
        OfferLine,
        lambda b: b.line,
        {"quantity": "7"},
        lambda line: line.quantity == 7,
        lambda b: {"offer": b.offer.pk, "product": b.line.product_id, "quantity": "2"},
        "editors",
    ),
    "contracts": Endpoint(
        Contract,
        lambda b: b.contract,
        {"notes": "Renamed"},
        lambda c: c.notes == "Renamed",
        lambda b: {
            "account": b.contract.account_id,
            "number": f"NEW/{b.contract.pk}",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "value": "1000.00",
        },
        "nobody",
    ),
    "contract-obligations": Endpoint(
        ContractObligation,
        lambda b: b.obligation,
        None,
        lambda o: False,
        lambda b: {
            "contract": b.contract.pk,
            "kind": "pay",
            "description": "Pay",
            "due_date": "2026-12-01",
        },
        "editors",
    ),
    "orders": Endpoint(
        Order,
        lambda b: b.order,
        None,  # a delivered order no longer changes: see the dedicated test
        lambda o: False,
        lambda b: {"account": b.order.account_id, "requested_date": "2026-12-01"},
        "nobody",
    ),
    "returns": Endpoint(
        Return,
        lambda b: b.item,
        None,
        lambda r: False,
        lambda b: {"order_line": b.item.order_line_id, "quantity": "1", "reason": "late"},
        "editors",
    ),
    "complaints": Endpoint(
        Complaint,
        lambda b: b.complaint,
        {"subject": "Renamed"},
        lambda c: c.subject == "Renamed",
        lambda b: {"account": b.complaint.account_id, "subject": "Late again"},
        "managers",
    ),
}
ENDPOINTS = list(SPEC)

# The accounts whose records each persona lists.
SEES = {"alice": "A", "bob": "B", "charlie": "C", "dora": "AB", "sam": "C", "fiona": "ABC"}
SEES["adam"] = "ABC"
EDITS = {"alice": "A", "bob": "B", "charlie": "C", "dora": "AB", "sam": "C", "adam": "ABC"}
MANAGES = {"dora": "AB", "sam": "C", "adam": "ABC"}


def _status(persona: str, target: str, *, write: bool) -> int:
    if target not in SEES[persona]:
        return 404
    if write and target not in EDITS.get(persona, ""):
        return 403
    return 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_shows_exactly_the_records_in_the_personas_scope(api_as, books, persona, endpoint):
    response = api_as(persona).get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    spec = SPEC[endpoint]
    expected = {spec.record(books[key]).pk for key in SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_retrieve_answers_404_outside_scope(api_as, books, persona, target, endpoint):
    record = SPEC[endpoint].record(books[target])
    response = api_as(persona).get(f"/api/v1/{endpoint}/{record.pk}/")
    assert response.status_code == _status(persona, target, write=False)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if SPEC[e].patch])
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_patch_answers_by_scope_and_refused_patches_change_nothing(
    api_as, books, persona, target, endpoint
):
    spec = SPEC[endpoint]
    record = spec.record(books[target])
    response = api_as(persona).patch(f"/api/v1/{endpoint}/{record.pk}/", spec.patch, format="json")
    expected = _status(persona, target, write=True)
    assert response.status_code == expected, response.content
    assert spec.changed(spec.model.objects.get(pk=record.pk)) == (expected == 200)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_answers_by_scope_and_role(api_as, books, persona, target, endpoint):
    spec = SPEC[endpoint]
    record = spec.record(books[target])
    response = api_as(persona).delete(f"/api/v1/{endpoint}/{record.pk}/")
    if spec.deletes == "nobody":
        expected = 405
    else:
        expected = _status(persona, target, write=True)
        allowed = EDITS if spec.deletes == "editors" else MANAGES
        if expected == 200:
            expected = 204 if target in allowed.get(persona, "") else 403
    assert response.status_code == expected, response.content
    assert spec.model.objects.filter(pk=record.pk).exists() == (expected != 204)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_create_answers_by_scope_and_refused_creates_add_nothing(
    api_as, books, persona, target, endpoint
):
    spec = SPEC[endpoint]
    before = spec.model.objects.count()
    response = api_as(persona).post(
        f"/api/v1/{endpoint}/", spec.create(books[target]), format="json"
    )
    if persona == "fiona":
        expected = 403
    elif target not in SEES[persona]:
        expected = 400  # the id points outside scope: answered like an unknown id
    else:
        expected = 201
    assert response.status_code == expected, response.content
    assert spec.model.objects.count() == before + (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_reads_the_price_list_and_nobody_changes_it_here(api_as, books, persona):
    client = api_as(persona)
    assert client.get("/api/v1/products/").json()["count"] == 1
    assert client.post("/api/v1/products/", {"sku": "X"}, format="json").status_code in (403, 405)


ACTIONS = [
    # (endpoint, action, body): each one changes the A record for someone who may
    ("deals", "move", {"stage": "negotiation"}),
    ("offers", "send", {}),
    ("contracts", "status", {"status": "expiring"}),
    ("contract-obligations", "done", {}),
    ("complaints", "resolve", {"resolution": "Credit note"}),
]


@pytest.mark.parametrize(("endpoint", "name", "body"), ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_actions_answer_by_scope(api_as, books, persona, endpoint, name, body):
    record = SPEC[endpoint].record(books["A"])
    response = api_as(persona).post(f"/api/v1/{endpoint}/{record.pk}/{name}/", body, format="json")
    expected = 403 if persona == "fiona" else _status(persona, "A", write=True)
    assert response.status_code == expected, response.content
