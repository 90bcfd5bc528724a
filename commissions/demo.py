"""Demo data for commissions.

Plans part: every demo KAM has a monthly plan for the last 24 months and the whole of this
year, set by their director (each cell kept in the plan history). The plan follows what the KAM
actually invoiced, scaled per KAM so that some beat it and some fall short; months still to come
take last year's month with some growth. Then the ABC classification is run as of a year ago,
six and three months ago and today, so accounts have class changes in their history, the
concentration has a twelve-month trend, and one account has a tier set by hand.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Account
from core.money import money_round
from receivables.models import CreditNote, Invoice, InvoiceStatus
from team.demo import DemoOptions
from team.models import Role, User

from .demo_ledger import demo_build as ledger_demo_build
from .models import SalesPlan, SalesPlanChange
from .services.abc import abc_run, concentration_snapshot, tier_override_set

PLAN_MONTHS = 24
# Plan over actual, KAM by KAM in turn: below 1 the KAM beats the plan, above 1 they miss it.
PLAN_FACTORS = [Decimal(x) for x in ("0.85", "1.10", "0.95", "1.25", "1.00", "0.90")]
GROWTH = Decimal("1.08")
ROUND_TO = Decimal(100)


def _months_back(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _actuals(*, since: date) -> dict[tuple[int, date], Decimal]:
    """Invoiced net less credit notes per KAM credited and month, in PLN."""
    result: dict[tuple[int, date], Decimal] = {}
    invoices = (
        Invoice.objects.filter(issue_date__gte=since, currency="PLN", credited_to__isnull=False)
        .exclude(status=InvoiceStatus.CANCELLED)
        .annotate(month=TruncMonth("issue_date"))
        .values("credited_to_id", "month")
        .annotate(net=Sum("net_total"), cost=Sum("cost_total"))
        .order_by()
    )
    for row in invoices:
        result[(row["credited_to_id"], row["month"])] = row["net"]
    credits = (
        CreditNote.objects.filter(
            issue_date__gte=since, currency="PLN", invoice__credited_to__isnull=False
        )
        .annotate(month=TruncMonth("issue_date"))
        .values("invoice__credited_to_id", "month")
        .annotate(net=Sum("net_amount"))
        .order_by()
    )
    for row in credits:
        key = (row["invoice__credited_to_id"], row["month"])
        result[key] = result.get(key, Decimal(0)) - row["net"]
    return result


def _round(value: Decimal) -> Decimal:
    return money_round((value / ROUND_TO).quantize(Decimal(1)) * ROUND_TO)


def _plans(*, options: DemoOptions, today: date) -> tuple[int, int]:
    rng = options.rng
    first = _months_back(today, PLAN_MONTHS)
    months = [_months_back(today, back) for back in range(PLAN_MONTHS, 0, -1)]
    months += [date(today.year, m, 1) for m in range(today.month, 13)]
    actuals = _actuals(since=first)
    kams = list(User.objects.filter(role=Role.KAM).select_related("reports_to").order_by("pk"))
    plans, changes = [], []
    for index, kam in enumerate(kams):
        factor = PLAN_FACTORS[index % len(PLAN_FACTORS)]
        director = kam.reports_to or User.objects.filter(role=Role.ADMIN).first()
        for month in months:
            actual = actuals.get((kam.pk, month))
            if actual is None or month >= date(today.year, today.month, 1):
                actual = actuals.get((kam.pk, _months_back(month, 12)), Decimal(0)) * GROWTH
            wobble = Decimal(str(round(rng.uniform(0.95, 1.05), 3)))
            revenue = _round(max(actual, Decimal(0)) * factor * wobble)
            plan = SalesPlan(
                kam=kam,
                month=month,
                currency="PLN",
                revenue_target=revenue,
                margin_target=_round(revenue * Decimal("0.28")),
                new_clients_target=1 if month.month % 3 == 0 else 0,
            )
            plans.append(plan)
            changes.append((plan, director))
    SalesPlan.objects.bulk_create(plans, batch_size=2000)
    SalesPlanChange.objects.bulk_create(
        [
            SalesPlanChange(
                plan=plan,
                field="revenue_target",
                old_value=None,
                new_value=plan.revenue_target,
                reason="Plan roczny",
                changed_by=director,
            )
            for plan, director in changes
        ],
        batch_size=2000,
    )
    return len(plans), len(changes)


def _abc(*, today: date) -> int:
    """Runs a year, six and three months ago and today; the concentration of every month."""
    runs = 0
    for back in (12, 6, 3):
        day = _months_back(today, back - 1) - timedelta(days=1)  # the end of that month
        abc_run(as_of=day)
        runs += 1
    for back in range(11, 0, -1):
        concentration_snapshot(as_of=_months_back(today, back - 1) - timedelta(days=1))
    abc_run(as_of=today)
    director = User.objects.filter(role=Role.DIRECTOR).order_by("pk").first()
    account = (
        Account.objects.filter(territory_id=director.territory_id, tier=Account.Tier.C)
        .exclude(status=Account.Status.PROSPECT)
        .order_by("pk")
        .first()
    )
    if account is not None:
        tier_override_set(
            actor=director,
            account=account,
            tier=Account.Tier.B,
            reason="Klient strategiczny: przetarg na dostawy w przyszłym roku",
            expires_on=today + timedelta(days=120),
        )
    return runs + 1


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    today = timezone.localdate()
    plans, _changes = _plans(options=options, today=today)
    runs = _abc(today=today)
    # The ledger's months are calculated against these plans (the multiplier), so after them.
    return {"sales plans": plans, "ABC runs": runs} | ledger_demo_build(options=options)
