"""The plan fulfilment report: a director's territory or one KAM's accounts, as PDF (read back
by pypdf) and XLSX (openpyxl); who may ask for whose; the monthly subscription by e-mail; the
button on the plans' fulfilment page.

September 2026 in North: alice planned 10,000 and invoiced 4,000 (2,500 of it paid) and has an
order of 1,900 booked; bob planned 5,000 and invoiced 1,000. South's charlie invoiced 7,000.
"""

import io
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from commissions.models import SalesPlan
from receivables import services as money
from reports import services, tasks
from reports.models import ReportJob
from tests.deals.factories import OrderFactory, OrderLineFactory
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db
D = Decimal
KIND = "plan_fulfilment"


@pytest.fixture
def september(alice, bob, charlie, alice_account, bob_account, charlie_account, fiona, issue, pay):
    for kam, target in ((alice, "10000"), (bob, "5000"), (charlie, "8000")):
        SalesPlan.objects.create(kam=kam, month=date(2026, 9, 1), revenue_target=D(target))
    first = issue(alice_account, "4000.00", issued=date(2026, 9, 10))
    issue(bob_account, "1000.00", issued=date(2026, 9, 11))
    issue(charlie_account, "7000.00", issued=date(2026, 9, 12))
    payment = pay(alice_account, "2500.00", on=date(2026, 9, 25))
    money.payment_allocate(actor=fiona, payment=payment, allocations=[(first, D("2500.00"))])
    order = OrderFactory(account=alice_account)
    OrderLineFactory(order=order)  # 20 x 95 = 1,900
    moment = datetime(2026, 9, 5, 12, tzinfo=timezone.get_current_timezone())
    type(order).objects.filter(pk=order.pk).update(created_at=moment)


def _made(user, **data):
    job = services.report_job_request(actor=user, kind=KIND, data={"format": "pdf", **data})
    assert services.report_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    return job


def test_a_directors_territory_pdf_has_each_kam_against_plan_and_the_total(
    september, dora, alice, bob, charlie
):
    job = _made(dora, period="2026-09")

    content = job.file.read()
    if os.environ.get("REPORTS_SHOTS"):  # for looking at it
        Path(os.environ["REPORTS_SHOTS"], "plan-fulfilment.pdf").write_bytes(content)
    [page] = pdf_pages(content)
    assert "Plan fulfilment 2026-09 · North" in page
    assert str(alice) in page and str(bob) in page
    assert str(charlie) not in page  # South is not hers
    assert "10,000.00 PLN" in page and "4,000.00" in page and "40.0 %" in page
    assert "2,500.00" in page and "25.0 %" in page  # collected
    assert "1,900.00" in page and "19.0 %" in page  # booked
    assert "Total · North" in page and "15,000.00 PLN" in page and "5,000.00" in page
    assert job.filename == "plan-fulfilment-north-2026-09.pdf"


def test_a_kams_own_pdf_shows_their_accounts(september, alice, alice_account):
    job = _made(alice, period="2026-Q3", period_kind="quarter")

    text = "\n".join(pdf_pages(job.file.read()))
    assert f"Plan fulfilment 2026-Q3 · {alice}" in text
    assert "Invoiced by account" in text and alice_account.name in text


def test_the_xlsx_holds_the_figures_as_numbers(september, dora, alice):
    job = _made(dora, period="2026-09", format="xlsx")

    workbook = load_workbook(io.BytesIO(job.file.read()))
    rows = list(workbook["Plan fulfilment"].values)
    assert rows[0][0] == "Plan fulfilment 2026-09 · North"
    assert rows[1][:7] == ("KAM", "Territory", "Currency", "Plan", "Booked", "Booked %", "Invoiced")
    by_kam = {row[0]: row for row in rows[2:]}
    assert by_kam[str(alice)][2:9] == ("PLN", 10000, 1900, 19, 4000, 40, 2500)
    assert by_kam["North"][3] == 15000  # the total row
    assert job.filename.endswith(".xlsx")


def test_the_xlsx_of_one_kam_has_an_accounts_sheet(september, alice, alice_account):
    job = _made(alice, period="2026-09", format="xlsx")

    sheet = load_workbook(io.BytesIO(job.file.read()))["Accounts"]
    assert list(sheet.values)[1] == (alice_account.name, "PLN", 4000, 4000, 1)


# Who may ask for whose ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asker", "data"),
    [
        ("alice", {"kam": "bob"}),  # a KAM: only their own
        ("alice", {"territory": "north"}),
        ("charlie", {"kam": "alice"}),
        ("sam", {"kam": "alice"}),  # a director: only their territory
        ("sam", {"territory": "north"}),
    ],
)
def test_outside_ones_scope_is_a_404(september, personas, north, asker, data):
    resolved = {
        key: (north.pk if value == "north" else personas[value].pk) for key, value in data.items()
    }
    with pytest.raises(Http404):
        services.report_job_request(
            actor=personas[asker],
            kind=KIND,
            data={"period": "2026-09", "format": "pdf", **resolved},
        )


def test_a_director_asks_for_one_of_their_kams_and_finance_for_any_territory(
    september, dora, fiona, alice, south
):
    text = "\n".join(pdf_pages(_made(dora, kam=alice.pk, period="2026-09").file.read()))
    assert "Invoiced by account" in text
    assert "· South" in pdf_pages(_made(fiona, territory=south.pk).file.read())[0]


def test_a_bad_period_is_refused_naming_the_field(dora):
    with pytest.raises(ValidationError) as error:
        services.report_job_request(actor=dora, kind=KIND, data={"period": "2026-13"})
    assert "period" in error.value.message_dict


@pytest.mark.parametrize("name", ["alice", "bob", "sam", "charlie", "fiona"])
def test_nobody_else_downloads_a_directors_report(client, september, personas, name):
    job = _made(personas["dora"], period="2026-09")
    client.force_login(personas[name])
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_a_director_moved_to_another_territory_no_longer_downloads_its_report(
    client, september, dora, north, south
):
    job = _made(dora, period="2026-09", territory=north.pk)  # as the page's button asks
    dora.territory = south
    dora.save(update_fields=["territory"])
    client.force_login(dora)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


# The page's button and the subscription ------------------------------------------------------


def test_the_fulfilment_page_offers_the_report_of_what_it_shows(client, september, dora, north):
    client.force_login(dora)

    page = client.get(reverse("commissions:fulfilment"), {"period": "2026-Q3"}).content.decode()

    assert 'data-kind="plan_fulfilment"' in page
    assert 'name="period" value="2026-Q3"' in page
    assert f'name="territory" value="{north.pk}"' in page
    response = client.post(
        reverse("reports:request", args=[KIND]),
        {"period": "2026-Q3", "period_kind": "quarter", "territory": north.pk, "format": "xlsx"},
    )
    assert response.status_code == 302
    job = ReportJob.objects.get(requested_by=dora, kind=KIND)
    assert job.parameters["period"] == "2026-Q3" and job.parameters["format"] == "xlsx"


def test_a_kams_button_on_their_fulfilment_page_is_for_themselves(client, september, alice):
    client.force_login(alice)
    page = client.get(
        reverse("commissions:fulfilment_kam", args=[alice.pk]), {"period": "2026-09"}
    ).content.decode()
    assert f'name="kam" value="{alice.pk}"' in page


def test_a_director_receives_last_months_pack_on_the_first(
    september, dora, alice, django_capture_on_commit_callbacks
):
    subscription = services.report_subscription_create(
        actor=dora, kind=KIND, data={"format": "pdf"}, frequency="monthly"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_subscriptions_run("2026-10-01") == {"queued": 1, "skipped": 0}

    job = ReportJob.objects.get(subscription=subscription)
    assert job.status == "done"
    [message] = mail.outbox
    assert message.to == [dora.email]
    [(name, content, content_type)] = message.attachments
    assert (name, content_type) == ("plan-fulfilment-north-2026-09.pdf", "application/pdf")
    page = pdf_pages(content)[0]
    assert "Plan fulfilment 2026-09 · North" in page and str(alice) in page
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_subscriptions_run("2026-10-02")["queued"] == 0
