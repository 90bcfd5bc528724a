"""The money kinds (statement of account, dunning letter, aging) and the QBR pack, read back
as text (pypdf) and cells (openpyxl); who may ask for them; documents sent to a client's
contact; the nightly dunning run asking for its letters."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from receivables import services as money
from receivables.models import DunningLevel
from reports import services
from reports.models import ReportJob
from reports.registry import kind_get
from tests.factories import ActivityFactory, ContactFactory
from tests.receivables.conftest import DAY
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db
D = Decimal
POLISH = "ą ć ę ł ń ó ś ź ż"


def _render(slug: str, user, **parameters):
    job = ReportJob.objects.create(
        kind=slug, parameters=parameters, title="t", requested_by=user, as_of=timezone.now()
    )
    return kind_get(slug).render(job, lambda percent: None)


@pytest.fixture
def ledger(fiona, alice_account, issue, pay):
    """Alice's account: one invoice paid, one open and overdue, one open not yet due."""
    alice_account.legal_name = f"Zakłady Mięsne Łuków ({POLISH})"
    alice_account.save(update_fields=["legal_name"])
    paid = issue(
        alice_account,
        "100.00",
        issued=DAY - timedelta(days=60),
        due=DAY - timedelta(days=30),
        number="FV/1",
    )
    late = issue(
        alice_account,
        "250.00",
        issued=DAY - timedelta(days=50),
        due=DAY - timedelta(days=20),
        number="FV/2",
    )
    issue(
        alice_account,
        "40.00",
        issued=DAY - timedelta(days=5),
        due=DAY + timedelta(days=25),
        number="FV/3",
    )
    money.payment_allocate(
        actor=fiona,
        payment=pay(alice_account, "100.00", on=DAY - timedelta(days=31)),
        allocations=[(paid, D(100))],
    )
    return {"late": late}


STATEMENT = {"start": (DAY - timedelta(days=90)).isoformat(), "end": DAY.isoformat()}


def test_statement_pdf_runs_from_opening_to_closing_with_open_items_and_an_answer_slip(
    alice, alice_account, ledger
):
    rendered = _render(
        "statement_of_account", alice, account=alice_account.pk, format="pdf", **STATEMENT
    )

    assert rendered.filename == f"statement-alpha-foods-{DAY:%Y-%m-%d}.pdf"
    pages = pdf_pages(rendered.content)
    text = "\n".join(pages)
    assert f"Zakłady Mięsne Łuków ({POLISH})" in text
    for expected in (
        "Opening balance 0.00",
        "Invoices + 390.00",
        "Payments received − 100.00",  # noqa: RUF001 - the document prints a minus sign
        "Closing balance 290.00 PLN",
        "FV/2",
        "Balance confirmation",
        "you owed us 290.00 PLN",
        "We dispute the balance; the items we dispute:",
    ):
        assert expected in text
    # Open items: FV/2 20 days past due, FV/3 not yet due; FV/1 (paid) is not among them.
    assert "FV/2 2026-07-13 2026-08-12 20 250.00 250.00" in text
    assert "FV/1 2026" not in text.split("Open items")[1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Balance confirmation" in pages[-1] and "Balance confirmation" not in pages[0]


def test_statement_xlsx_holds_the_movements_as_numbers_and_a_sheet_for_the_clients_answer(
    alice, alice_account, ledger
):
    rendered = _render(
        "statement_of_account", alice, account=alice_account.pk, format="xlsx", **STATEMENT
    )

    assert rendered.filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(rendered.content))
    assert book.sheetnames == ["Statement", "Open items", "Client's answer"]
    rows = list(book["Statement"].values)
    assert rows[-1][1] == "Closing balance" and rows[-1][5] == 290
    assert [r[0] for r in list(book["Open items"].values)[1:]] == ["FV/2", "FV/3"]
    answer = [r[1] for r in book["Client's answer"].values if r and len(r) > 1]
    assert "We confirm the balance above." in answer
    assert "We dispute the balance; the items we dispute:" in answer


def test_a_2000_line_statement_renders_in_split_tables_on_many_pages(alice, alice_account, fiona):
    from receivables.models import Invoice, InvoiceStatus

    Invoice.objects.bulk_create(
        Invoice(
            number=f"FV/L/{n:04d}",
            account=alice_account,
            issue_date=DAY - timedelta(days=n % 80),
            due_date=DAY + timedelta(days=30),
            currency="PLN",
            net_total=D("10.00"),
            vat_total=D("0.00"),
            gross_total=D("10.00"),
            cost_total=D("5.00"),
            status=InvoiceStatus.ISSUED,
            created_by=fiona,
        )
        for n in range(2000)
    )

    rendered = _render(
        "statement_of_account", alice, account=alice_account.pk, format="pdf", **STATEMENT
    )

    reader = PdfReader(io.BytesIO(rendered.content))
    pages = [page.extract_text() for page in reader.pages]
    assert 60 <= len(pages) <= 140  # ~40 movement rows a page, then 2,000 open items
    text = "\n".join(pages)
    assert "FV/L/0000" in text and "FV/L/1999" in text
    assert "Closing balance 20,000.00 PLN" in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # Every page of movements carries the table's header.
    assert all("Date Document Reference Debit Credit Balance" in p for p in pages[1:20])


def test_a_kam_cannot_ask_for_another_kams_statement(bob, alice_account):
    with pytest.raises(Http404):
        services.report_job_request(
            actor=bob,
            kind="statement_of_account",
            data={"account": alice_account.pk, "format": "pdf"},
        )


def test_a_period_that_ends_before_it_starts_is_refused(alice, alice_account):
    with pytest.raises(ValidationError) as error:
        services.report_job_request(
            actor=alice,
            kind="statement_of_account",
            data={
                "account": alice_account.pk,
                "format": "pdf",
                "start": "2026-09-01",
                "end": "2026-08-01",
            },
        )
    assert "start" in error.value.error_dict


def test_a_statement_is_sent_to_the_chosen_contact_with_the_pdf_attached(
    alice, alice_account, ledger, media
):
    contact = ContactFactory(account=alice_account, email="ksiegowosc@alpha.example")
    job = services.report_job_request(
        actor=alice,
        kind="statement_of_account",
        data={"account": alice_account.pk, "format": "pdf", "send_to": contact.pk, **STATEMENT},
    )
    assert job.deliver_to == "ksiegowosc@alpha.example"

    services.report_job_run(job_id=job.pk)
    services.report_job_deliver(job_id=job.pk)  # a second try sends nothing more

    [message] = mail.outbox
    assert message.to == ["ksiegowosc@alpha.example"]
    [(name, content, content_type)] = message.attachments
    assert (name, content_type) == (f"statement-alpha-foods-{DAY:%Y-%m-%d}.pdf", "application/pdf")
    assert "Closing balance 290.00 PLN" in "\n".join(pdf_pages(content))


def test_a_document_cannot_be_sent_to_another_accounts_contact(alice, alice_account, bob_account):
    stranger = ContactFactory(account=bob_account, email="x@bob.example")
    with pytest.raises(ValidationError) as error:
        services.report_job_request(
            actor=alice,
            kind="statement_of_account",
            data={"account": alice_account.pk, "format": "pdf", "send_to": stranger.pk},
        )
    assert "send_to" in error.value.error_dict


def test_dunning_letter_lists_the_overdue_items_with_the_levels_text(alice, alice_account, ledger):
    level = DunningLevel.objects.get(rank=3)

    [page] = pdf_pages(
        _render(
            "dunning_letter", alice, account=alice_account.pk, level=level.pk, as_of=DAY.isoformat()
        ).content
    )

    assert "Final demand" in page
    assert level.letter_text.split()[0] in page
    assert "FV/2 2026-07-13 2026-08-12 250.00 PLN 250.00 PLN" in page
    assert "Overdue in total 250.00 PLN" in page
    assert "FV/3" not in page  # not yet due


def test_the_nightly_run_asks_for_a_letter_for_each_account_reaching_a_letter_level(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    late = ledger["late"]
    with django_capture_on_commit_callbacks(execute=True):
        money.dunning_run(today=DAY)  # 20 days past due: the friendly reminder, by e-mail

    late.refresh_from_db()
    assert late.dunning_level.channel == "email"
    job = ReportJob.objects.get(kind="dunning_letter")
    assert job.requested_by == adam  # who the run acts for
    assert job.parameters == {
        "account": alice_account.pk,
        "level": late.dunning_level_id,
        "as_of": DAY.isoformat(),
        "send_to": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        money.dunning_run(today=DAY)  # the same night again: no second letter
    assert ReportJob.objects.filter(kind="dunning_letter").count() == 1


def test_the_invoice_page_offers_the_letter_and_the_contacts_to_send_it_to(
    client, alice, alice_account, ledger
):
    ContactFactory(
        account=alice_account, first_name="Ewa", last_name="Księgowa", email="ewa@alpha.example"
    )
    client.force_login(alice)

    html = client.get(f"/receivables/invoices/{ledger['late'].pk}/").content.decode()

    assert 'data-kind="dunning_letter"' in html
    assert "Ewa Księgowa &lt;ewa@alpha.example&gt;" in html


# Aging -----------------------------------------------------------------------------------------


def test_aging_holds_only_what_the_requester_may_see(
    alice, fiona, alice_account, bob_account, issue
):
    issue(alice_account, "300.00", issued=DAY - timedelta(days=50), due=DAY - timedelta(days=40))
    issue(bob_account, "700.00", issued=DAY - timedelta(days=50), due=DAY - timedelta(days=40))

    mine = "\n".join(
        pdf_pages(
            _render("aging", alice, as_of=DAY.isoformat(), group_by="account", format="pdf").content
        )
    )
    everything = "\n".join(
        pdf_pages(
            _render("aging", fiona, as_of=DAY.isoformat(), group_by="account", format="pdf").content
        )
    )

    assert "Aging as of 1 September 2026" in mine
    assert "Alpha Foods" in mine and "Bob" not in mine.split("Per: Account")[1]
    assert "Total PLN 0.00 0.00 300.00" in mine
    assert "Total PLN 0.00 0.00 1,000.00" in everything


def test_aging_xlsx_has_a_row_per_kam_with_numbers(
    fiona, alice, bob, alice_account, bob_account, issue
):
    issue(alice_account, "300.00", issued=DAY - timedelta(days=50), due=DAY - timedelta(days=40))
    issue(bob_account, "700.00", issued=DAY - timedelta(days=10), due=DAY + timedelta(days=20))

    rendered = _render("aging", fiona, as_of=DAY.isoformat(), group_by="kam", format="xlsx")

    rows = list(load_workbook(io.BytesIO(rendered.content)).active.values)
    assert rows[1][:3] == ("KAM", "Currency", "Not due")
    body = {r[0]: r for r in rows[2:]}
    assert body[alice.get_full_name()][4] == 300 and body[bob.get_full_name()][2] == 700
    assert body["Total"][-2:] == (1000, 300)


def test_the_aging_page_offers_the_report_for_the_day_it_shows(client, fiona):
    client.force_login(fiona)

    html = client.get("/receivables/aging/?as_of=2026-09-01&group_by=kam").content.decode()

    assert 'data-kind="aging"' in html
    assert 'name="as_of" value="2026-09-01"' in html


# QBR pack ----------------------------------------------------------------------------------------


def test_qbr_pack_holds_money_orders_returns_complaints_milestones_and_agreed_actions(
    alice, alice_account, ledger
):
    from tests.deals.factories import ComplaintFactory, ContractFactory

    contract = ContractFactory(
        account=alice_account, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
    )
    contract.obligations.create(
        party="us", kind="deliver", description="Dostawa próbna", due_date=date(2026, 8, 20)
    )
    ComplaintFactory(account=alice_account, subject="Uszkodzone słoiki", opened_on=date(2026, 8, 3))
    ActivityFactory(
        account=alice_account,
        owner=alice,
        starts_at=timezone.make_aware(timezone.datetime(2026, 8, 10, 10)),
        status="done",
        outcome="Omówiono ceny na jesień.",
        next_step="Wysłać ofertę na święta",
        next_step_due=date(2026, 9, 15),
    )

    rendered = _render("qbr_pack", alice, account=alice_account.pk, year=2026, quarter=3)

    assert rendered.filename == "qbr-alpha-foods-2026-q3.pdf"
    pages = pdf_pages(rendered.content)
    text = "\n".join(pages)
    for expected in (
        "Alpha Foods · 2026 Q3",
        "July 2026 350.00 0.00",  # invoiced net (0 % VAT) beside a year before
        "August 2026 40.00 0.00",
        "Quarter 390.00 0.00",
        "Invoiced net this quarter",
        "Statement of account",
        "Closing balance 30 September 2026",
        "Uszkodzone słoiki",
        "Dostawa próbna",
        contract.number,
        "Omówiono ceny na jesień.",
        "Wysłać ofertę na święta 2026-09-15",
    ):
        assert expected in text, expected
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_finance_may_not_ask_for_a_qbr_pack(fiona, alice_account):
    with pytest.raises(PermissionDenied):
        services.report_job_request(
            actor=fiona,
            kind="qbr_pack",
            data={"account": alice_account.pk, "year": 2026, "quarter": 3},
        )


def test_the_account_page_offers_the_qbr_pack_and_the_statement(client, alice, alice_account):
    client.force_login(alice)

    html = client.get(f"/accounts/{alice_account.pk}/").content.decode()

    assert 'data-kind="qbr_pack"' in html and 'data-kind="statement_of_account"' in html


def test_a_sent_offer_is_e_mailed_to_the_clients_contact_with_its_pdf(alice, offer, media):
    buyer = ContactFactory(account=offer.deal.account, email="zakupy@alpha.example")
    job = services.report_job_request(
        actor=alice, kind="commercial_offer", data={"offer": offer.pk, "send_to": buyer.pk}
    )

    services.report_job_run(job_id=job.pk)

    [message] = mail.outbox
    assert message.to == ["zakupy@alpha.example"] and message.reply_to == [alice.email]
    [(name, content, _type)] = message.attachments
    assert name == f"offer-{offer.number}-alpha-foods.pdf"
    assert f"Commercial offer No. {offer.number}" in pdf_pages(content)[0]


def test_a_draft_offer_is_not_sent_to_the_client(alice, offer):
    offer.status = "draft"
    offer.save(update_fields=["status"])
    buyer = ContactFactory(account=offer.deal.account, email="zakupy@alpha.example")

    with pytest.raises(ValidationError) as error:
        services.report_job_request(
            actor=alice, kind="commercial_offer", data={"offer": offer.pk, "send_to": buyer.pk}
        )
    assert "send_to" in error.value.error_dict


def test_qbr_pack_has_the_health_score_its_trend_each_reason_and_the_plan(
    alice, alice_account, ledger
):
    from commissions.models import SalesPlan
    from health.models import HealthScore

    reasons = {
        "relationship": {"code": "no_decision_maker"},
        "revenue_trend": {"code": "no_revenue"},
    }
    for month, score in ((date(2026, 8, 1), 74), (date(2026, 9, 1), 58)):
        HealthScore.objects.create(
            account=alice_account, month=month, score=score, revenue_trend=0,
            share_of_wallet=50, relationship=20, payment=90, service=100, pipeline=40,
            reasons=reasons, weights={"relationship": 20}, computed_at=timezone.now(),
        )  # fmt: skip
    SalesPlan.objects.create(kam=alice, month=date(2026, 7, 1), revenue_target=D("1000"))

    rendered = _render("qbr_pack", alice, account=alice_account.pk, year=2026, quarter=3)

    text = "\n".join(pdf_pages(rendered.content))
    assert "Health · 58/100" in text
    assert "-16 points against last month" in text
    assert "Relationship 20 20 no decision-maker known" in text
    assert "08.2026 09.2026" in text and "74 58" in text  # the trend's figures under its chart
    assert "Plan vs actual" in text and "1,000.00 PLN" in text
    assert "This account: 390.00 PLN invoiced · 39.0 % of the plan" in text


# The nightly run e-mails the letter to the billing contact (issue 9) ---------------------------


def _billing_contact(account, **extra):
    contact = ContactFactory(
        account=account, first_name="Ewa", last_name="Księgowa", email="ewa@alpha.example", **extra
    )
    account.billing_contact = contact
    account.save(update_fields=["billing_contact"])
    return contact


def _night(capture, day=DAY):
    from receivables import tasks as receivables_tasks

    with capture(execute=True):
        return receivables_tasks.dunning_run(day.isoformat())


def test_the_nightly_run_emails_the_letter_to_the_billing_contact_in_their_language(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    _billing_contact(alice_account, languages="polski, angielski")

    _night(django_capture_on_commit_callbacks)  # FV/2 is 20 days late: a reminder by e-mail

    [message] = mail.outbox
    assert message.to == ["ewa@alpha.example"]
    assert message.body.startswith("Dzień dobry,")
    [(name, content, content_type)] = message.attachments
    assert content_type == "application/pdf" and name.startswith("dunning-alpha-foods-")
    assert "FV/2" in pdf_pages(content)[0]
    job = ReportJob.objects.get(kind="dunning_letter")
    assert job.deliver_to == "ewa@alpha.example" and job.delivered_at is not None
    level_entry = ledger["late"].collection.get(kind="level")
    assert "by e-mail to the billing contact, Ewa Księgowa <ewa@alpha.example>" in level_entry.note


def test_a_rerun_or_a_doubled_signal_never_emails_twice(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    from receivables.models import CollectionAction
    from receivables.signals import dunning_letters_due

    _billing_contact(alice_account)
    _night(django_capture_on_commit_callbacks)
    _night(django_capture_on_commit_callbacks)
    level = CollectionAction.objects.get(kind="level").level_id
    with django_capture_on_commit_callbacks(execute=True):
        dunning_letters_due.send(
            sender=DunningLevel,
            letters=[(alice_account.pk, level, DAY.isoformat(), alice_account.billing_contact_id)],
            actor=adam,
        )

    assert len(mail.outbox) == 1
    assert ReportJob.objects.filter(kind="dunning_letter").count() == 1


def test_without_a_billing_contact_the_letter_waits_for_finance(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    ContactFactory(account=alice_account, email="someone@alpha.example")  # not the billing one

    _night(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    job = ReportJob.objects.get(kind="dunning_letter")
    assert job.status == "done" and job.deliver_to == ""
    level_entry = ledger["late"].collection.get(kind="level")
    assert level_entry.note.startswith("No billing contact with an e-mail address")


def test_a_letter_level_is_not_emailed_even_with_a_billing_contact(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    DunningLevel.objects.filter(channel="email").update(channel="letter")
    _billing_contact(alice_account)

    _night(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert ReportJob.objects.get(kind="dunning_letter").deliver_to == ""


def test_an_english_speaking_contact_gets_it_in_english(
    alice_account, ledger, adam, django_capture_on_commit_callbacks
):
    _billing_contact(alice_account, languages="English")
    _night(django_capture_on_commit_callbacks)
    assert mail.outbox[0].body.startswith("Good day,")
