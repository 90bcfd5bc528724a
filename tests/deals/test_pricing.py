"""Offer arithmetic and the discount rule, checked over generated input (hypothesis)."""

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from core.money import money_round
from deals.pricing import RuleLine, line_price, margin_percent, rule_breaches

quantities = st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2)
discounts = st.decimals(min_value=D("0"), max_value=D("100"), places=2)


@settings(deadline=None)  # pure arithmetic; a loaded CI machine must not fail it
@given(quantity=quantities, list_price=prices, unit_cost=prices, discount=discounts)
def test_line_total_is_quantity_times_list_price_less_discount_rounded_once(
    quantity, list_price, unit_cost, discount
):
    price = line_price(
        quantity=quantity,
        list_price=list_price,
        unit_cost=unit_cost,
        discount=discount,
        currency="PLN",
    )
    exact = quantity * list_price * (1 - discount / 100)
    assert price.line_total == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert price.line_cost == money_round(quantity * unit_cost)
    assert abs(price.line_total - exact) <= D("0.005")
    assert price.net_price <= list_price
    assert price.line_total >= 0


@settings(deadline=None)
@given(lines=st.lists(st.tuples(quantities, prices, discounts), min_size=1, max_size=8))
def test_offer_total_is_the_sum_of_its_line_totals(lines):
    priced = [
        line_price(quantity=q, list_price=p, unit_cost=D(0), discount=d, currency="PLN")
        for q, p, d in lines
    ]
    total = sum(line.line_total for line in priced)
    # No second rounding: the total of rounded lines is already in cents.
    assert total == money_round(total)


@settings(deadline=None)
@given(quantity=quantities, list_price=prices, low=discounts, high=discounts)
def test_a_larger_discount_never_gives_a_larger_total(quantity, list_price, low, high):
    low, high = sorted((low, high))
    a = line_price(
        quantity=quantity, list_price=list_price, unit_cost=D(0), discount=low, currency="PLN"
    )
    b = line_price(
        quantity=quantity, list_price=list_price, unit_cost=D(0), discount=high, currency="PLN"
    )
    assert b.line_total <= a.line_total


@settings(deadline=None)
@given(total=prices, cost=prices)
def test_margin_percent_is_margin_over_revenue(total, cost):
    percent = margin_percent(total=total, cost=cost)
    if total == 0:
        assert percent is None
    else:
        assert abs(percent - (total - cost) * 100 / total) <= D("0.005")


def _rule_line(discount, *, limit=D("10"), floor=D("15"), total=D("1000"), cost=D("500")):
    return RuleLine(
        label="CAB-001 Cable",
        category="Cables",
        discount=discount,
        max_discount=limit,
        margin_floor=floor,
        line_total=total,
        line_cost=cost,
    )


@settings(deadline=None)
@given(discount=discounts, limit=discounts)
def test_discount_above_the_limit_and_only_that_needs_approval(discount, limit):
    reasons = rule_breaches(lines=[_rule_line(discount, limit=limit)], tier="B")
    assert bool(reasons) == (discount > limit)


@settings(deadline=None)
@given(total=prices.filter(lambda t: t > 0), cost=prices, floor=discounts)
def test_margin_below_the_floor_and_only_that_needs_approval(total, cost, floor):
    reasons = rule_breaches(
        lines=[_rule_line(D("0"), floor=floor, total=total, cost=cost)], tier="A"
    )
    assert bool(reasons) == ((total - cost) / total * 100 < floor)


def test_reasons_name_the_line_the_limit_and_the_tier():
    reasons = rule_breaches(lines=[_rule_line(D("25"), cost=D("900"))], tier="C")
    assert reasons == [
        "CAB-001 Cable: discount 25 % is above the 10 % a KAM may give alone on Cables to tier C "
        "clients.",
        "CAB-001 Cable: margin 10 % is below the 15 % floor for Cables.",
    ]


def test_money_rounds_half_up_to_the_currency_minor_unit():
    assert money_round(D("2.345")) == D("2.35")
    assert money_round(D("2.344999")) == D("2.34")
    assert money_round(D("-2.345")) == D("-2.35")
    assert money_round(D("1234.5"), "JPY") == D("1235")
