"""Properties of the commission arithmetic, over many generated cases (Hypothesis)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissions.models import CommissionEntry, Statement
from commissions.services.ledger import commission_delta
from commissions.services.schemes import Rules, bracket_commission
from receivables import services
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    SEPT,
    calculate,
    invoice_lines,
    pay_invoice,
)

# The ledger's fixtures, visible to pytest in this module.
default_schemes = ledger_helpers.default_schemes

D = Decimal
DEFAULT = Rules(
    version_id=None,
    scheme="standard",
    valid_from=date(2000, 1, 1),
    brackets=(
        (D("0"), D("100000"), D("15")),
        (D("100000"), D("1000000"), D("10")),
        (D("1000000"), None, D("5")),
    ),
)
cents = st.integers(min_value=0, max_value=300_000_000).map(lambda c: D(c) / 100)


@given(cents, cents)
def test_marginal_commission_never_falls_as_the_sale_grows(a, b):
    low, high = sorted((a, b))
    assert bracket_commission(DEFAULT, low) <= bracket_commission(DEFAULT, high)


@given(st.lists(cents, min_size=1, max_size=6))
def test_a_sale_split_into_parts_earns_what_the_whole_does_to_the_cent(parts):
    before, earned = D(0), D(0)
    for part in parts:
        earned += commission_delta(DEFAULT, before, before + part, "PLN")
        before += part
    assert earned == commission_delta(DEFAULT, D(0), sum(parts), "PLN")


SLOW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@SLOW
@given(
    amounts=st.lists(
        st.integers(min_value=1, max_value=5_000_000).map(lambda c: D(c) / 100),
        min_size=1,
        max_size=4,
    ),
    paid=st.integers(min_value=1, max_value=100),
)
def test_statement_total_is_the_sum_of_its_entries(fiona, alice, alice_account, pay, amounts, paid):
    try:
        with transaction.atomic():
            for amount in amounts:
                invoice = invoice_lines(fiona, alice_account, (amount, "0"))
                part = (amount * paid / 100).quantize(D("0.01")) or amount
                pay_invoice(fiona, pay, invoice, part, SEPT)
            calculate(fiona, SEPT)
            statement = Statement.objects.get(kam=alice)
            assert statement.total == sum(
                CommissionEntry.objects.filter(kam=alice).values_list("amount", flat=True), D(0)
            )
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@SLOW
@given(
    amount=st.integers(min_value=100, max_value=5_000_000).map(lambda c: D(c) / 100),
    paid=st.integers(min_value=1, max_value=100),
)
def test_pay_then_reverse_then_pay_again_ends_where_it_started(
    fiona, alice, alice_account, pay, amount, paid
):
    try:
        with transaction.atomic():
            invoice = invoice_lines(fiona, alice_account, (amount, "0"))
            part = max((amount * paid / 100).quantize(D("0.01")), D("0.01"))
            once = pay_invoice(fiona, pay, invoice, part, SEPT)
            calculate(fiona, SEPT)
            after_one = Statement.objects.get(kam=alice).total
            services.payment_reverse(
                actor=fiona, payment=once, reversed_on=date(2026, 9, 2), reason="x"
            )
            pay_invoice(fiona, pay, invoice, part, date(2026, 9, 3))
            calculate(fiona, SEPT)
            assert Statement.objects.get(kam=alice).total == after_one
            raise Rollback
    except Rollback:
        pass
