"""Whatever finance does in whatever order, the ledger adds up to the cent.

Random sequences of invoices, payments, allocations (oldest first or chosen), credit notes and
reversals; after each step: every invoice's open amount is its gross less its credit notes less
its allocations and never negative, no payment is allocated beyond its amount, and the sum of
open amounts equals invoiced - credited - allocated.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from receivables import selectors, services
from receivables.models import Allocation, CreditNote, Invoice, Payment
from tests.receivables.conftest import DAY

cents = st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c) / 100)
index = st.integers(min_value=0, max_value=5)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), cents, st.sampled_from(["0", "23", "8"])),
        st.tuples(st.just("pay"), cents),
        st.tuples(st.just("oldest_first"), index),
        st.tuples(st.just("chosen"), index, index, cents),
        st.tuples(st.just("credit"), index, cents),
        st.tuples(st.just("reverse"), index),
    ),
    min_size=1,
    max_size=14,
)


def _total(queryset, field="amount"):
    """Added up in Python from the rows: SQLite would sum them as floats."""
    return sum(queryset.values_list(field, flat=True), Decimal(0))


def _check_ledger(account):
    for invoice in Invoice.objects.filter(account=account):
        credited = _total(CreditNote.objects.filter(invoice=invoice), "gross_amount")
        allocated = _total(Allocation.objects.filter(invoice=invoice))
        assert invoice.credited_total == credited
        assert invoice.paid_total == allocated
        assert invoice.open_amount == invoice.gross_total - credited - allocated >= 0
    for payment in Payment.objects.filter(account=account):
        allocated = _total(Allocation.objects.filter(payment=payment))
        assert payment.allocated_total == allocated
        assert 0 <= allocated <= payment.amount
    invoiced = _total(Invoice.objects.filter(account=account), "gross_total")
    credited = _total(CreditNote.objects.filter(account=account), "gross_amount")
    allocated = _total(Allocation.objects.filter(invoice__account=account))
    open_sum = sum(i.open_amount for i in Invoice.objects.filter(account=account))
    assert open_sum == invoiced - credited - allocated
    aging = selectors.aging(invoices=Invoice.objects.filter(account=account), as_of=DAY)
    assert sum(row.total for row in aging.totals) == open_sum


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_open_amounts_always_equal_invoiced_less_credited_less_allocated(
    plan, fiona, alice_account, issue, pay
):
    with transaction.atomic():
        invoices, payments = [], []
        for step in plan:
            kind, *args = step
            try:
                if kind == "invoice":
                    invoices.append(issue(alice_account, args[0], vat=args[1]))
                elif kind == "pay":
                    payments.append(pay(alice_account, args[0]))
                elif kind == "oldest_first" and payments:
                    services.payment_allocate(
                        actor=fiona, payment=payments[args[0] % len(payments)]
                    )
                elif kind == "chosen" and payments and invoices:
                    services.payment_allocate(
                        actor=fiona,
                        payment=payments[args[0] % len(payments)],
                        allocations=[(invoices[args[1] % len(invoices)], args[2])],
                    )
                elif kind == "credit" and invoices:
                    services.credit_note_issue(
                        actor=fiona,
                        invoice=invoices[args[0] % len(invoices)],
                        issue_date=DAY,
                        reason="price",
                        net_amount=args[1],
                        vat_code="0",
                    )
                elif kind == "reverse" and payments:
                    services.payment_reverse(
                        actor=fiona,
                        payment=payments[args[0] % len(payments)],
                        reversed_on=DAY,
                        reason="Bounced",
                    )
            except ValidationError:
                pass  # refused input must leave the ledger as it was: checked below
            _check_ledger(alice_account)
        transaction.set_rollback(True)
