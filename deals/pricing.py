"""Offer arithmetic and the discount rule, as pure functions (no database), so they can be
tested exhaustively (tests/deals/test_pricing.py, with hypothesis).

All amounts pass through `core.money.money_round` exactly once each.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.money import money_round

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LinePrice:
    """What one offer line comes to."""

    net_price: Decimal  # one unit after the discount
    line_total: Decimal  # quantity x list price x (1 - discount), rounded once
    line_cost: Decimal  # quantity x unit cost


def line_price(
    *, quantity: Decimal, list_price: Decimal, unit_cost: Decimal, discount: Decimal, currency: str
) -> LinePrice:
    factor = 1 - discount / HUNDRED
    return LinePrice(
        net_price=money_round(list_price * factor, currency),
        line_total=money_round(quantity * list_price * factor, currency),
        line_cost=money_round(quantity * unit_cost, currency),
    )


def margin_percent(*, total: Decimal, cost: Decimal) -> Decimal | None:
    """(total - cost) / total in %, to two places; None when there is no revenue to divide."""
    if not total:
        return None
    return ((total - cost) * HUNDRED / total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class RuleLine:
    """What the discount rule needs to know about one offer line."""

    label: str  # how the reason names the line, e.g. "CAB-001 Copper cable"
    category: str
    discount: Decimal
    max_discount: Decimal  # the KAM's own limit for this category and the client's tier
    margin_floor: Decimal
    line_total: Decimal
    line_cost: Decimal


def rule_breaches(*, lines: Iterable[RuleLine], tier: str) -> list[str]:
    """Why the offer needs a director's approval: one sentence per breach; empty if none.

    A line breaches the rule when its discount is above the KAM's own limit for its category
    and the client's tier, or when its margin (total - cost, against total) is below the
    category's floor.
    """
    reasons = []
    for line in lines:
        if line.discount > line.max_discount:
            reasons.append(
                f"{line.label}: discount {_pct(line.discount)} is above the "
                f"{_pct(line.max_discount)} a KAM may give alone on {line.category} "
                f"to tier {tier} clients."
            )
        margin = line.line_total - line.line_cost
        if margin * HUNDRED < line.margin_floor * line.line_total:
            shown = margin_percent(total=line.line_total, cost=line.line_cost)
            reasons.append(
                f"{line.label}: margin {_pct(shown) if shown is not None else 'none'} is below "
                f"the {_pct(line.margin_floor)} floor for {line.category}."
            )
    return reasons


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def rule_limits(*, lines: Iterable[RuleLine]) -> list[str]:
    """The limits the rule applies to the categories of `lines`, one sentence per category."""
    return sorted(
        {
            f"{line.category}: discount up to {_pct(line.max_discount)}, "
            f"margin floor {_pct(line.margin_floor)}"
            for line in lines
        }
    )


def discount_of(*, price: Decimal, list_price: Decimal) -> Decimal:
    """The discount in % that `price` gives off `list_price` (unrounded, for comparing)."""
    if not list_price:
        return Decimal(0)
    return (list_price - price) * HUNDRED / list_price
