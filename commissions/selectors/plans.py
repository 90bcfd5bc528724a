"""Reads of sales plans for the grid, "My plan" and the API."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from team.models import User

from ..models import SalesPlan, SalesPlanChange
from .fulfilment import ZERO


@dataclass(frozen=True)
class GridCell:
    month: date
    value: Decimal | int


@dataclass(frozen=True)
class GridRow:
    kam: User
    currency: str
    cells: list[GridCell]
    total: Decimal
    last_year: Decimal


def plan_grid(*, kams: QuerySet[User], year: int, field: str) -> list[GridRow]:
    """KAMs by the twelve months of `year` for one plan field, with the year's total and last
    year's. Three queries, whatever the number of KAMs."""
    kams = list(kams.order_by("last_name", "first_name", "username"))
    ids = [kam.pk for kam in kams]
    plans: dict[int, dict[date, SalesPlan]] = {}
    for plan in SalesPlan.objects.filter(kam_id__in=ids, month__year=year):
        plans.setdefault(plan.kam_id, {})[plan.month] = plan
    last_year = dict(
        SalesPlan.objects.filter(kam_id__in=ids, month__year=year - 1)
        .values("kam_id")
        .annotate(total=Sum(field))
        .values_list("kam_id", "total")
        .order_by()
    )
    months = [date(year, month, 1) for month in range(1, 13)]
    rows = []
    for kam in kams:
        own = plans.get(kam.pk, {})
        cells = [
            GridCell(month, getattr(own[month], field) if month in own else 0) for month in months
        ]
        currency = next((plan.currency for plan in own.values()), "")
        rows.append(
            GridRow(
                kam=kam,
                currency=currency,
                cells=cells,
                total=sum((Decimal(cell.value) for cell in cells), ZERO),
                last_year=last_year.get(kam.pk) or ZERO,
            )
        )
    return rows


def plan_months(*, kam_id: int, year: int) -> list[SalesPlan]:
    return list(SalesPlan.objects.filter(kam_id=kam_id, month__year=year).order_by("month"))


def plan_changes(*, kam_ids, limit: int = 30) -> QuerySet[SalesPlanChange]:
    return SalesPlanChange.objects.filter(plan__kam_id__in=kam_ids).select_related(
        "plan", "plan__kam", "changed_by"
    )[:limit]


def plans_for_listing(*, kams: QuerySet[User]) -> QuerySet[SalesPlan]:
    return SalesPlan.objects.filter(kam__in=kams).select_related("kam").order_by("kam", "month")


def plan_year_total(*, kam_id: int, year: int, field: str) -> Decimal:
    """The KAM's year of one plan field (the grid's total after a cell changes). One query."""
    if field not in ("revenue_target", "margin_target", "new_clients_target"):
        return ZERO
    total = SalesPlan.objects.filter(kam_id=kam_id, month__year=year).aggregate(t=Sum(field))["t"]
    return total or ZERO
