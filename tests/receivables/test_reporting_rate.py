"""A document keeps the rate into the reporting currency of its issue date (issue 13): a rate
corrected in the table later never moves a figure already reported."""

from datetime import date
from decimal import Decimal

from core.models import ExchangeRate
from core.rates import rate_save, rates_import
from receivables import services

from .conftest import DAY


def test_an_invoice_in_the_reporting_currency_converts_at_par(issue, alice_account):
    invoice = issue(alice_account, "100.00")
    assert (invoice.reporting_rate, invoice.reporting_rate_day) == (Decimal(1), DAY)


def test_a_foreign_invoice_freezes_the_rate_of_its_issue_date(issue, alice_account):
    ExchangeRate.objects.create(day=date(2026, 8, 28), currency="EUR", rate=Decimal("4.2655"))
    invoice = issue(alice_account, "100.00", currency="EUR")
    ExchangeRate.objects.filter(currency="EUR").update(rate=Decimal("9.9999"))
    invoice.refresh_from_db()
    assert (invoice.reporting_rate, invoice.reporting_rate_day) == (
        Decimal("4.2655"),
        date(2026, 8, 28),
    )


def test_without_a_rate_the_invoice_keeps_none_rather_than_guess(issue, alice_account):
    invoice = issue(alice_account, "100.00", currency="EUR")
    assert invoice.reporting_rate is None


def test_a_credit_note_freezes_the_rate_of_its_own_date(issue, alice_account, fiona):
    ExchangeRate.objects.create(day=DAY, currency="EUR", rate=Decimal("4.30"))
    ExchangeRate.objects.create(day=date(2026, 9, 15), currency="EUR", rate=Decimal("4.20"))
    invoice = issue(alice_account, "100.00", currency="EUR")
    credit = services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 9, 15),
        reason="price",
        net_amount=Decimal("10.00"),
    )
    assert (invoice.reporting_rate, credit.reporting_rate) == (Decimal("4.30"), Decimal("4.20"))


def test_a_rate_entered_later_fills_the_invoices_that_had_none(issue, alice_account, fiona):
    waiting = issue(alice_account, "100.00", currency="EUR")
    rate_save(actor=fiona, day=date(2026, 8, 31), currency="EUR", rate=Decimal("4.2711"))
    waiting.refresh_from_db()
    assert (waiting.reporting_rate, waiting.reporting_rate_day) == (
        Decimal("4.2711"),
        date(2026, 8, 31),
    )


def test_a_rate_entered_later_never_moves_a_frozen_one(issue, alice_account, fiona):
    ExchangeRate.objects.create(day=DAY, currency="EUR", rate=Decimal("4.30"))
    frozen = issue(alice_account, "100.00", currency="EUR")
    rate_save(actor=fiona, day=DAY, currency="EUR", rate=Decimal("4.99"))
    frozen.refresh_from_db()
    assert frozen.reporting_rate == Decimal("4.30")


def test_a_rate_of_another_currency_or_too_old_leaves_the_invoice_without(
    issue, alice_account, fiona
):
    waiting = issue(alice_account, "100.00", currency="EUR")
    rate_save(actor=fiona, day=DAY, currency="USD", rate=Decimal("3.90"))
    rate_save(actor=fiona, day=date(2026, 8, 20), currency="EUR", rate=Decimal("4.25"))
    waiting.refresh_from_db()
    assert waiting.reporting_rate is None


def test_an_imported_table_fills_invoices_and_credit_notes(issue, alice_account, fiona):
    invoice = issue(alice_account, "100.00", currency="EUR")
    credit = services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 9, 15),
        reason="price",
        net_amount=Decimal("10.00"),
    )
    table = "data;1USD;1EUR;nr tabeli\n20260901;3,9000;4,2600;169/A/NBP/2026\n"
    table += "20260915;3,9100;4,2400;179/A/NBP/2026\n"
    result = rates_import(actor=fiona, content=table.encode())
    assert (result.saved, result.errors) == (4, [])
    invoice.refresh_from_db()
    credit.refresh_from_db()
    assert (invoice.reporting_rate, credit.reporting_rate) == (Decimal("4.26"), Decimal("4.24"))


def test_a_refused_import_fills_nothing(issue, alice_account, fiona):
    invoice = issue(alice_account, "100.00", currency="EUR")
    rates_import(actor=fiona, content=b"day,currency,rate\n2026-09-01,EUR,4.26\nxx,EUR,4\n")
    invoice.refresh_from_db()
    assert invoice.reporting_rate is None
