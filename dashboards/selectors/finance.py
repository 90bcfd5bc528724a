"""Finance's dashboard: receivables and their aging, DSO and CEI month by month, top overdue,
broken promises, credit holds and overrides waiting, the commission periods' state and the
open disputes, imports waiting. A fixed number of
queries whatever the rows (the month-by-month figures: one statement for what was open on
every month end, one for the invoicing)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from commissions.models import CommissionPeriod, Dispute, DisputeStatus, Statement
from commissions.selectors.statements import disputes_for
from receivables.models import (
    BankLine,
    BankLineStatus,
    CollectionAction,
    CreditProfile,
    CreditStatus,
    HoldState,
    Invoice,
    InvoiceStatus,
    PromiseState,
)
from receivables.selectors.aging import Aging, aging, outstanding_by_day
from receivables.selectors.credit import overrides_awaiting
from receivables.selectors.pages import orders_to_invoice
from team.models import User

from .common import ZERO, add_months, month_start, pct

MONTHS = 12
SHOWN = 10
PERIODS_SHOWN = 4  # the commission periods on the dashboard, newest first
BROKEN_DAYS = 90


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day
    currency: str
    opening: Decimal  # open on the day before the month
    invoiced: Decimal  # gross invoiced in the month
    closing: Decimal  # open on the month's last day (or today, this month)
    closing_current: Decimal  # of which not yet due
    dso: Decimal | None
    cei: Decimal | None
    partial: bool = False  # this month: up to today only


@dataclass
class FinanceDashboard:
    today: date
    aging: Aging
    months: list[MonthFigures]
    top_overdue: list
    broken: list[CollectionAction]
    holds: list[CreditProfile]
    hold_requests: list[CollectionAction]
    overrides: list
    bank_waiting: dict[str, tuple[int, Decimal]]  # currency -> (lines, amount)
    orders_waiting: int
    # Newest first, each with `statement_count` and `open_disputes` (`latest_periods`).
    periods: list[CommissionPeriod]
    disputes: list[Dispute]  # open, newest first
    disputes_count: int


def months(*, invoices, today: date) -> list[MonthFigures]:
    """The last MONTHS months, this one included. DSO at a month's end: open that day over
    gross invoiced in the three months up to it, times their days. CEI (collection
    effectiveness): (opening + invoiced - closing) / (opening + invoiced - closing not due)."""
    first = add_months(month_start(today), -(MONTHS - 1))
    starts = [add_months(first, i) for i in range(MONTHS)]
    ends = [min(today, add_months(s, 1) - timedelta(days=1)) for s in starts]
    days = [first - timedelta(days=1), *ends]
    open_on = outstanding_by_day(invoices=invoices, days=days)
    billed = {
        (r["month"].date() if isinstance(r["month"], datetime) else r["month"], r["currency"]): r[
            "s"
        ]
        for r in invoices.filter(issue_date__gte=add_months(first, -2), issue_date__lte=today)
        .exclude(status=InvoiceStatus.CANCELLED)
        .annotate(month=TruncMonth("issue_date"))
        .values("month", "currency")
        .annotate(s=Sum("gross_total"))
        .order_by()
    }
    currencies = sorted({c for day in open_on.values() for c in day} | {c for _, c in billed})
    result = []
    for i, start in enumerate(starts):
        end = ends[i]
        before = days[i]
        for currency in currencies:
            opening = open_on[before].get(currency, (ZERO, ZERO))[0]
            closing, current = open_on[end].get(currency, (ZERO, ZERO))
            invoiced = billed.get((start, currency), ZERO)
            three = [add_months(start, -k) for k in range(3)]
            billed_3 = sum((billed.get((m, currency), ZERO) for m in three), ZERO)
            window = (end - three[-1]).days + 1
            if not (opening or closing or invoiced):
                continue
            result.append(
                MonthFigures(
                    month=start,
                    currency=currency,
                    opening=opening,
                    invoiced=invoiced,
                    closing=closing,
                    closing_current=current,
                    dso=(closing / billed_3 * window).quantize(Decimal("0.1"))
                    if billed_3
                    else None,
                    cei=pct(opening + invoiced - closing, opening + invoiced - current),
                    partial=end < add_months(start, 1) - timedelta(days=1),
                )
            )
    return result


def latest_periods(n: int) -> list[CommissionPeriod]:
    """The `n` newest commission periods with their number of statements and open disputes,
    as `periods_page` counts them (one query). Each count is a subquery per period: the
    period joined to its statements and its entries' disputes at once multiplies the
    statements by the entries (50 x 12,733 rows for one month at the target scale, 1.3 s)
    before COUNT(DISTINCT) takes them apart again."""

    def count(queryset, period: str):
        rows = queryset.filter(**{period: OuterRef("pk")}).order_by().values(period)
        return Coalesce(
            Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        )

    return list(
        CommissionPeriod.objects.annotate(
            statement_count=count(Statement.objects.all(), "period_id"),
            open_disputes=count(
                Dispute.objects.filter(status=DisputeStatus.OPEN), "entry__period_id"
            ),
        )
        .select_related("closed_by")
        .order_by("-month")[:n]
    )


def finance_dashboard(*, user: User, now: datetime) -> FinanceDashboard:
    today = timezone.localdate(now)
    invoices = Invoice.objects.visible_to(user)
    by_account = aging(invoices=invoices, as_of=today, group_by="account")
    # The company's totals are the accounts' totals: no second aging statement.
    company = Aging(
        as_of=today, buckets=by_account.buckets, group_by=None, totals=by_account.totals
    )
    bank = {
        r["currency"]: (r["n"], r["s"])
        for r in BankLine.objects.filter(status=BankLineStatus.WAITING)
        .values("currency")
        .annotate(n=Count("pk"), s=Sum("amount"))
        .order_by("currency")
    }
    actions = CollectionAction.objects.visible_to(user).select_related("account", "invoice")
    disputes = list(disputes_for(user, status=DisputeStatus.OPEN))
    return FinanceDashboard(
        today=today,
        aging=company,
        months=months(invoices=invoices, today=today),
        top_overdue=[r for r in by_account.rows if r.overdue > 0][:SHOWN],
        broken=list(
            actions.filter(
                Q(promise_state=PromiseState.BROKEN)
                | Q(promise_state=PromiseState.OPEN, promised_on__lt=today),
                kind=CollectionAction.Kind.PROMISE,
                promised_on__gte=today - timedelta(days=BROKEN_DAYS),
            ).order_by("-promised_on", "pk")[:SHOWN]
        ),
        holds=list(
            CreditProfile.objects.visible_to(user)
            .filter(status=CreditStatus.HOLD)
            .select_related("account")
            .order_by("account__name", "pk")[:SHOWN]
        ),
        hold_requests=list(
            actions.filter(
                kind=CollectionAction.Kind.HOLD, hold_state=HoldState.REQUESTED
            ).order_by("happened_on", "pk")[:SHOWN]
        ),
        overrides=list(overrides_awaiting(user)[:SHOWN]),
        bank_waiting=bank,
        orders_waiting=orders_to_invoice(user=user).count(),
        periods=latest_periods(PERIODS_SHOWN),
        disputes=disputes[:SHOWN],
        disputes_count=len(disputes),
    )
