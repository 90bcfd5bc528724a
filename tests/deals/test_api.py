"""The deals API: actions, conflicts (409), bad input (400 with field errors), the schema."""

import pytest
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deals.models import Deal, Offer

ENDPOINTS = [
    "products",
    "deals",
    "offers",
    "offer-lines",
    "contracts",
    "contract-obligations",
    "orders",
    "returns",
    "complaints",
]


def test_offer_goes_through_approval_by_api(api_as, books, product):
    offer = books["A"].offer
    kam, director = api_as("alice"), api_as("dora")
    kam.patch(f"/api/v1/offer-lines/{books['A'].line.pk}/", {"discount": "30"}, format="json")

    refused = kam.post(f"/api/v1/offers/{offer.pk}/send/")
    submitted = kam.post(f"/api/v1/offers/{offer.pk}/submit/")
    approved = director.post(
        f"/api/v1/offers/{offer.pk}/approve/",
        {"comment": "ok", "revision": submitted.json()["revision"]},
        format="json",
    )
    sent = kam.post(f"/api/v1/offers/{offer.pk}/send/")

    assert refused.status_code == 400
    assert "approval" in refused.json()["non_field_errors"][0]
    assert submitted.json()["status"] == "pending_approval"
    assert approved.json()["decision_comment"] == "ok"
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent"
    assert sent.json()["total"] == "700.00"  # 10 x 100.00 less 30 %, computed on the server


def test_offer_created_with_lines_has_server_computed_totals(api_as, books, product):
    response = api_as("alice").post(
        "/api/v1/offers/",
        {
            "deal": books["A"].deal.pk,
            "lines": [
                {"product": product.pk, "quantity": "3", "discount": "10", "line_total": "1"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["total"], body["lines"][0]["net_price"]) == (2, "270.00", "90.00")


def test_new_version_is_a_201_with_the_next_number(api_as, books):
    offer = books["A"].offer
    api_as("alice").post(f"/api/v1/offers/{offer.pk}/send/")
    response = api_as("alice").post(f"/api/v1/offers/{offer.pk}/new-version/")
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["status"]) == (2, "draft")


def test_stale_deal_update_answers_409_and_changes_nothing(api_as, books):
    deal = books["A"].deal
    client = api_as("alice")
    first = client.patch(f"/api/v1/deals/{deal.pk}/", {"title": "One", "version": 1}, format="json")
    second = client.patch(
        f"/api/v1/deals/{deal.pk}/", {"title": "Two", "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert Deal.objects.get(pk=deal.pk).title == "One"


def test_deal_update_without_version_is_a_400(api_as, books):
    response = api_as("alice").patch(
        f"/api/v1/deals/{books['A'].deal.pk}/", {"title": "X"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_deal_moves_through_its_action_and_not_by_patch(api_as, books):
    deal = books["A"].deal
    client = api_as("alice")
    patched = client.patch(
        f"/api/v1/deals/{deal.pk}/", {"stage": "won", "version": 1}, format="json"
    )
    moved = client.post(f"/api/v1/deals/{deal.pk}/move/", {"stage": "lost"}, format="json")
    lost = client.post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": "lost", "lost_reason": "Price"}, format="json"
    )
    assert patched.status_code == 400 and "stage" in patched.json()
    assert moved.status_code == 400 and "lost_reason" in moved.json()
    assert lost.status_code == 200 and lost.json()["stage"] == "lost"


GARBAGE = [
    ("deals", {"account": "x", "title": ""}, "account"),
    ("deals", {"account": 999999, "title": "T"}, "account"),
    ("deals", {"title": "T", "account": None, "amount": "-5"}, "amount"),
    ("deals", {"title": "T", "probability": 250}, "probability"),
    ("offers", {"deal": "1.5"}, "deal"),
    ("offers", {"deal": None, "valid_until": "soon"}, "valid_until"),
    ("offer-lines", {"offer": 1, "product": 1, "quantity": "-1"}, "quantity"),
    ("offer-lines", {"offer": 1, "product": 1, "quantity": "1", "discount": "120"}, "discount"),
    ("offer-lines", {"offer": 1, "product": "abc", "quantity": "1"}, "product"),
    (
        "contracts",
        {
            "account": 1,
            "number": "N",
            "start_date": "2026-02-01",
            "end_date": "2026-01-01",
            "value": "1",
        },
        "non_field_errors",
    ),
    (
        "contracts",
        {"account": 1, "number": "N", "start_date": "x", "end_date": "y", "value": "z"},
        "value",
    ),
    (
        "contracts",
        {
            "account": 1,
            "number": "N",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "value": "1",
            "payment_terms_days": 9999,
        },
        "payment_terms_days",
    ),
    (
        "orders",
        {"account": 1, "requested_date": "2026-01-01", "lines": "PRODUCT"},
        "quantity",
    ),
    ("orders", {"account": 1, "requested_date": "nope"}, "requested_date"),
    ("returns", {"order_line": 1, "quantity": "99999", "reason": "late"}, "quantity"),
    ("returns", {"order_line": 1, "quantity": "1", "reason": "bored"}, "reason"),
    ("complaints", {"account": 1, "subject": "S", "severity": "apocalyptic"}, "severity"),
    ("complaints", {"account": 1, "subject": "", "contact": "me"}, "subject"),
]


@pytest.mark.parametrize(("endpoint", "body", "field"), GARBAGE)
def test_bad_input_is_a_400_naming_the_field(api_as, books, product, endpoint, body, field):
    body = {
        k: (books["A"].line.offer_id if k == "offer" and v == 1 else v) for k, v in body.items()
    }
    body = {
        k: (books["A"].deal.account_id if k == "account" and v == 1 else v) for k, v in body.items()
    }
    body = {
        k: (books["A"].item.order_line_id if k == "order_line" and v == 1 else v)
        for k, v in body.items()
    }
    if body.get("lines") == "PRODUCT":
        body["lines"] = [{"product": product.pk, "quantity": "0"}]
    if body.get("lines") == "PRODUCT":  # a real product, so only the quantity is wrong
        body["lines"] = [{"product": product.pk, "quantity": "0"}]
    response = api_as("alice").post(f"/api/v1/{endpoint}/", body, format="json")
    assert response.status_code == 400, response.content
    text = str(response.json())
    assert field in text, text


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("deals", {"stage": "nowhere"}),
        ("deals", {"account": "abc"}),
        ("deals", {"close_after": "yesterday"}),
        ("deals", {"amount_min": "lots"}),
        ("contracts", {"expiring_within": "45"}),
        ("returns", {"returned_after": "2026-13-45"}),
        ("complaints", {"status": "angry"}),
        ("offers", {"deal": "9" * 25}),
    ],
)
def test_garbage_filters_are_a_400(api_as, books, endpoint, params):
    response = api_as("adam").get(f"/api/v1/{endpoint}/", params)
    assert response.status_code == 400, response.content
    assert next(iter(params)) in response.json()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(
        st.sampled_from(["offer", "product", "quantity", "discount"]),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=12),
            st.floats(allow_nan=False, allow_infinity=False),
            st.booleans(),
        ),
    )
)
def test_random_offer_lines_never_cause_a_server_error(api_as, books, body):
    response = api_as("alice").post("/api/v1/offer-lines/", body, format="json")
    assert response.status_code in (201, 400), response.content


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["title", "amount", "probability", "expected_close_date", "version", "owner"]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=12),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
    )
)
def test_random_deal_patches_never_cause_a_server_error(api_as, books, body):
    deal = Deal.objects.get(pk=books["A"].deal.pk)
    body = {**body, "version": body.get("version", deal.version)}
    response = api_as("alice").patch(f"/api/v1/deals/{deal.pk}/", body, format="json")
    assert response.status_code in (200, 400, 409), response.content


def test_schema_lists_the_deals_endpoints_and_actions(api_as, books):
    paths = (
        api_as("alice")
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()["paths"]
    )
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint}/" in paths
        assert f"/api/v1/{endpoint}/{{id}}/" in paths
    for action in ["submit", "approve", "reject", "send", "new-version", "accept", "withdraw"]:
        assert f"/api/v1/offers/{{id}}/{action}/" in paths
    assert "/api/v1/deals/{id}/move/" in paths


def test_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["components"]["schemas"]["Offer"]["properties"]["total"]["readOnly"] is True


def test_offer_totals_ignore_what_the_client_sends(api_as, books):
    offer = books["A"].offer
    api_as("alice").patch(f"/api/v1/offers/{offer.pk}/", {"total": "1.00"}, format="json")
    assert api_as("alice").get(f"/api/v1/offers/{offer.pk}/").json()["total"] == "950.00"
    assert Offer.objects.get(pk=offer.pk).lines.get().line_total == 950
