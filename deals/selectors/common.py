"""Money expressions shared by the deals selectors."""

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.money import Money, money_totals

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)


def _money_sum(path: str):
    return Coalesce(Sum(path), ZERO, output_field=MONEY_FIELD)


def _weighted():
    # x 0.01 rather than ÷ 100: SQLite would divide whole numbers as integers.
    return ExpressionWrapper(
        F("amount") * F("probability") * Value(Decimal("0.01")), output_field=MONEY_FIELD
    )


def _first_when(condition: Q):
    """An order term that puts the rows meeting `condition` first."""
    return Case(When(condition, then=Value(0)), default=Value(1)).asc()


def _totals(rows: list[dict], field: str) -> dict[str, Decimal]:
    """`field` of rows grouped by currency, added per currency and rounded once."""
    return money_totals(Money(row[field] or Decimal(0), row["currency"]) for row in rows)
