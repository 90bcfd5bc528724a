"""An invoice cancelled after it earned gives its commission back in the period of the
cancellation, like a credit note of all of it, and never touches a closed period.

Figures by hand, default scheme (15 % up to 100,000): an invoice of 1,000.00 earns 150.00.
"""

from datetime import date
from decimal import Decimal

import pytest

from commissions.models import CommissionEntry, InvoiceCancellation
from receivables import services
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    OCT,
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
    pay_invoice,
    plan,
    statement,
    total,
)

default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal
pytestmark = pytest.mark.django_db


def cancel(fiona, invoice, on: date):
    """Cancel through receivables (its signal reaches commissions), dated `on`: the service
    stamps today's date, so the test moves it into the month it is about."""
    services.invoice_cancel(actor=fiona, invoice=invoice, reason="issued by mistake")
    InvoiceCancellation.objects.filter(invoice=invoice).update(on_date=on)


def test_an_invoice_cancelled_in_its_own_open_period_nets_to_zero(
    on_invoice, fiona, alice, alice_account
):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    assert total(alice, SEPT) == D("150.00")

    cancel(fiona, invoice, date(2026, 9, 20))
    calculate(fiona, SEPT)

    assert [(e.kind, e.amount) for e in entries(alice, SEPT)] == [
        ("earned", D("150.00")),
        ("clawback", D("-150.00")),
    ]
    assert statement(alice, SEPT).total == D("0.00")


def test_an_invoice_cancelled_after_its_period_closed_is_clawed_back_in_the_next_open_one(
    on_invoice, fiona, alice, alice_account
):
    # Plan 1,250, invoiced 1,000: 80 % → multiplier 0.5, so September earns 75.00.
    plan(alice, SEPT, "1250")
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    [earned] = entries(alice, SEPT)
    assert earned.amount == D("75.00")

    cancel(fiona, invoice, date(2026, 10, 5))
    calculate(fiona, OCT)
    calculate(fiona, OCT)  # twice: still one clawback

    [clawback] = entries(alice, OCT)
    # Takes back what it earned at the multiplier it earned with (October has no plan).
    assert (clawback.kind, clawback.amount, clawback.multiplier) == (
        "clawback",
        D("-75.00"),
        D("0.500"),
    )
    assert clawback.corrects == earned and clawback.on_date == date(2026, 10, 5)
    assert clawback.is_cancellation
    assert total(alice, SEPT) == D("75.00")  # the closed period is untouched
    assert statement(alice, OCT).total == D("-75.00")


def test_an_invoice_cancelled_in_a_later_month_keeps_its_earning_in_its_own_period(
    on_invoice, fiona, alice, alice_account
):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    cancel(fiona, invoice, date(2026, 10, 5))

    calculate(fiona, SEPT)
    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("150.00")
    assert total(alice, OCT) == D("-150.00")
    assert entries(alice, OCT)[0].corrects is None  # September is open: it may still change


def test_on_the_payment_basis_the_reversal_before_the_cancellation_takes_back_the_earning(
    fiona, alice, alice_account, pay
):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    payment = pay_invoice(fiona, pay, invoice, "1000.00", date(2026, 9, 2))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    services.payment_reverse(
        actor=fiona, payment=payment, reversed_on=date(2026, 10, 3), reason="bounced"
    )
    cancel(fiona, invoice, date(2026, 10, 4))

    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("150.00")
    assert [(e.kind, e.amount) for e in entries(alice, OCT)] == [("clawback", D("-150.00"))]
    assert not CommissionEntry.objects.filter(source_key__startswith="cancel:").exists()


def test_an_unpaid_invoice_on_the_payment_basis_cancelled_earns_nothing_anywhere(
    fiona, alice, alice_account
):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    cancel(fiona, invoice, date(2026, 9, 20))

    calculate(fiona, SEPT)

    assert entries(alice) == []


def test_a_credit_note_in_the_invoices_own_open_period_claws_back_its_share_there(
    on_invoice, fiona, alice, alice_account
):
    invoice = invoice_lines(fiona, alice_account, ("10000.00", "0"))
    services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D("2500.00"),
    )

    calculate(fiona, SEPT)

    # 10,000 earns 1,500.00; a quarter of it is credited: -375.00.
    assert [(e.kind, e.amount) for e in entries(alice, SEPT)] == [
        ("earned", D("1500.00")),
        ("clawback", D("-375.00")),
    ]
