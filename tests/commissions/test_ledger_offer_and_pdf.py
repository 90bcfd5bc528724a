"""The commission on the offer page, and the statement PDF (also sent when a period closes)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissions.selectors.fulfilment import fulfilment_by_kam
from commissions.selectors.statements import offer_commission, slices_by_bracket
from commissions.services.ledger import month_end, month_of
from core.models import ExchangeRate
from reports import tasks
from reports.models import ReportJob
from reports.registry import kind_get
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
    plan,
)
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory, ProductFactory
from tests.reports.conftest import media, pdf_pages  # noqa: F401

# The ledger's fixtures, visible to pytest in this module.
default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(alice_account):
    deal = DealFactory(account=alice_account, title="Spring range", stage="offer", probability=40)
    offer = OfferFactory(deal=deal, version=1, status="draft")
    # 10 x 100.00 list at 5 % off = 950.00, cost 600.00
    OfferLineFactory(offer=offer, product=ProductFactory(name="Żurek"), quantity=D("10"))
    return offer


def test_the_offer_shows_what_it_earns_at_its_discount_at_list_and_per_point(offer, alice):
    c = offer_commission(offer=offer, kam=alice)

    # No plan this month: x 1. 950 x 15 % = 142.50; 1,000 x 15 % = 150.00; 940 x 15 % = 141.00.
    assert (c.at_offer, c.at_list, c.per_point) == (D("142.50"), D("150.00"), D("1.50"))
    assert not c.band_changes


def test_the_offer_says_when_it_moves_the_kam_into_another_multiplier_band(offer, alice):
    plan(alice, month_of(timezone.localdate()), "1000")

    c = offer_commission(offer=offer, kam=alice)

    # 0 % → 95 % of plan: x 0 → x 0.8; 142.50 x 0.8 = 114.00, 150 x 0.8, 141 x 0.8 = 112.80.
    assert (c.multiplier_now, c.multiplier_after, c.band_changes) == (D("0"), D("0.8"), True)
    assert (c.at_offer, c.at_list, c.per_point) == (D("114.00"), D("120.00"), D("1.20"))


def test_the_offers_band_counts_foreign_invoices_at_their_frozen_rates(offer, alice, fiona, issue):
    today = timezone.localdate()
    ExchangeRate.objects.create(day=today, currency="EUR", rate=D("4.00"))
    plan(alice, month_of(today), "1000")
    issue(offer.deal.account, "100.00", currency="EUR", issued=today)  # 400.00 PLN

    c = offer_commission(offer=offer, kam=alice)

    # 40 % now (x 0) as the fulfilment pages and the calculation count it, 135 % with the
    # offer's 950.00 (x 1.2): 142.50 x 1.2 = 171.00. In plan currency alone: 0 % -> 95 %, x 0.8.
    assert (c.fulfilment_now, c.fulfilment_after) == (D("40.00"), D("135.00"))
    assert (c.multiplier_now, c.multiplier_after) == (D("0"), D("1.2"))
    assert c.at_offer == D("171.00")
    [row] = fulfilment_by_kam(kam_ids=[alice.pk], start=month_of(today), end=month_end(today))
    assert row.invoiced == D("400.00")


def test_a_foreign_currency_offer_counts_towards_the_plan_at_todays_rate(offer, alice):
    today = timezone.localdate()
    ExchangeRate.objects.create(day=today, currency="EUR", rate=D("4.00"))
    plan(alice, month_of(today), "4000")
    type(offer).objects.filter(pk=offer.pk).update(currency="EUR")
    offer.refresh_from_db()

    c = offer_commission(offer=offer, kam=alice)

    # 950.00 EUR at 4.00 = 3,800.00 PLN of a 4,000.00 plan: 95 %, not 23.75 %.
    assert c.fulfilment_after == D("95.00")
    assert c.multiplier_after == D("0.8")


def test_the_offer_figure_agrees_with_the_statement_once_invoiced(
    on_invoice, offer, alice, alice_account, fiona
):
    promised = offer_commission(offer=offer, kam=alice).at_offer
    invoice_lines(fiona, alice_account, ("950.00", "600.00"), issued=month_of(timezone.localdate()))

    calculate(fiona, month_of(timezone.localdate()))

    assert [e.amount for e in entries(alice)] == [promised]


def test_the_offer_page_shows_the_panel_to_its_kam_only(client, offer, alice, bob, dora):
    url = reverse("deals:offer_detail", args=[offer.pk])
    client.force_login(alice)
    assert "Your commission on this offer" in client.get(url).content.decode()
    client.force_login(dora)
    assert "Your commission on this offer" in client.get(url).content.decode()


def _render(user, statement):
    job = ReportJob.objects.create(
        kind="commission_statement",
        parameters={"statement": statement.pk},
        title="t",
        requested_by=user,
        as_of=timezone.now(),
    )
    rendered = kind_get("commission_statement").render(job, lambda percent: None)
    job.delete()
    return rendered


def test_the_statement_pdf_lists_every_line_and_renders_the_same_figures_again(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"), ("2000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    statement = alice.commission_statements.get()

    [page] = [" ".join(p.split()) for p in pdf_pages(_render(alice, statement).content)]
    again = " ".join(pdf_pages(_render(alice, statement).content)[0].split())

    assert "Commission statement September 2026" in page
    assert "Alpha Foods" in page and "1,000.00 \u00d7 15 %" in page
    assert "450.00 PLN" in page
    assert "Provisional" not in page
    assert page.split("Commission statement", 1)[1] == again.split("Commission statement", 1)[1]


def test_the_statement_pdf_puts_a_line_on_a_row(on_invoice, fiona, alice, alice_account):
    invoices = [invoice_lines(fiona, alice_account, ("100.00", "0")) for _ in range(60)]
    calculate(fiona, SEPT)
    statement = alice.commission_statements.get()
    assert statement.entry_count == 60

    pages = [" ".join(p.split()) for p in pdf_pages(_render(alice, statement).content)]

    # Sixty lines on two pages (the layout with a Kind column and wrapped slices took four).
    assert len(pages) == 2
    text = " ".join(pages)
    assert all(invoice.number in text for invoice in invoices)
    assert text.count("100.00 \u00d7 15 % 15.00") == 60


def test_an_entrys_slices_are_added_up_per_bracket():
    slices = [
        {"lower": "100000.00", "upper": "1000000.00", "rate": "10", "amount": "29536.00"},
        {"lower": "0", "upper": "100000.00", "rate": "15", "amount": "1000.00"},
        {"lower": "100000.00", "upper": "1000000.00", "rate": "10", "amount": "38677.35"},
        {"lower": "1000000.00", "upper": None, "rate": "5", "amount": "3.50"},
    ]

    assert [(s["amount"], s["rate"]) for s in slices_by_bracket(slices)] == [
        (D("1000.00"), D("15")),
        (D("68213.35"), D("10")),
        (D("3.50"), D("5")),
    ]


def test_another_kam_cannot_have_the_statement_pdf(on_invoice, fiona, alice, bob, alice_account):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    from django.http import Http404

    with pytest.raises(Http404):
        kind_get("commission_statement").authorize(
            bob, {"statement": alice.commission_statements.get().pk}
        )


def test_closing_a_period_prepares_each_kams_pdf_to_be_e_mailed_to_them(
    on_invoice,
    fiona,
    alice,
    bob,
    alice_account,
    bob_account,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    queued = []
    monkeypatch.setattr(tasks.report_job_run, "delay", queued.append)
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    invoice_lines(fiona, bob_account, ("1000.00", "0"))
    calculate(fiona, SEPT)

    with django_capture_on_commit_callbacks(execute=True):
        close(fiona, SEPT)

    jobs = ReportJob.objects.filter(kind="commission_statement").order_by("requested_by__username")
    assert [(j.requested_by, j.email_when_done) for j in jobs] == [(alice, True), (bob, True)]
    assert sorted(queued) == sorted(j.pk for j in jobs)
