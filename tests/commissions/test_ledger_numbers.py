"""The default scheme against figures worked out by hand (README, "Commissions").

Standard scheme: a sale up to 100,000 earns 15 %, 100,000-1,000,000 10 %, above 5 %, marginal;
plan multiplier < 70 % → 0, 70-90 → 0.5, 90-100 → 0.8, 100-120 → 1.0, ≥ 120 → 1.2; no plan,
no multiplier (1).
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AccountEvent
from commissions.models import SchemeVersion
from commissions.services import schemes
from deals.models import Contract, Deal
from receivables import services
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    OCT,
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
    margin_for,
    pay_invoice,
    plan,
    statement,
    total,
)

# The ledger's fixtures, visible to pytest in this module.
default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal
pytestmark = pytest.mark.django_db


def test_a_sale_exactly_on_the_bracket_boundary_earns_15_percent_of_it(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("100000.00", "0"))

    calculate(fiona, SEPT)

    [entry] = entries(alice)
    assert entry.amount == D("15000.00")
    assert [(s["amount"], s["rate"]) for s in entry.slices] == [("100000.00", "15")]


def test_one_cent_over_the_boundary_earns_that_cent_at_10_percent(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("100000.01", "0"))

    calculate(fiona, SEPT)

    [entry] = entries(alice)
    # 100,000 x 15 % + 0.01 x 10 % = 15,000.001 → 15,000.00
    assert entry.amount == D("15000.00")
    assert [(s["amount"], s["rate"]) for s in entry.slices] == [
        ("100000.00", "15"),
        ("0.01", "10"),
    ]


def test_a_million_and_one_cent_crosses_into_the_5_percent_bracket(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000000.20", "0"))

    calculate(fiona, SEPT)

    # 15,000 + 90,000 + 0.20 x 5 % = 105,000.01
    assert total(alice, SEPT) == D("105000.01")


def test_flat_brackets_pay_the_whole_sale_at_its_bracket_rate(
    on_invoice, fiona, alice, alice_account
):
    SchemeVersion.objects.filter(scheme__code="standard").update(mode="flat")
    invoice_lines(fiona, alice_account, ("100000.01", "0"))

    calculate(fiona, SEPT)

    assert total(alice, SEPT) == D("10000.00")


def test_a_deal_invoiced_in_three_parts_earns_what_one_invoice_would(
    on_invoice, fiona, alice, alice_account
):
    deal = Deal.objects.create(account=alice_account, owner=alice, title="Big", probability=90)
    contract = Contract.objects.create(
        account=alice_account,
        deal=deal,
        number="K-1",
        start_date=SEPT,
        end_date=date(2027, 9, 1),
        value=D(0),
    )
    invoice_lines(fiona, alice_account, ("60000.00", "0"), contract=contract)
    invoice_lines(
        fiona, alice_account, ("60000.00", "0"), contract=contract, issued=date(2026, 9, 2)
    )
    invoice_lines(
        fiona, alice_account, ("900000.00", "0"), contract=contract, issued=date(2026, 9, 3)
    )

    calculate(fiona, SEPT)

    # The whole 1,020,000: 100,000 x 15 % + 900,000 x 10 % + 20,000 x 5 % = 106,000.
    assert [e.amount for e in entries(alice)] == [D("9000.00"), D("8000.00"), D("89000.00")]
    assert [e.base_before for e in entries(alice)] == [D("0"), D("60000.00"), D("120000.00")]
    assert statement(alice, SEPT).total == D("106000.00")


def test_a_partial_payment_earns_its_share_of_the_invoice_commission(
    fiona, alice, alice_account, pay
):
    invoice = invoice_lines(fiona, alice_account, ("333.33", "0"))
    pay_invoice(fiona, pay, invoice, "100.00", SEPT)
    pay_invoice(fiona, pay, invoice, "233.33", OCT)

    calculate(fiona, SEPT)
    close(fiona, SEPT)
    calculate(fiona, OCT)

    # The invoice earns 333.33 x 15 % = 49.9995 → 50.00; 100/333.33 of it is 15.00.
    assert total(alice, SEPT) == D("15.00")
    assert total(alice, OCT) == D("35.00")


def test_a_credit_note_in_a_later_period_claws_back_there_and_leaves_the_closed_one(
    on_invoice, fiona, alice, alice_account
):
    invoice = invoice_lines(fiona, alice_account, ("10000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 10, 5),
        reason="price",
        net_amount=D("2500.00"),
    )

    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("1500.00")
    [clawback] = entries(alice, OCT)
    assert (clawback.kind, clawback.amount, clawback.credit_note_id) == (
        "clawback",
        D("-375.00"),
        invoice.credit_notes.get().pk,
    )


@pytest.mark.parametrize(
    ("invoiced", "multiplier", "amount"),
    [("69900.00", "0", "0.00"), ("70000.00", "0.5", "5250.00")],
)
def test_a_kam_at_69_9_percent_earns_nothing_and_at_70_percent_half(
    on_invoice, fiona, alice, alice_account, invoiced, multiplier, amount
):
    plan(alice, SEPT, "100000")
    invoice_lines(fiona, alice_account, (invoiced, "0"))

    calculate(fiona, SEPT)

    [entry] = entries(alice)
    assert entry.multiplier == D(multiplier)
    assert entry.amount == D(amount)
    assert statement(alice, SEPT).fulfilment == D(invoiced) / 1000


def test_a_sale_below_cost_earns_nothing_on_a_margin_scheme(fiona, alice, alice_account):
    margin_for(alice)
    invoice_lines(fiona, alice_account, ("1000.00", "1200.00"))
    invoice_lines(fiona, alice_account, ("1000.00", "400.00"), issued=date(2026, 9, 2))

    calculate(fiona, SEPT)

    below, above = entries(alice)
    assert (below.base, below.amount) == (D("-200.00"), D("0.00"))
    assert (above.base, above.amount) == (D("600.00"), D("120.00"))  # 20 % of 600


def test_a_rule_change_mid_month_applies_from_its_validity_date_only(
    on_invoice, fiona, alice, alice_account
):
    schemes.scheme_version_create(
        scheme=SchemeVersion.objects.get(scheme__code="standard").scheme,
        valid_from=date(2026, 9, 15),
        basis="amount",
        earned_on="invoice",
        brackets=[(D(0), None, D("20"))],
    )
    invoice_lines(fiona, alice_account, ("1000.00", "0"), issued=date(2026, 9, 14))
    invoice_lines(fiona, alice_account, ("1000.00", "0"), issued=date(2026, 9, 15))

    calculate(fiona, SEPT)

    assert [e.amount for e in entries(alice)] == [D("150.00"), D("200.00")]
    assert entries(alice)[0].scheme_version_id != entries(alice)[1].scheme_version_id


def test_a_rule_change_never_recomputes_a_closed_period(on_invoice, fiona, alice, alice_account):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    from commissions.models import Bracket

    Bracket.objects.filter(version__scheme__code="standard", lower=0).update(rate=D("50"))
    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("150.00")
    assert entries(alice, OCT) == []


def test_an_account_reassigned_mid_period_leaves_earned_commission_with_the_kam_who_sold(
    fiona, dora, alice, bob, alice_account, pay
):
    first = invoice_lines(fiona, alice_account, ("1000.00", "0"), issued=date(2026, 9, 5))
    from accounts import services as account_services

    account_services.account_update(actor=dora, account=alice_account, data={"owner": bob})
    AccountEvent.objects.filter(account_id=alice_account.pk).update(
        at=date(2026, 9, 10).isoformat() + "T12:00Z"
    )
    second = invoice_lines(fiona, alice_account, ("2000.00", "0"), issued=date(2026, 9, 20))
    pay_invoice(fiona, pay, first, "1000.00", date(2026, 9, 25))
    pay_invoice(fiona, pay, second, "2000.00", date(2026, 9, 25))

    calculate(fiona, SEPT)

    assert (first.credited_to_id, second.credited_to_id) == (alice.pk, bob.pk)
    assert total(alice, SEPT) == D("150.00")
    assert total(bob, SEPT) == D("300.00")


def test_pay_reverse_pay_ends_where_one_payment_does(fiona, alice, alice_account, pay):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    payment = pay_invoice(fiona, pay, invoice, "400.00", date(2026, 9, 2))
    services.payment_reverse(
        actor=fiona, payment=payment, reversed_on=date(2026, 9, 3), reason="bounced"
    )
    pay_invoice(fiona, pay, invoice, "400.00", date(2026, 9, 4))

    calculate(fiona, SEPT)

    assert [(e.kind, e.amount) for e in entries(alice)] == [
        ("earned", D("60.00")),
        ("clawback", D("-60.00")),
        ("earned", D("60.00")),
    ]


def test_a_reversal_in_a_later_period_reverses_at_the_multiplier_it_earned_with(
    fiona, alice, alice_account, pay
):
    plan(alice, SEPT, "1000")  # 1,000 invoiced of 1,000: 100 % → 1.0
    plan(alice, OCT, "1000")  # nothing invoiced in October: 0 %
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    payment = pay_invoice(fiona, pay, invoice, "1000.00", date(2026, 9, 2))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    services.payment_reverse(
        actor=fiona, payment=payment, reversed_on=date(2026, 10, 3), reason="bounced"
    )

    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("150.00")
    [reversal] = entries(alice, OCT)
    assert (reversal.amount, reversal.multiplier) == (D("-150.00"), D("1.000"))


def test_a_payment_booked_into_a_closed_month_lands_in_the_next_open_one(
    fiona, alice, alice_account, pay
):
    invoice = invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    pay_invoice(fiona, pay, invoice, "1000.00", date(2026, 9, 30))

    calculate(fiona, OCT)

    assert total(alice, SEPT) == D("0")
    assert total(alice, OCT) == D("150.00")
