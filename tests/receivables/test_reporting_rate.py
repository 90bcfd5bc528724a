"""A document keeps the rate into the reporting currency of its issue date (issue 13): a rate
corrected in the table later never moves a figure already reported."""

from datetime import date
from decimal import Decimal

from core.models import ExchangeRate
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
