"""The ledger's sale arithmetic against the straightforward recomputation it replaced.

`salebook_load` takes each sale's base before an invoice from a window sum in SQL, reads only
the lines a source needs and carries the exact commission from line to line. The reference
below walks every counted invoice of every sale from a zero base, line by line, with
`commission_delta`: on data with the edge cases (brackets crossed inside one line, a rule
change inside a sale, a sale invoiced by order and by contract, an invoice cancelled without
a record, a recorded cancellation, credit notes, a reversal, two currencies, flat and margin
schemes, earned on invoice and on payment, a closed period) both must give the same entries.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissions.models import CommissionEntry, CommissionPeriod, CommissionScheme, SchemeAssignment
from commissions.services import ledger, schemes
from commissions.services.ledger import LineResult, SaleBook, commission_delta, counted
from commissions.services.schemes import Rules, bracket_slices, rulebook_load
from deals.models import Contract, Deal
from receivables import services
from receivables.models import Invoice
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    OCT,
    SEPT,
    calculate,
    close,
    invoice_lines,
    margin_for,
    pay_invoice,
    plan,
)
from tests.commissions.test_ledger_cancellation import cancel
from tests.deals.factories import OrderFactory
from tests.factories import AccountFactory

default_schemes = ledger_helpers.default_schemes

D = Decimal
AUG = date(2026, 8, 1)


def walked_salebook(*, book, invoice_ids=(), deal_ids=(), earning=None) -> SaleBook:
    """Every counted invoice of every sale in invoice order from a zero base, each line the
    rounded commission on the sale's base after it less the same before it; every invoice of
    `invoice_ids` computed, whatever `earning` says."""
    sales = SaleBook()
    wanted = set(invoice_ids)
    walked: dict[str, list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for invoice in (
        Invoice.objects.filter(counted())
        .select_related("order__contract", "contract", "credited_to")
        .order_by("issue_date", "pk")
    ):
        deal = (invoice.order and invoice.order.contract and invoice.order.contract.deal_id) or (
            invoice.contract and invoice.contract.deal_id
        )
        key = f"deal:{deal}" if deal else f"invoice:{invoice.pk}"
        totals = walked[key]
        rules = (
            book.rules_for(
                kam_id=invoice.credited_to_id,
                territory_id=invoice.credited_to.territory_id,
                on=invoice.issue_date,
            )
            if invoice.credited_to_id
            else None
        )
        on_margin = rules is not None and rules.basis == "margin"
        results = []
        for line in invoice.lines.order_by("pk"):
            margin = line.net_amount - line.cost_amount
            before, base = (totals[1], margin) if on_margin else (totals[0], line.net_amount)
            totals[0] += line.net_amount
            totals[1] += margin
            slices, commission = [], D(0)
            if rules is not None:
                slices = bracket_slices(rules, before, before + base)
                commission = commission_delta(rules, before, before + base, invoice.currency)
            results.append(
                LineResult(line.pk, invoice.pk, key, rules, base, before, slices, commission)
            )
        if invoice.pk in wanted:
            sales.invoices[invoice.pk] = invoice
            sales.rules[invoice.pk] = rules
            sales.by_invoice[invoice.pk] = results
    deals = {f"deal:{d}" for d in deal_ids}
    sales.sale_totals = {k: (v[0], v[1]) for k, v in walked.items() if k in deals}
    return sales


def flat_on_invoice(kam):
    """`kam` on a flat, amount-based scheme earning on invoice."""
    scheme = CommissionScheme.objects.create(code="flat", name="Flat", currency="PLN")
    schemes.scheme_version_create(
        scheme=scheme,
        valid_from=date(2000, 1, 1),
        basis="amount",
        mode="flat",
        earned_on="invoice",
        brackets=[(D(0), D(100000), D(15)), (D(100000), None, D(10))],
    )
    SchemeAssignment.objects.create(scheme=scheme, kam=kam, valid_from=date(2000, 1, 1))


def issued(fiona, account, day, *prices, currency="PLN", order=None):
    """An invoice of `prices` at no cost and 0 % VAT, in `currency`, for `order` if given."""
    return services.invoice_issue(
        actor=fiona,
        account=account,
        issue_date=day,
        due_date=day,
        currency=currency,
        order=order,
        lines=[
            services.LineInput(
                description="Goods", quantity=D(1), unit_price=D(p), unit_cost=D(0), vat_code="0"
            )
            for p in prices
        ],
    )


def two_months(fiona, pay, alice, bob, charlie):
    """Alice on the standard scheme (on payment) with a rule change on 15 September, Bob on
    the margin scheme (on invoice), Charlie flat (on invoice); August is history only."""
    margin_for(bob, earned_on="invoice")
    flat_on_invoice(charlie)
    schemes.scheme_version_create(
        scheme=CommissionScheme.objects.get(code="standard"),
        valid_from=date(2026, 9, 15),
        basis="amount",
        brackets=[(D(0), D(150000), D(12)), (D(150000), None, D(8))],
        multipliers=[(D(0), D(50), D("0.5")), (D(50), None, D(1))],
    )
    plan(alice, SEPT, "1000000")
    a, b, c = (AccountFactory(owner=k, name=f"Client {k.username}") for k in (alice, bob, charlie))
    deal = Deal.objects.create(account=a, owner=alice, title="Big", probability=90)
    contract = Contract.objects.create(
        account=a, deal=deal, number="K-1", start_date=AUG, end_date=date(2027, 9, 1), value=D(0)
    )
    order = OrderFactory(account=a, contract=contract)
    old = invoice_lines(fiona, a, ("90000.00", "0"), issued=date(2026, 8, 20), contract=contract)
    gone = invoice_lines(fiona, a, ("7000.00", "0"), issued=date(2026, 9, 3), contract=contract)
    # Cancelled before commissions kept a record: it never counts in the sale.
    Invoice.objects.filter(pk=gone.pk).update(status="cancelled")
    by_order = issued(fiona, a, date(2026, 9, 5), "20000.00", "5000.00", order=order)
    big = invoice_lines(
        fiona, a, ("1000000.00", "0"), ("333.33", "0"), issued=date(2026, 9, 20), contract=contract
    )
    alone = invoice_lines(fiona, a, ("99999.99", "0"), ("0.02", "0"), issued=date(2026, 9, 21))
    pay_invoice(fiona, pay, old, "45000.00", date(2026, 9, 2))
    pay_invoice(fiona, pay, by_order, "10000.00", date(2026, 9, 10))
    bounced = pay_invoice(fiona, pay, big, "500000.00", date(2026, 9, 25))
    services.payment_reverse(
        actor=fiona, payment=bounced, reversed_on=date(2026, 9, 26), reason="bounced"
    )
    pay_invoice(fiona, pay, big, "333.33", date(2026, 9, 27))
    pay_invoice(fiona, pay, alone, "100000.01", date(2026, 9, 30))

    below = invoice_lines(fiona, b, ("1000.00", "1500.00"), ("3000.00", "100.00"), issued=SEPT)
    services.credit_note_issue(
        actor=fiona, invoice=below, issue_date=date(2026, 9, 9), reason="price", net_amount=D(300)
    )
    later = invoice_lines(fiona, b, ("2000.00", "500.00"), issued=date(2026, 9, 12))
    spare = invoice_lines(fiona, b, ("800.00", "200.00"), issued=date(2026, 9, 15))
    euros = issued(fiona, c, date(2026, 9, 8), "100000.01", currency="EUR")
    invoice_lines(fiona, c, ("99999.99", "0"), issued=date(2026, 9, 9))
    return SimpleNamespace(
        old=old, by_order=by_order, big=big, later=later, spare=spare, euros=euros, deal=deal
    )


def rows_both_ways(month):
    """The period's computed entries by the ledger, and by the ledger with the walked sales."""
    period = CommissionPeriod.objects.get(month=month)
    new = ledger.period_rows_compute(period=period, book=rulebook_load())
    with mock.patch.object(ledger, "salebook_load", walked_salebook):
        old = ledger.period_rows_compute(period=period, book=rulebook_load())
    return new, old


def frozen(month):
    return list(
        CommissionEntry.objects.filter(period__month=month)
        .order_by("source_key")
        .values_list("source_key", "amount", "commission", "multiplier", "slices", "base")
    )


@pytest.mark.django_db
def test_each_line_earns_what_walking_its_whole_sale_from_zero_gives(
    fiona, pay, alice, bob, charlie
):
    made = two_months(fiona, pay, alice, bob, charlie)
    book = rulebook_load()
    every = list(Invoice.objects.values_list("pk", flat=True))

    sales = ledger.salebook_load(book=book, invoice_ids=every, deal_ids=[made.deal.pk])
    walked = walked_salebook(book=book, invoice_ids=every, deal_ids=[made.deal.pk])

    assert sales.by_invoice == walked.by_invoice
    assert sales.rules == walked.rules
    assert sales.sale_totals == walked.sale_totals
    # The edge cases are there: a line crossing 100,000, one crossing into the new rules'
    # 8 % inside the same sale (from 115,000), a sale by order and by contract.
    crossing = sales.by_invoice[made.by_order.pk][0]
    assert (crossing.base_before, [s.rate for s in crossing.slices]) == (D("90000.00"), [15, 10])
    assert [s.rate for s in sales.by_invoice[made.big.pk][0].slices] == [12, 8]
    assert crossing.sale_key == sales.by_invoice[made.big.pk][0].sale_key == f"deal:{made.deal.pk}"


@pytest.mark.django_db
def test_the_entries_of_two_months_match_the_walked_recomputation_and_a_closed_one_stays(
    fiona, pay, alice, bob, charlie
):
    made = two_months(fiona, pay, alice, bob, charlie)
    calculate(fiona, SEPT)
    new, old = rows_both_ways(SEPT)
    assert new == old
    assert {r["kind"] for r in new.values()} == {"earned", "clawback"}
    assert {r["currency"] for r in new.values()} == {"PLN", "EUR"}
    close(fiona, SEPT)
    september = frozen(SEPT)
    # October: the rest paid, a credit note after the close, a recorded cancellation.
    pay_invoice(fiona, pay, made.by_order, "15000.00", date(2026, 10, 5))
    pay_invoice(fiona, pay, made.big, "500000.00", date(2026, 10, 6))
    services.credit_note_issue(
        actor=fiona,
        invoice=made.later,
        issue_date=date(2026, 10, 7),
        reason="price",
        net_amount=D(500),
    )
    cancel(fiona, made.spare, date(2026, 10, 8))

    calculate(fiona, OCT)
    first = frozen(OCT)
    new, old = rows_both_ways(OCT)
    calculate(fiona, OCT)

    assert new == old
    assert frozen(OCT) == first
    assert frozen(SEPT) == september
    assert any(e.corrects_id for e in CommissionEntry.objects.filter(period__month=OCT))


@given(
    before=st.integers(min_value=-500_000, max_value=150_000_000),
    parts=st.lists(st.integers(min_value=-300_000_000, max_value=300_000_000), max_size=6),
    mode=st.sampled_from(["marginal", "flat"]),
)
def test_carrying_the_exact_commission_from_line_to_line_is_commission_delta_per_line(
    before, parts, mode
):
    rules = Rules(
        version_id=None,
        scheme="standard",
        valid_from=date(2000, 1, 1),
        mode=mode,
        brackets=(
            (D("0"), D("100000"), D("15")),
            (D("100000"), D("1000000"), D("12.5")),
            (D("1000000"), None, D("5")),
        ),
    )
    start = D(before) / 100
    lines = [(n, D(c) / 100, D(0)) for n, c in enumerate(parts)]
    invoice = SimpleNamespace(pk=1, currency="PLN")

    results = ledger._lines_earn(
        rules=rules, invoice=invoice, sale="s", before=(start, D(0)), lines=lines
    )

    expected, base = [], start
    for _n, net, _cost in lines:
        expected.append(commission_delta(rules, base, base + net, "PLN"))
        base += net
    assert [r.commission for r in results] == expected
