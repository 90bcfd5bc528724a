"""The cockpit's plan against actual beyond the page: the plan fulfilment report asked for from
it (the territory and period it shows, watched on My reports, downloaded), the API's booked
and collected beside the invoiced, and the KAM dashboard's month read once for the plan card
and the commission's multiplier band.

This month in North (dora): alice planned 10,000 and invoiced 4,000 (2,500 of it paid) and has
an order of 1,900 booked (20 x 95); bob planned 5,000 and invoiced 1,000, nothing booked or
paid. South's charlie invoiced 7,000 (never in North's figures).
"""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from commissions.models import SalesPlan
from core.models import ExchangeRate
from dashboards.selectors import kam_dashboard
from receivables import services as money
from reports import services as reports
from reports.models import ReportJob
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import calculate, entries, pay_invoice, plan
from tests.deals.factories import OrderFactory, OrderLineFactory
from tests.reports.conftest import pdf_pages

default_schemes = ledger_helpers.default_schemes
pytestmark = pytest.mark.django_db
COCKPIT = reverse("dashboards:cockpit")
REQUEST = reverse("reports:request", args=["plan_fulfilment"])
LIST = reverse("reports:list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def month(alice, bob, charlie, alice_account, bob_account, charlie_account, fiona, issue, pay):
    today = timezone.localdate()
    first = today.replace(day=1)
    for kam, target in ((alice, "10000"), (bob, "5000"), (charlie, "8000")):
        SalesPlan.objects.create(kam=kam, month=first, revenue_target=D(target))
    invoice = issue(alice_account, "4000.00", issued=today)
    issue(bob_account, "1000.00", issued=today)
    issue(charlie_account, "7000.00", issued=today)
    payment = pay(alice_account, "2500.00", on=today)
    money.payment_allocate(actor=fiona, payment=payment, allocations=[(invoice, D("2500.00"))])
    OrderLineFactory(order=OrderFactory(account=alice_account))  # 1,900 booked now
    return today


def _quarter(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


# --- The report button -------------------------------------------------------------------------


def test_the_cockpit_asks_for_the_plan_fulfilment_of_its_territory_and_period(
    client, month, dora, north
):
    client.force_login(dora)

    page = client.get(COCKPIT, {"period": "quarter"}).content.decode()

    assert f'action="{REQUEST}"' in page
    assert f'name="period" value="{_quarter(month)}"' in page
    assert 'name="period_kind" value="quarter"' in page
    assert f'name="territory" value="{north.pk}"' in page


def test_a_director_requests_the_report_watches_it_and_downloads_it(
    client, month, dora, north, alice, bob, charlie
):
    client.force_login(dora)
    asked = {
        "period": _quarter(month),
        "period_kind": "quarter",
        "territory": north.pk,
        "format": "pdf",
        "next": COCKPIT,
    }

    response = client.post(REQUEST, asked)

    # To My reports, where the job waits and the table polls for its progress.
    assert response.status_code == 302
    assert response["Location"] == LIST
    job = ReportJob.objects.get(requested_by=dora)
    assert job.parameters["territory"] == north.pk
    assert job.parameters["period"] == _quarter(month)
    waiting = client.get(LIST).content.decode()
    assert f'id="report-job-{job.pk}"' in waiting
    assert 'hx-trigger="every' in waiting
    download = reverse("reports:download", args=[job.pk])
    assert download not in waiting

    assert reports.report_job_run(job_id=job.pk) == "done"

    done = client.get(LIST).content.decode()
    assert download in done
    assert 'hx-trigger="every' not in done
    response = client.get(download)
    assert response.status_code == 200
    text = "\n".join(pdf_pages(b"".join(response.streaming_content)))
    assert str(alice) in text and str(bob) in text
    assert str(charlie) not in text  # South is not dora's
    assert f"Plan fulfilment {_quarter(month)} · North" in text
    assert "10,000.00 PLN" in text and "4,000.00" in text and "40.0 %" in text
    assert "1,900.00" in text and "2,500.00" in text  # booked, collected


def test_an_admins_button_is_for_the_territory_chosen(client, month, adam, south):
    client.force_login(adam)

    page = client.get(COCKPIT, {"territory": south.pk, "period": "month"}).content.decode()

    assert f'name="territory" value="{south.pk}"' in page
    assert f'name="period" value="{month:%Y-%m}"' in page


# --- The API's plan against actual ----------------------------------------------------------------


def test_the_api_gives_booked_and_collected_beside_invoiced_as_the_page(
    client, api_as, month, dora, alice, bob
):
    body = api_as("dora").get("/api/v1/dashboards/director/", {"period": "month"}).json()
    client.force_login(dora)
    page = client.get(COCKPIT, {"period": "month"}).context["c"]

    rows = {r["kam_name"]: r for r in body["plan"]["month"]}
    assert set(rows) == {str(alice), str(bob)}
    a, b = rows[str(alice)], rows[str(bob)]
    # By hand: alice 4,000 of 10,000 invoiced (40 %), 1,900 booked (19 %), 2,500 paid (25 %).
    assert (a["target"], a["invoiced"], a["fulfilment_pct"]) == ("10000.00", "4000.00", "40.0")
    assert (a["booked"], a["booked_pct"]) == ("1900.00", "19.0")
    assert (a["collected"], a["collected_pct"]) == ("2500.00", "25.0")
    assert (b["booked"], b["booked_pct"], b["collected"], b["collected_pct"]) == (
        "0.00",
        "0.0",
        "0.00",
        "0.0",
    )
    assert a["complete"] == {"invoiced": True, "booked": True, "collected": True}
    # The page's figures, row by row.
    for row in page.plan_chosen:
        api = rows[str(row.kam)]
        assert D(api["booked"]) == row.figures.booked
        assert D(api["collected"]) == row.figures.collected
        assert D(api["invoiced"]) == row.figures.invoiced
    # Every period carries them.
    for key in ("quarter", "year"):
        assert {r["booked"] for r in body["plan"][key] if r["kam"] == alice.pk} == {"1900.00"}


def test_the_kam_api_gives_the_months_booked_and_collected(api_as, month, alice):
    body = api_as("alice").get("/api/v1/dashboards/kam/").json()

    assert (body["month"]["booked"], body["month"]["collected"]) == ("1900.00", "2500.00")
    assert (body["quarter"]["booked"], body["quarter"]["collected"]) == ("1900.00", "2500.00")


# --- The KAM dashboard reads the month once ----------------------------------------------------


NOV = date(2026, 11, 1)
NOON_12TH = datetime(2026, 11, 12, 12, 0, tzinfo=timezone.get_current_timezone())


def test_the_band_is_the_months_plan_figure_the_period_calculation_applies(
    fiona, alice, alice_account, issue, pay
):
    """Plan 10,000 PLN; 7,000 PLN (1,000 of it paid) and 500 EUR at 4.00 invoiced: 9,000
    PLN, 90 %, the 90-100 % band at x0.8 (at the PLN invoices alone, 70 % and x0.5)."""
    plan(alice, NOV, "10000")
    pln = issue(alice_account, "7000.00", issued=date(2026, 11, 2), due=date(2026, 11, 30))
    pay_invoice(fiona, pay, pln, "1000.00", date(2026, 11, 8))
    ExchangeRate.objects.create(day=date(2026, 11, 3), currency="EUR", rate=D("4.00"))
    issue(alice_account, "500.00", issued=date(2026, 11, 3), due=date(2026, 11, 30), currency="EUR")
    calculate(fiona, NOV)

    d = kam_dashboard(reader=alice, kam=alice, now=NOON_12TH, zone=alice.tzinfo)

    assert (d.month.invoiced, d.month.ratio) == (D("9000.00"), D("90.0"))
    band = d.commission.band
    assert (band.fulfilment, band.factor, band.currency) == (D("90.00"), D("0.8"), "PLN")
    assert band.to_next == D("1000.00")  # 100 % of 10,000 less 9,000
    paid = [e for e in entries(alice, NOV) if e.currency == "PLN"]
    assert paid and {e.multiplier for e in paid} == {D("0.8")}


# --- The KAM dashboard's long lists --------------------------------------------------------------


def test_the_accounts_by_health_show_the_weakest_twenty_and_all_on_request(client, alice):
    from tests.factories import AccountFactory

    for i in range(22):
        AccountFactory(owner=alice, name=f"Konto {i:02d}")
    client.force_login(alice)

    short = client.get(reverse("dashboards:kam"))
    every = client.get(reverse("dashboards:kam"), {"accounts": "all"})

    assert len(short.context["accounts_shown"]) == 20
    assert "?accounts=all#health" in short.content.decode()
    assert len(every.context["accounts_shown"]) == 22
    assert "?accounts=all#health" not in every.content.decode()
