"""Calculating a month twice gives the same entries to the cent, and the calculation's number
of queries does not grow with the number of KAMs, invoices or payments (no per-row query)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissions.models import CommissionEntry, Statement
from receivables import services
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    SEPT,
    calculate,
    invoice_lines,
    margin_for,
    pay_invoice,
    plan,
)
from tests.factories import AccountFactory

default_schemes = ledger_helpers.default_schemes

D = Decimal
pytestmark = pytest.mark.django_db
FIELDS = [
    "pk", "source_key", "kind", "kam_id", "invoice_id", "invoice_line_id", "allocation_id",
    "credit_note_id", "corrects_id", "scheme_version_id", "sale_key", "currency", "on_date",
    "base", "base_before", "slices", "share", "commission", "multiplier", "fulfilment",
    "amount", "note",
]  # fmt: skip


def a_busy_month(fiona, pay, kams):
    """Each KAM: two invoices, one paid in part, one paid, reversed and paid again, a credit
    note, a plan; the last KAM on the margin scheme."""
    margin_for(kams[-1], earned_on="payment")
    for n, kam in enumerate(kams):
        plan(kam, SEPT, "2000")
        account = AccountFactory(owner=kam, name=f"Client {kam.username}")
        first = invoice_lines(fiona, account, ("1000.00", "400.00"), ("333.33", "0"))
        second = invoice_lines(fiona, account, ("700.00", "100.00"), issued=date(2026, 9, 3 + n))
        pay_invoice(fiona, pay, first, "500.00", date(2026, 9, 10))
        payment = pay_invoice(fiona, pay, second, "700.00", date(2026, 9, 11))
        services.payment_reverse(
            actor=fiona, payment=payment, reversed_on=date(2026, 9, 12), reason="bounced"
        )
        pay_invoice(fiona, pay, second, "700.00", date(2026, 9, 13))
        services.credit_note_issue(
            actor=fiona,
            invoice=first,
            issue_date=date(2026, 9, 20),
            reason="price",
            net_amount=D("100.00"),
        )


def snapshot():
    return (
        list(CommissionEntry.objects.order_by("source_key").values_list(*FIELDS)),
        list(
            Statement.objects.order_by("kam_id").values_list(
                "kam_id", "earned", "clawback", "total", "entry_count", "fulfilment", "multiplier"
            )
        ),
    )


def test_calculating_twice_gives_the_same_entries_to_the_cent(fiona, pay, alice, bob, charlie):
    a_busy_month(fiona, pay, [alice, bob, charlie])
    calculate(fiona, SEPT)
    first = snapshot()

    calculate(fiona, SEPT)

    assert snapshot() == first
    assert len(first[0]) == 12  # each KAM's four allocations (the credit note takes no money back)
    assert {row[2] for row in first[0]} == {"earned", "clawback"}


def _queries_of_a_calculation(fiona):
    with CaptureQueriesContext(connection) as queries:
        calculate(fiona, SEPT)
    return len(queries)


def test_the_calculation_makes_as_many_queries_for_three_kams_as_for_one(
    fiona, pay, alice, bob, charlie
):
    a_busy_month(fiona, pay, [alice])
    few = _queries_of_a_calculation(fiona)
    CommissionEntry.objects.all().delete()
    Statement.objects.all().delete()
    a_busy_month(fiona, pay, [bob, charlie])

    many = _queries_of_a_calculation(fiona)

    # The statements are written one per KAM (an INSERT or UPDATE each); nothing else grows.
    assert many - few <= 2
