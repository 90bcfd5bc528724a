"""API v1 of receivables: the role matrix, the accounting system's upsert, money moves, aging,
and query budgets that stay flat."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from receivables import services
from receivables.models import Invoice, Payment
from tests.factories import AccountFactory

D = Decimal
TODAY = timezone.localdate()
LISTS = ["invoices", "credit-notes", "payments", "credit-limits", "collection-actions"]


@pytest.fixture
def book(fiona, alice, alice_account, charlie_account, issue, pay):
    mine = issue(
        alice_account, "100.00", issued=TODAY - timedelta(days=40), due=TODAY - timedelta(days=5)
    )
    theirs = issue(charlie_account, "70.00")
    payment = pay(alice_account, "40.00", on=TODAY)
    services.payment_allocate(actor=fiona, payment=payment)
    services.credit_note_issue(
        actor=fiona,
        invoice=mine,
        issue_date=TODAY,
        reason="price",
        net_amount=D("10.00"),
        vat_code="0",
    )
    services.credit_profile_set(
        actor=fiona, account=alice_account, data={"credit_limit": D(1000)}, reason="Start"
    )
    services.collection_action_log(
        actor=alice, account=alice_account, kind="call", happened_on=TODAY
    )
    return {"mine": mine, "theirs": theirs, "payment": payment}


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize(
    ("persona", "count"),
    [("alice", 1), ("bob", 0), ("dora", 1), ("sam", 0), ("fiona", 1), ("adam", 1)],
)
def test_lists_follow_the_account_scope(api_as, book, endpoint, persona, count):
    response = api_as(persona).get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    rows = [
        r
        for r in response.json()["results"]
        if r.get("account") == book["mine"].account_id or r.get("invoice") == book["mine"].pk
    ]
    assert len(rows) == count


def test_an_outsider_gets_404_on_a_record(api_as, book):
    assert api_as("bob").get(f"/api/v1/invoices/{book['mine'].pk}/").status_code == 404
    assert api_as("charlie").get(f"/api/v1/payments/{book['payment'].pk}/").status_code == 404


def test_anonymous_gets_401(api_as, book):
    assert api_as("anonymous").get("/api/v1/invoices/").status_code == 401


@pytest.mark.parametrize("persona", ["alice", "dora"])
def test_the_sales_side_cannot_write_money(api_as, book, alice_account, persona):
    client = api_as(persona)
    assert client.post("/api/v1/payments/", {"account": alice_account.pk}).status_code == 403
    assert client.post(f"/api/v1/payments/{book['payment'].pk}/allocate/", {}).status_code == 403
    assert client.post("/api/v1/credit-limits/", {}).status_code == 403
    assert client.post("/api/v1/invoices/upsert/", {}).status_code == 403


def test_finance_records_allocates_and_reverses_a_payment(api_as, alice_account, issue):
    invoice = issue(alice_account, "80.00")
    client = api_as("fiona")
    created = client.post(
        "/api/v1/payments/",
        {
            "account": alice_account.pk,
            "received_on": TODAY.isoformat(),
            "amount": "100.00",
            "currency": "PLN",
            "external_ref": "BANK-1",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    over = client.post(
        f"/api/v1/payments/{pk}/allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "80.01"}]},
        format="json",
    )
    assert over.status_code == 400 and "amount" in over.json()
    done = client.post(f"/api/v1/payments/{pk}/allocate/", {}, format="json")
    assert done.json()["allocated_total"] == "80.00" and done.json()["unallocated"] == "20.00"
    reversed_ = client.post(
        f"/api/v1/payments/{pk}/reverse/",
        {"reversed_on": TODAY.isoformat(), "reason": "Bounced"},
        format="json",
    )
    assert reversed_.json()["reversed_on"] == TODAY.isoformat()
    assert Invoice.objects.get(pk=invoice.pk).open_amount == D("80.00")


def test_the_accounting_system_upserts_invoices_by_number(api_as, alice_account):
    body = {
        "number": "FV/EXT/1",
        "account": alice_account.pk,
        "issue_date": TODAY.isoformat(),
        "currency": "PLN",
        "lines": [
            {"description": "Cable", "quantity": "2", "unit_price": "10.00", "vat_code": "23"}
        ],
    }
    client = api_as("fiona")
    first = client.post("/api/v1/invoices/upsert/", body, format="json")
    assert first.status_code == 201 and first.json()["gross_total"] == "24.60"
    again = client.post("/api/v1/invoices/upsert/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Invoice.objects.count() == 1
    changed = client.post("/api/v1/invoices/upsert/", {**body, "currency": "EUR"}, format="json")
    assert changed.status_code == 409


def test_bad_invoice_input_is_400_naming_the_field(api_as, alice_account):
    response = api_as("fiona").post(
        "/api/v1/invoices/upsert/",
        {
            "number": "X",
            "account": alice_account.pk,
            "issue_date": TODAY.isoformat(),
            "due_date": (TODAY - timedelta(days=1)).isoformat(),
            "currency": "PLN",
            "lines": [{"description": "x", "quantity": "1", "unit_price": "1", "vat_code": "23"}],
        },
        format="json",
    )
    assert response.status_code == 400 and "due_date" in response.json()


def test_a_kam_logs_a_promise_through_the_api(api_as, alice_account, book):
    response = api_as("alice").post(
        "/api/v1/collection-actions/",
        {
            "account": alice_account.pk,
            "invoice": book["mine"].pk,
            "kind": "promise",
            "happened_on": TODAY.isoformat(),
            "promised_on": (TODAY + timedelta(days=3)).isoformat(),
            "promised_amount": "50.00",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["promise_state"] == "open"
    assert (
        api_as("fiona")
        .post(
            "/api/v1/collection-actions/",
            {"account": alice_account.pk, "kind": "promise", "happened_on": TODAY.isoformat()},
            format="json",
        )
        .status_code
        == 400
    )


def test_aging_grouped_by_kam(api_as, book, alice):
    response = api_as("dora").get(f"/api/v1/aging/?as_of={TODAY.isoformat()}&group_by=kam")
    body = response.json()
    assert [r["label"] for r in body["rows"]] == [alice.get_full_name()]
    assert body["totals"][0]["total"] == "50.00"  # 100 - 10 credited - 40 paid
    assert api_as("dora").get("/api/v1/aging/?group_by=planet").status_code == 400


@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [
        # session, user, count, page, lines (prefetch)
        ("invoices", 5),
        # session, user, count, page with reversals, allocations with their invoices
        ("payments", 5),
        ("credit-notes", 4),
        ("credit-limits", 4),
        ("collection-actions", 4),
    ],
)
def test_api_lists_take_the_same_queries_however_many_rows(
    api_as, django_assert_num_queries, fiona, alice, bob, issue, pay, endpoint, queries
):
    client = api_as("fiona")

    def grow():
        for owner in (alice, bob):
            account = AccountFactory(owner=owner)
            invoice = issue(account, "30.00", vat="23")
            payment = pay(account, "10.00")
            services.payment_allocate(actor=fiona, payment=payment)
            services.credit_note_issue(
                actor=fiona,
                invoice=invoice,
                issue_date=invoice.issue_date,
                reason="price",
                net_amount=D(1),
            )
            services.credit_profile_set(
                actor=fiona, account=account, data={"credit_limit": D(5)}, reason="x"
            )
            services.collection_action_log(
                actor=fiona, account=account, kind="call", happened_on=TODAY
            )

    grow()
    with django_assert_num_queries(queries):
        assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    grow()
    with django_assert_num_queries(queries):
        client.get(f"/api/v1/{endpoint}/")


def test_payment_external_ref_is_unique(api_as, alice_account, pay):
    pay(alice_account, "1.00", ref="BANK-9")
    response = api_as("fiona").post(
        "/api/v1/payments/",
        {
            "account": alice_account.pk,
            "received_on": TODAY.isoformat(),
            "amount": "1.00",
            "currency": "PLN",
            "external_ref": "BANK-9",
        },
        format="json",
    )
    assert response.status_code == 400 and "external_ref" in response.json()
    assert Payment.objects.count() == 1
