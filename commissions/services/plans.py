"""Writes to sales plans (duty 2.1): a cell, a yearly figure spread over the months, last
year's plan copied with a change. Each runs in one transaction and keeps every changed cell in
SalesPlanChange (who, when, from what to what, why)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.money import DEFAULT_CURRENCY, money_round
from team.models import User

from .. import access
from ..models import SalesPlan, SalesPlanChange
from ..selectors.fulfilment import monthly_history

PLAN_FIELDS = ("revenue_target", "margin_target", "new_clients_target")
MONEY_FIELDS = ("revenue_target", "margin_target")
SPREAD_EVEN = "even"
SPREAD_SEASONAL = "seasonal"
MAX_TARGET = Decimal("999999999999.99")
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class YearResult:
    plans: list[SalesPlan]
    method: str  # how it was spread: even, seasonal (even when last year had nothing)
    changed: int


def _check(*, actor: User, kam: User) -> None:
    if not kam.is_kam:
        raise ValidationError(
            {"kam": _("%(name)s is not a KAM: plans are set for KAMs only.") % {"name": kam}}
        )
    if not access.can_plan_kam(actor, kam):
        raise PermissionDenied("Only the director of their territory sets a KAM's plan.")


def _check_field(field: str) -> None:
    if field not in PLAN_FIELDS:
        raise ValidationError({"field": _("Choose revenue, margin or new active clients.")})


def _check_value(field: str, value) -> Decimal:
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"value": _("Enter a number.")}) from None
    if not value.is_finite():
        raise ValidationError({"value": _("Enter a number.")})
    if value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    if value > MAX_TARGET:
        raise ValidationError({"value": _("That target is too large.")})
    if field in MONEY_FIELDS:
        return money_round(value)
    if value != value.to_integral_value():
        raise ValidationError({"value": _("New active clients is a whole number.")})
    if value > 32767:
        raise ValidationError({"value": _("That target is too large.")})
    return value


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})


def _currency(kam: User) -> str:
    """A KAM is planned in one currency: the one of their plans so far."""
    existing = SalesPlan.objects.filter(kam=kam).values_list("currency", flat=True).first()
    return existing or DEFAULT_CURRENCY


def _write(
    *, actor, kam, values: dict[date, Decimal], field: str, reason: str
) -> tuple[list[SalesPlan], int]:
    """Set `field` of the KAM's plans of the months in `values`, keeping each change."""
    currency = _currency(kam)
    plans = {
        plan.month: plan
        for plan in SalesPlan.objects.select_for_update().filter(kam=kam, month__in=list(values))
    }
    changes, result = [], []
    for month, value in sorted(values.items()):
        plan = plans.get(month)
        old = getattr(plan, field) if plan else None
        if plan is None:
            plan = SalesPlan.objects.create(
                kam=kam, month=month, currency=currency, **{field: value}
            )
        elif old != value:
            setattr(plan, field, value)
            plan.save(update_fields=[field, "updated_at"])
        result.append(plan)
        if old is None and value == 0:
            continue
        if old is None or old != value:
            changes.append(
                SalesPlanChange(
                    plan=plan,
                    field=field,
                    old_value=old,
                    new_value=value,
                    reason=reason[:300],
                    changed_by=actor,
                )
            )
    SalesPlanChange.objects.bulk_create(changes)
    return result, len(changes)


def plan_cell_set(
    *, actor: User, kam: User, month: date, field: str, value, reason: str = ""
) -> SalesPlan:
    """One cell of the grid: the KAM's target of `field` for `month`."""
    _check(actor=actor, kam=kam)
    _check_field(field)
    value = _check_value(field, value)
    month = month.replace(day=1)
    _check_year(month.year)
    with transaction.atomic():
        plans, _changed = _write(
            actor=actor, kam=kam, values={month: value}, field=field, reason=reason
        )
    return plans[0]


def spread(*, total: Decimal, weights: list[Decimal], places: int = 2) -> list[Decimal]:
    """`total` split by `weights` (all equal when they add up to nothing). Every month but the
    last is cut down to `places`, and the last takes the remainder, so the months add up to
    `total` exactly and none is negative."""
    if sum(weights) <= 0:
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights)
    step = Decimal(1).scaleb(-places)
    parts = [
        (total * weight / whole).quantize(step, rounding=ROUND_DOWN) for weight in weights[:-1]
    ]
    return [*parts, total - sum(parts)]


def plan_year_spread(
    *,
    actor: User,
    kam: User,
    year: int,
    field: str,
    total,
    method: str = SPREAD_SEASONAL,
    reason: str = "",
) -> YearResult:
    """A yearly figure spread over the twelve months: by the shape of the KAM's invoiced net
    (or margin, or first invoices) of the year before, or evenly."""
    _check(actor=actor, kam=kam)
    _check_field(field)
    _check_year(year)
    if method not in (SPREAD_EVEN, SPREAD_SEASONAL):
        raise ValidationError({"method": _("Spread by last year's seasonality or evenly.")})
    total = _check_value(field, total)
    months = [date(year, month, 1) for month in range(1, 13)]
    weights = [Decimal(0)] * 12
    if method == SPREAD_SEASONAL:
        history = monthly_history(kam_id=kam.pk, year=year - 1, currency=_currency(kam))
        weights = [
            getattr(history[month.replace(year=year - 1)], _BASIS[field]) for month in months
        ]
        weights = [max(weight, Decimal(0)) for weight in weights]
    used = method if sum(weights) > 0 else SPREAD_EVEN
    places = 2 if field in MONEY_FIELDS else 0
    values = dict(zip(months, spread(total=total, weights=weights, places=places), strict=True))
    with transaction.atomic():
        plans, changed = _write(actor=actor, kam=kam, values=values, field=field, reason=reason)
    return YearResult(plans=plans, method=used, changed=changed)


# What last year's shape is read from, per plan field.
_BASIS = {"revenue_target": "net", "margin_target": "margin", "new_clients_target": "new_clients"}


def plan_year_copy(*, actor: User, kam: User, year: int, percent, reason: str = "") -> YearResult:
    """Last year's plan, month by month, changed by `percent` (10 = +10 %, -5 = -5 %)."""
    _check(actor=actor, kam=kam)
    _check_year(year)
    try:
        percent = Decimal(percent)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"percent": _("Enter a percentage, e.g. 10 or -5.")}) from None
    if not percent.is_finite() or percent <= -100 or percent > 1000:
        raise ValidationError({"percent": _("Enter a change between -100 % and 1000 %.")})
    previous = list(SalesPlan.objects.filter(kam=kam, month__year=year - 1).order_by("month"))
    if not previous:
        raise ValidationError(
            {
                "year": _("%(kam)s has no plan for %(year)s to copy.")
                % {"kam": kam, "year": year - 1}
            }
        )
    factor = 1 + percent / 100
    changed = 0
    plans: list[SalesPlan] = []
    with transaction.atomic():
        for field in PLAN_FIELDS:
            values = {}
            for plan in previous:
                value = getattr(plan, field) * factor
                if field in MONEY_FIELDS:
                    value = money_round(value, plan.currency)
                else:
                    value = value.quantize(Decimal(1))
                values[plan.month.replace(year=year)] = min(value, MAX_TARGET)
            plans, count = _write(actor=actor, kam=kam, values=values, field=field, reason=reason)
            changed += count
    return YearResult(plans=plans, method="copy", changed=changed)
