"""Commission pages and API: who sees what (role matrix), bad input, query budgets, exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commissions.models import CommissionEntry, Dispute, Statement
from commissions.services import periods
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    OCT,
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
)
from tests.factories import AccountFactory

# The ledger's fixtures, visible to pytest in this module.
default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def month(on_invoice, fiona, alice, bob, charlie, alice_account, bob_account, charlie_account):
    """September calculated and closed: a statement each for alice, bob (North) and charlie
    (South)."""
    invoice_lines(fiona, alice_account, ("1000.00", "0"), ("500.00", "0"))
    invoice_lines(fiona, bob_account, ("2000.00", "0"))
    invoice_lines(fiona, charlie_account, ("3000.00", "0"))
    calculate(fiona, SEPT)
    return close(fiona, SEPT)


def _statement(user):
    return Statement.objects.get(kam=user)


VISIBLE = {
    # persona: (sees alice's, sees charlie's)
    "alice": (True, False),
    "bob": (False, False),
    "charlie": (False, True),
    "dora": (True, False),
    "sam": (False, True),
    "fiona": (True, True),
    "adam": (True, True),
}


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_statement_pages_follow_the_role_matrix(client, personas, month, alice, charlie, persona):
    client.force_login(personas[persona])
    for owner, visible in zip((alice, charlie), VISIBLE[persona], strict=True):
        response = client.get(reverse("commissions:statement_detail", args=[_statement(owner).pk]))
        assert response.status_code == (200 if visible else 404)


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_the_statement_list_shows_only_what_the_role_may_see(client, personas, month, persona):
    client.force_login(personas[persona])
    page = client.get(reverse("commissions:statement_list")).content.decode()
    seen = {name for name in ("alice", "bob", "charlie") if str(personas[name]) in page}
    everyone = {"alice", "bob", "charlie"}
    expected = {
        "alice": {"alice"}, "bob": {"bob"}, "charlie": {"charlie"}, "dora": {"alice", "bob"},
        "sam": {"charlie"}, "fiona": everyone, "adam": everyone,
    }[persona]  # fmt: skip
    assert seen == expected


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 404), ("dora", 404), ("fiona", 200), ("adam", 200)]
)
def test_only_finance_and_admins_reach_the_periods_page_and_exports(
    client, personas, month, persona, status
):
    client.force_login(personas[persona])
    assert client.get(reverse("commissions:period_list")).status_code == status
    url = reverse("commissions:period_export", args=[month.pk, "entries", "csv"])
    assert client.get(url).status_code == status


@pytest.mark.parametrize("persona", ["alice", "dora"])
def test_a_kam_or_director_cannot_calculate_or_close(client, personas, fiona, persona):
    period = periods.period_get_or_create(month=SEPT)
    client.force_login(personas[persona])
    response = client.post(reverse("commissions:period_action", args=[period.pk, "calculate"]))
    assert response.status_code == 404
    assert period.statements.count() == 0


def test_everyone_reads_the_schemes(client, personas):
    for persona in ("alice", "dora", "fiona"):
        client.force_login(personas[persona])
        page = client.get(reverse("commissions:scheme_list")).content.decode()
        assert "Standard (amount)" in page and "100,000.00" in page


def test_finance_calculates_and_closes_through_the_page(
    client, on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    client.force_login(fiona)
    client.post(reverse("commissions:period_open"), {"month": "2026-09"})
    period = periods.period_get_or_create(month=SEPT)
    response = client.post(
        reverse("commissions:period_action", args=[period.pk, "close"]), follow=True
    )
    assert "closed" in response.content.decode()
    period.refresh_from_db()
    assert period.status == "closed"


def test_bad_input_on_the_periods_page_gets_a_message_not_a_500(client, fiona, month):
    client.force_login(fiona)
    response = client.post(
        reverse("commissions:period_open"), {"month": "next tuesday"}, follow=True
    )
    assert response.status_code == 200 and "YYYY-MM" in response.content.decode()
    response = client.post(
        reverse("commissions:period_action", args=[month.pk, "calculate"]), follow=True
    )
    assert "closed" in response.content.decode()
    response = client.post(reverse("commissions:period_open"), {"month": "2099-01"}, follow=True)
    assert "not begun" in response.content.decode()
    assert (
        client.post(reverse("commissions:period_action", args=[month.pk, "explode"])).status_code
        == 404
    )


def test_the_kam_disputes_a_line_and_finance_accepts_it_as_an_adjustment(
    client, month, alice, fiona
):
    entry = entries(alice)[0]
    client.force_login(alice)
    client.post(reverse("commissions:entry_dispute", args=[entry.pk]), {"reason": "Should be 20 %"})
    dispute = Dispute.objects.get()
    client.force_login(fiona)
    response = client.post(
        reverse("commissions:dispute_resolve", args=[dispute.pk]),
        {"decision": "accept", "amount": "", "resolution": ""},
        follow=True,
    )
    assert "amount" in response.content.decode()
    client.post(
        reverse("commissions:dispute_resolve", args=[dispute.pk]),
        {"decision": "accept", "amount": "50.00", "resolution": "Agreed"},
    )
    dispute.refresh_from_db()
    assert dispute.status == "accepted"
    assert dispute.adjustment.period.month == OCT and dispute.adjustment.amount == D("50.00")


def test_another_kam_cannot_dispute_a_line_they_do_not_see(client, month, alice, bob):
    client.force_login(bob)
    response = client.post(
        reverse("commissions:entry_dispute", args=[entries(alice)[0].pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not Dispute.objects.exists()


def test_the_statement_explains_each_line(client, month, alice):
    client.force_login(alice)
    page = client.get(
        reverse("commissions:statement_detail", args=[_statement(alice).pk])
    ).content.decode()
    assert "1,000.00 \u00d7 15 % = 150.00" in page or "1000.00 \u00d7 15 % = 150.00" in page
    assert "Alpha Foods" in page
    assert "225.00" in page  # 150 + 75


def _more(fiona, kam, n=3):
    for i in range(n):
        account = AccountFactory(owner=kam, name=f"Extra {kam.username} {i}")
        invoice_lines(fiona, account, ("100.00", "0"), ("200.00", "0"), issued=date(2026, 10, 2))


def test_statement_page_queries_do_not_grow_with_lines(
    client, django_assert_max_num_queries, on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("100.00", "0"), issued=date(2026, 10, 2))
    calculate(fiona, OCT)
    client.force_login(alice)
    url = reverse("commissions:statement_detail", args=[_statement(alice).pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _more(fiona, alice, 4)
    calculate(fiona, OCT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_list_and_export_queries_do_not_grow_with_rows(
    client, django_assert_max_num_queries, on_invoice, fiona, alice, bob, charlie, alice_account
):
    invoice_lines(fiona, alice_account, ("100.00", "0"), issued=date(2026, 10, 2))
    period = calculate(fiona, OCT)
    client.force_login(fiona)
    urls = [
        reverse("commissions:statement_list"),
        reverse("commissions:period_list"),
        reverse("commissions:dispute_list"),
        reverse("commissions:period_export", args=[period.pk, "entries", "csv"]),
        reverse("commissions:period_export", args=[period.pk, "statements", "xlsx"]),
        reverse("api-root") + "commission-entries/",
        reverse("api-root") + "commission-statements/",
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(40) as q:
            response = client.get(url)
            b"".join(response.streaming_content) if response.streaming else response.content
        counts.append(len(q.captured_queries))
    _more(fiona, bob, 2)
    _more(fiona, charlie, 2)
    calculate(fiona, OCT)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
            b"".join(response.streaming_content) if response.streaming else response.content


def test_entries_export_has_numbers_as_numbers_and_neutralised_text(
    client, on_invoice, fiona, alice
):
    account = AccountFactory(owner=alice, name="=cmd|' /C calc'!A0")
    invoice_lines(fiona, account, ("1000.00", "0"))
    period = calculate(fiona, SEPT)
    client.force_login(fiona)

    response = client.get(reverse("commissions:period_export", args=[period.pk, "entries", "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert row[header.index("Amount")] == 150
    assert row[header.index("Customer")].startswith("'=")

    response = client.get(reverse("commissions:period_export", args=[period.pk, "payroll", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Period",
        "KAM",
        "Login",
        "Currency",
        "Gross commission",
        "Adjustments",
        "Total",
    ]
    assert rows[1][-1] == "150.00"


def test_api_periods_are_finance_only_and_refuse_bad_moves_with_400(api_as, month):
    assert api_as("alice").get("/api/v1/commission-periods/").status_code == 404
    finance = api_as("fiona")
    assert finance.get("/api/v1/commission-periods/").status_code == 200
    response = finance.post(f"/api/v1/commission-periods/{month.pk}/calculate/")
    assert response.status_code == 400 and "closed" in str(response.json())
    response = api_as("adam").post(
        f"/api/v1/commission-periods/{month.pk}/reopen/", {}, format="json"
    )
    assert response.status_code == 400


def test_api_statements_and_entries_are_scoped(api_as, month, alice, charlie):
    rows = api_as("dora").get("/api/v1/commission-statements/").json()["results"]
    assert {r["kam_username"] for r in rows} == {"alice", "bob"}
    entry = CommissionEntry.objects.filter(kam=charlie).first()
    assert api_as("alice").get(f"/api/v1/commission-entries/{entry.pk}/").status_code == 404
    assert api_as("sam").get(f"/api/v1/commission-entries/{entry.pk}/").status_code == 200


def test_api_dispute_and_resolve(api_as, month, alice):
    entry = entries(alice)[0]
    response = api_as("alice").post(
        "/api/v1/commission-disputes/", {"entry": entry.pk, "reason": "Wrong"}, format="json"
    )
    assert response.status_code == 201
    dispute_id = response.json()["id"]
    assert (
        api_as("alice")
        .post(
            f"/api/v1/commission-disputes/{dispute_id}/resolve/",
            {"accept": False, "resolution": "no"},
            format="json",
        )
        .status_code
        == 403
    )
    response = api_as("fiona").post(
        f"/api/v1/commission-disputes/{dispute_id}/resolve/",
        {"accept": False, "resolution": ""},
        format="json",
    )
    assert response.status_code == 400
    response = api_as("fiona").post(
        f"/api/v1/commission-disputes/{dispute_id}/resolve/",
        {"accept": True, "amount": "12.50"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_api_schemes_are_read_only(api_as):
    client = api_as("alice")
    assert client.get("/api/v1/commission-schemes/").status_code == 200
    assert client.post("/api/v1/commission-schemes/", {}, format="json").status_code == 405
