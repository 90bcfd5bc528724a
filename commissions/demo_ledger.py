"""Demo data of the commission ledger: the margin scheme for the West territory (the default
for the others), the past twelve months calculated and closed in order, the current month open,
and two disputes (one waiting for finance, one accepted as an adjustment).

Called by the commissions demo (`commissions/demo.py` calls `demo_build` after the plans, so
the plan multiplier has plans to measure by); runs after receivables' demo has made the
invoices and payments.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from team.demo import DemoOptions
from team.models import Role, Territory, User

from .models import (
    CommissionEntry,
    CommissionScheme,
    EntryKind,
    SchemeAssignment,
    SchemeVersion,
)
from .services import periods
from .services.ledger import month_of

MONTHS_CLOSED = 12
DEMO_SCHEME_NAMES = {"standard": "Standardowy (od kwoty sprzedaży)", "margin": "Od marży"}


def _months_back(today: date, count: int) -> list[date]:
    month = month_of(today)
    months = []
    for _ in range(count):
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
        months.append(month)
    return sorted(months)


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    finance = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    if finance is None:
        return {}
    today = timezone.localdate()
    # The migration seeds the schemes with neutral names; a Polish team calls them so.
    for code, name in DEMO_SCHEME_NAMES.items():
        CommissionScheme.objects.filter(code=code).update(name=name)
    SchemeVersion.objects.filter(note="The seed's defaults").update(note="Ustawienia domyślne")
    west = Territory.objects.filter(code="west").first()
    margin = CommissionScheme.objects.filter(code="margin").first()
    if west is not None and margin is not None:
        SchemeAssignment.objects.get_or_create(
            scheme=margin, territory=west, defaults={"valid_from": date(2000, 1, 1)}
        )
    closed = 0
    for month in _months_back(today, MONTHS_CLOSED):
        period = periods.period_get_or_create(month=month)
        periods.period_calculate(actor=finance, period=period)
        periods.period_close(actor=finance, period=period)
        closed += 1
    periods.period_get_or_create(month=today)
    disputes = _disputes(finance=finance, rng=options.rng)
    return {"commission periods closed": closed, "commission disputes": disputes}


def _disputes(*, finance: User, rng) -> int:
    made = 0
    for username, accept in (("kam1", False), ("kam2", True)):
        kam = User.objects.filter(username=username).first()
        entry = (
            CommissionEntry.objects.filter(kam=kam, kind=EntryKind.EARNED, amount__gt=0)
            .select_related("period", "kam")
            .order_by("-period__month", "-amount")
            .first()
            if kam
            else None
        )
        if entry is None:
            continue
        dispute = periods.dispute_raise(
            actor=kam,
            entry=entry,
            reason=(
                "Ta sprzedaż była częścią umowy ramowej \u2013 stawka powinna być 15 %, nie 10 %."
                if not accept
                else "Klient zapłacił całość, a w zestawieniu jest tylko część."
            ),
        )
        if accept:
            periods.dispute_resolve(
                actor=finance,
                dispute=dispute,
                accept=True,
                resolution="Zgoda: wyrównanie w bieżącym miesiącu.",
                amount=(entry.amount * Decimal(rng.choice([10, 20, 25])) / 100).quantize(
                    Decimal("0.01")
                ),
            )
        made += 1
    return made
