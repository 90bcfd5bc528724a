"""Aging, DSO and payment behaviour, computed by the database.

Every figure is a handful of grouped SQL aggregates whatever the number of invoices; nothing
here loops over invoices in Python. Amounts are always grouped by currency.

"As of" a day D: an invoice counts if issued on or before D and not cancelled; what it had open
that day is its gross total less the credit notes dated on or before D and the allocations
effective on or before D (a payment's date, or the day a reversal or a credit note took money
back). The running totals on the invoice hold everything up to now, so the open amount as of D
is those totals with what happened after D added back — a subquery that finds nothing for
most invoices.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from core.money import money_round

from ..models import OPEN_INVOICE_STATUSES, Allocation, CreditNote, Invoice, InvoiceStatus

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")
NOTHING = Value(ZERO, output_field=MONEY_FIELD)

GROUPS = {
    # group_by: (id path, label path)
    "account": ("account_id", "account__name"),
    "kam": ("account__owner_id", "account__owner__username"),
    "territory": ("account__territory_id", "account__territory__name"),
}


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    # Days past due, inclusive; None = open-ended. "Not due" is (None, 0).
    low: int | None
    high: int | None


def aging_buckets(edges: list[int] | None = None) -> list[Bucket]:
    """Not due, then 1-30, 31-60, ... up to the last edge, then "over" it (settings)."""
    edges = edges or settings.RECEIVABLES_AGING_EDGES
    buckets = [Bucket("not_due", str(_("Not due")), None, 0)]
    low = 1
    for edge in edges:
        buckets.append(Bucket(f"d{low}_{edge}", f"{low}–{edge}", low, edge))  # noqa: RUF001
        low = edge + 1
    buckets.append(Bucket(f"over_{edges[-1]}", str(_("Over %(d)s") % {"d": edges[-1]}), low, None))
    return buckets


def _due_range(bucket: Bucket, as_of: date) -> Q:
    """The invoices whose due date puts them in `bucket` on `as_of` (pure date comparisons,
    so the database compares an indexed column with constants)."""
    q = Q()
    if bucket.low is not None:  # at least `low` days past due
        q &= Q(due_date__lte=as_of - timedelta(days=bucket.low))
    if bucket.high is not None:
        q &= Q(due_date__gte=as_of - timedelta(days=bucket.high))
    return q


def open_as_of(invoices: QuerySet[Invoice], as_of: date) -> QuerySet[Invoice]:
    """`invoices` that had something open on `as_of`, annotated with `open_on` (that amount)."""
    later_allocations = (
        Allocation.objects.filter(invoice=OuterRef("pk"), effective_on__gt=as_of)
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    later_credits = (
        CreditNote.objects.filter(invoice=OuterRef("pk"), issue_date__gt=as_of)
        .values("invoice")
        .annotate(s=Sum("gross_amount"))
        .values("s")
    )
    changed_later = Q(
        pk__in=Allocation.objects.filter(effective_on__gt=as_of).values("invoice_id")
    ) | Q(pk__in=CreditNote.objects.filter(issue_date__gt=as_of).values("invoice_id"))
    return (
        invoices.filter(issue_date__lte=as_of)
        .exclude(status=InvoiceStatus.CANCELLED)
        .filter(Q(status__in=OPEN_INVOICE_STATUSES) | changed_later)
        .annotate(
            open_on=ExpressionWrapper(
                F("gross_total")
                - F("credited_total")
                - F("paid_total")
                + Coalesce(Subquery(later_allocations, output_field=MONEY_FIELD), NOTHING)
                + Coalesce(Subquery(later_credits, output_field=MONEY_FIELD), NOTHING),
                output_field=MONEY_FIELD,
            )
        )
    )


@dataclass
class AgingRow:
    key: int | None
    label: str
    currency: str
    amounts: list[Decimal]
    total: Decimal
    overdue: Decimal

    @property
    def bar(self) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        """The aging bar's segments, in % of the row total: (bucket index, x, width, amount),
        drawn as SVG rectangles (no inline styles under the Content-Security-Policy)."""
        segments, x = [], Decimal(0)
        for i, amount in enumerate(self.amounts):
            if self.total > 0 and amount > 0:
                width = (amount * 100 / self.total).quantize(Decimal("0.01"))
                segments.append((i, x, width, amount))
                x += width
        return segments


@dataclass
class Aging:
    as_of: date
    buckets: list[Bucket]
    group_by: str | None
    rows: list[AgingRow] = field(default_factory=list)
    totals: list[AgingRow] = field(default_factory=list)  # one per currency


def aging(
    *,
    invoices: QuerySet[Invoice],
    as_of: date,
    group_by: str | None = None,
    edges: list[int] | None = None,
) -> Aging:
    """What was open on `as_of` by days past due, per currency, optionally per account, KAM or
    territory. One query."""
    if group_by is not None and group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {sorted(GROUPS)}")
    buckets = aging_buckets(edges)
    sums = {
        bucket.key: Coalesce(
            Sum(Case(When(_due_range(bucket, as_of), then=F("open_on")), default=NOTHING)),
            NOTHING,
        )
        for bucket in buckets
    }
    keys = ["currency"]
    if group_by:
        keys = [*GROUPS[group_by], "currency"]
    rows = open_as_of(invoices, as_of).order_by().values(*keys).annotate(**sums).order_by(*keys)
    result = Aging(as_of=as_of, buckets=buckets, group_by=group_by)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(buckets))
    for row in rows:
        amounts = [money_round(row[b.key], row["currency"]) for b in buckets]
        if not any(amounts):
            continue
        currency = row["currency"]
        totals[currency] = [t + a for t, a in zip(totals[currency], amounts, strict=True)]
        if group_by:
            key_path, label_path = GROUPS[group_by]
            result.rows.append(_row(row[key_path], row[label_path] or "—", currency, amounts))
    result.totals = [
        _row(None, str(_("Total")), currency, amounts)
        for currency, amounts in sorted(totals.items())
    ]
    if group_by:
        result.rows.sort(key=lambda r: (-r.overdue, -r.total, r.label))
    return result


def _row(key, label, currency, amounts) -> AgingRow:
    total = sum(amounts, ZERO)
    return AgingRow(
        key=key,
        label=label,
        currency=currency,
        amounts=amounts,
        total=total,
        overdue=total - amounts[0],
    )


# --- DSO and payment behaviour ----------------------------------------------------------------


@dataclass(frozen=True)
class Behaviour:
    """How an account (or a KAM's accounts, or the company) pays, in one currency."""

    currency: str
    receivables: Decimal  # open on the day
    invoiced: Decimal  # gross invoiced in the DSO window
    window_days: int
    dso: Decimal | None  # days; None without invoicing in the window
    paid: Decimal  # paid in the last 12 months
    days_late: Decimal | None  # average, weighted by amount
    on_time_share: Decimal | None  # % of the amount paid by the due date


def behaviour(
    *, invoices: QuerySet[Invoice], as_of: date, window_days: int = 90
) -> dict[str, Behaviour]:
    """DSO, average days late and on-time share per currency, in three queries.

    DSO (the "simple" method): receivables open on `as_of` / gross invoiced in the
    `window_days` before it (inclusive) x `window_days`. Days late and on-time share: over the
    money allocated to these invoices in the 12 months up to `as_of` (payments later reversed
    left out), weighted by amount.
    """
    window_start = as_of - timedelta(days=window_days - 1)
    year_start = as_of - timedelta(days=364)
    open_rows = (
        open_as_of(invoices, as_of)
        .order_by()
        .values("currency")
        .annotate(s=Coalesce(Sum("open_on"), NOTHING))
    )
    receivables = {r["currency"]: money_round(r["s"], r["currency"]) for r in open_rows}
    invoiced_rows = (
        invoices.filter(issue_date__gte=window_start, issue_date__lte=as_of)
        .exclude(status=InvoiceStatus.CANCELLED)
        .order_by()
        .values("currency")
        .annotate(s=Sum("gross_total"))
    )
    invoiced = {r["currency"]: money_round(r["s"], r["currency"]) for r in invoiced_rows}
    paid_rows = (
        _payments_in(invoices, year_start, as_of)
        .values("invoice__currency")
        .annotate(
            paid=Sum("amount"),
            late_weight=Sum(F("amount") * F("days_late"), output_field=MONEY_FIELD),
            on_time=Coalesce(
                Sum(Case(When(days_late=0, then=F("amount")), default=NOTHING)), NOTHING
            ),
        )
    )
    paid = {r["invoice__currency"]: r for r in paid_rows}
    result = {}
    for currency in sorted(set(receivables) | set(invoiced) | set(paid)):
        owed = receivables.get(currency, ZERO)
        billed = invoiced.get(currency, ZERO)
        row = paid.get(currency)
        amount = money_round(row["paid"], currency) if row else ZERO
        result[currency] = Behaviour(
            currency=currency,
            receivables=owed,
            invoiced=billed,
            window_days=window_days,
            dso=(owed / billed * window_days).quantize(Decimal("0.1")) if billed else None,
            paid=amount,
            days_late=(row["late_weight"] / amount).quantize(Decimal("0.1")) if amount else None,
            on_time_share=(row["on_time"] * 100 / amount).quantize(Decimal("0.1"))
            if amount
            else None,
        )
    return result


def _payments_in(invoices: QuerySet[Invoice], start: date, end: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        invoice__in=invoices.order_by().values("pk"),
        amount__gt=0,
        payment__reversal__isnull=True,
        effective_on__gte=start,
        effective_on__lte=end,
    ).order_by()


@dataclass(frozen=True)
class TrendPoint:
    month: date
    currency: str
    paid: Decimal
    days_late: Decimal | None


def days_late_trend(*, invoices: QuerySet[Invoice], as_of: date) -> list[TrendPoint]:
    """Average days late per month over the 12 months up to `as_of`: one query."""
    rows = (
        _payments_in(invoices, as_of - timedelta(days=364), as_of)
        .annotate(month=TruncMonth("effective_on"))
        .values("month", "invoice__currency")
        .annotate(
            paid=Sum("amount"),
            late_weight=Sum(F("amount") * F("days_late"), output_field=MONEY_FIELD),
        )
        .order_by("month", "invoice__currency")
    )
    return [
        TrendPoint(
            month=r["month"],
            currency=r["invoice__currency"],
            paid=money_round(r["paid"], r["invoice__currency"]),
            days_late=(r["late_weight"] / r["paid"]).quantize(Decimal("0.1"))
            if r["paid"]
            else None,
        )
        for r in rows
    ]
