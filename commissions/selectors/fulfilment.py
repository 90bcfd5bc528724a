"""What a KAM has invoiced against their plan; the one source for commissions' plan multiplier,
the fulfilment pages and the dashboards."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, Min, OuterRef, Sum
from django.db.models.functions import NullIf, TruncMonth
from django.utils import timezone

from core.money import DEFAULT_CURRENCY, money_round
from deals.models import OPEN_STAGES, Deal, Offer, OfferStatus, OrderLine, OrderStatus
from receivables.models import Allocation, CreditNote, Invoice, InvoiceLine, InvoiceStatus
from team.models import User

from ..models import SalesPlan

ZERO = Decimal("0")


@dataclass(frozen=True)
class Fulfilment:
    currency: str
    target: Decimal
    invoiced_net: Decimal

    @property
    def ratio(self) -> Decimal | None:
        """Invoiced net over the target (1 = 100 %); None without a target to measure by."""
        return self.invoiced_net / self.target if self.target > 0 else None


def invoiced_net(*, kam_id: int, start: date, end: date, currency: str) -> Decimal:
    """Net invoiced in [start, end) credited to the KAM, less the credit notes issued in the
    same days against their invoices, in one currency. Two queries."""
    invoiced = (
        Invoice.objects.filter(
            credited_to_id=kam_id, currency=currency, issue_date__gte=start, issue_date__lt=end
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .aggregate(total=Sum("net_total"))["total"]
    )
    credited = CreditNote.objects.filter(
        invoice__credited_to_id=kam_id,
        currency=currency,
        issue_date__gte=start,
        issue_date__lt=end,
    ).aggregate(total=Sum("net_amount"))["total"]
    return money_round((invoiced or ZERO) - (credited or ZERO))


def invoiced_fulfilment(*, kam_id: int, start: date, end: date) -> Fulfilment | None:
    """The KAM's invoiced fulfilment of the plan months in [start, end) (first days of months),
    in the plans' currency; None when they have no plan for those months."""
    plans = SalesPlan.objects.filter(kam_id=kam_id, month__gte=start, month__lt=end)
    # A KAM is planned in one currency (the plans grid keeps it so).
    totals = plans.values("currency").annotate(target=Sum("revenue_target")).order_by("currency")
    row = next(iter(totals[:1]), None)
    if row is None:
        return None
    return Fulfilment(
        currency=row["currency"],
        target=row["target"],
        invoiced_net=invoiced_net(kam_id=kam_id, start=start, end=end, currency=row["currency"]),
    )


# --- Periods ----------------------------------------------------------------------------------

MONTH, QUARTER, YEAR = "month", "quarter", "year"


@dataclass(frozen=True)
class Period:
    """[start, end) of whole months: a month, a quarter or a year."""

    kind: str
    start: date
    end: date

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = _next_month(month)
        return months


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def period_parse(*, text: str) -> Period:
    """ "2026" (a year), "2026-Q3" (a quarter) or "2026-09" (a month); ValueError otherwise."""
    text = (text or "").strip().upper()
    try:
        if len(text) == 4:
            year = int(text)
            period = Period(YEAR, date(year, 1, 1), date(year + 1, 1, 1))
        elif len(text) == 7 and text[4:6] == "-Q":
            year, quarter = int(text[:4]), int(text[6])
            if not 1 <= quarter <= 4:
                raise ValueError(text)
            start = date(year, 3 * quarter - 2, 1)
            period = Period(QUARTER, start, _next_month(_next_month(_next_month(start))))
        elif len(text) == 7 and text[4] == "-":
            start = date(int(text[:4]), int(text[5:]), 1)
            period = Period(MONTH, start, _next_month(start))
        else:
            raise ValueError(text)
    except (ValueError, IndexError):
        raise ValueError(f"Not a period: {text!r}. Use 2026, 2026-Q3 or 2026-09.") from None
    if not 2000 <= period.start.year <= 2100:
        raise ValueError(f"Not a period: {text!r}. Use 2026, 2026-Q3 or 2026-09.")
    return period


def period_of(*, day: date, kind: str = MONTH) -> Period:
    if kind == YEAR:
        return period_parse(text=f"{day.year}")
    if kind == QUARTER:
        return period_parse(text=f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return period_parse(text=f"{day:%Y-%m}")


# --- Fulfilment on every basis ----------------------------------------------------------------


def _ratio(value: Decimal, target: Decimal) -> Decimal | None:
    """Per cent of the target, to one decimal; None without a target."""
    if not target or target <= 0:
        return None
    return (Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class KamFulfilment:
    """A KAM's plan and what they did against it in one period, on every basis, in the plan's
    currency. Booked: orders received; invoiced: net of invoices credited to the KAM less
    credit notes on them; collected: the net part of the payments allocated to those
    invoices; margin: invoiced net less the cost frozen on the lines (and taken back by credit
    notes); new clients: accounts whose first invoice ever falls in the period."""

    kam_id: int
    name: str
    territory: str
    currency: str
    revenue_target: Decimal
    margin_target: Decimal
    new_clients_target: int
    booked: Decimal
    invoiced: Decimal
    collected: Decimal
    margin: Decimal
    new_clients: int

    @property
    def booked_ratio(self):
        return _ratio(self.booked, self.revenue_target)

    @property
    def invoiced_ratio(self):
        return _ratio(self.invoiced, self.revenue_target)

    @property
    def collected_ratio(self):
        return _ratio(self.collected, self.revenue_target)

    @property
    def margin_ratio(self):
        return _ratio(self.margin, self.margin_target)

    @property
    def new_clients_ratio(self):
        return _ratio(Decimal(self.new_clients), Decimal(self.new_clients_target))

    @property
    def remaining(self) -> Decimal:
        return max(self.revenue_target - self.invoiced, ZERO)


# Payments are gross; the plan is net: the net part of each allocation (its invoice's net over
# gross), so the three bases compare.
NET_OF_ALLOCATION = ExpressionWrapper(
    F("amount") * F("invoice__net_total") / NullIf(F("invoice__gross_total"), 0),
    output_field=DecimalField(max_digits=20, decimal_places=6),
)


def _aware(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _less_credits(invoiced: dict, credited: dict) -> tuple[Decimal, Decimal]:
    """Net and cost of grouped invoices less those of the credit notes on them."""
    net = (invoiced.get("net") or ZERO) - (credited.get("net") or ZERO)
    cost = (invoiced.get("cost") or ZERO) - (credited.get("cost") or ZERO)
    return net, cost


def _by(rows, key: str, currency: str) -> dict:
    """{(key, currency): row} from rows grouped by both."""
    return {(row[key], row[currency]): row for row in rows}


def fulfilment_by_kam(*, kam_ids: list[int], start: date, end: date) -> list[KamFulfilment]:
    """Every KAM of `kam_ids` (ordered by name) with their plan and figures for [start, end),
    in their plan's currency (the default one without a plan). Seven queries whatever the
    number of KAMs or documents."""
    kams = list(
        User.objects.filter(pk__in=kam_ids)
        .select_related("territory")
        .order_by("last_name", "first_name", "username")
    )
    ids = [kam.pk for kam in kams]
    plans = {
        row["kam_id"]: row
        for row in SalesPlan.objects.filter(kam_id__in=ids, month__gte=start, month__lt=end)
        .values("kam_id")
        .annotate(
            currency=Min("currency"),
            revenue=Sum("revenue_target"),
            margin=Sum("margin_target"),
            clients=Sum("new_clients_target"),
        )
        .order_by()
    }
    booked = _by(
        OrderLine.objects.filter(
            order__account__owner_id__in=ids,
            order__created_at__gte=_aware(start),
            order__created_at__lt=_aware(end),
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("order__account__owner_id", "order__currency")
        .annotate(total=Sum("line_total"))
        .order_by(),
        "order__account__owner_id",
        "order__currency",
    )
    invoiced = _by(
        Invoice.objects.filter(credited_to_id__in=ids, issue_date__gte=start, issue_date__lt=end)
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("credited_to_id", "currency")
        .annotate(net=Sum("net_total"), cost=Sum("cost_total"))
        .order_by(),
        "credited_to_id",
        "currency",
    )
    credited = _by(
        CreditNote.objects.filter(
            invoice__credited_to_id__in=ids, issue_date__gte=start, issue_date__lt=end
        )
        .values("invoice__credited_to_id", "currency")
        .annotate(net=Sum("net_amount"), cost=Sum("cost_amount"))
        .order_by(),
        "invoice__credited_to_id",
        "currency",
    )
    collected = _by(
        Allocation.objects.filter(
            invoice__credited_to_id__in=ids, effective_on__gte=start, effective_on__lt=end
        )
        .values("invoice__credited_to_id", "invoice__currency")
        .annotate(total=Sum(NET_OF_ALLOCATION))
        .order_by(),
        "invoice__credited_to_id",
        "invoice__currency",
    )
    earlier = Invoice.objects.filter(
        account_id=OuterRef("account_id"), issue_date__lt=OuterRef("issue_date")
    ).exclude(status=InvoiceStatus.CANCELLED)
    new_clients = {
        row["credited_to_id"]: row["n"]
        for row in Invoice.objects.filter(
            credited_to_id__in=ids, issue_date__gte=start, issue_date__lt=end
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .filter(~Exists(earlier))
        .values("credited_to_id")
        .annotate(n=Count("account_id", distinct=True))
        .order_by()
    }
    result = []
    for kam in kams:
        plan = plans.get(kam.pk, {})
        currency = plan.get("currency") or DEFAULT_CURRENCY
        key = (kam.pk, currency)
        net, cost = _less_credits(invoiced.get(key, {}), credited.get(key, {}))
        result.append(
            KamFulfilment(
                kam_id=kam.pk,
                name=str(kam),
                territory=str(kam.territory or ""),
                currency=currency,
                revenue_target=plan.get("revenue") or ZERO,
                margin_target=plan.get("margin") or ZERO,
                new_clients_target=plan.get("clients") or 0,
                booked=money_round(booked.get(key, {}).get("total") or ZERO, currency),
                invoiced=money_round(net, currency),
                collected=money_round(collected.get(key, {}).get("total") or ZERO, currency),
                margin=money_round(net - cost, currency),
                new_clients=new_clients.get(kam.pk, 0),
            )
        )
    return result


def fulfilment_total(*, rows: list[KamFulfilment], name: str) -> KamFulfilment | None:
    """The rows added up (a territory, the company); None when they are in several currencies
    (amounts in two currencies are never added)."""
    currencies = {row.currency for row in rows}
    if len(currencies) != 1:
        return None

    def total(field):
        return sum((getattr(row, field) for row in rows), ZERO)

    return KamFulfilment(
        kam_id=0,
        name=name,
        territory="",
        currency=currencies.pop(),
        revenue_target=total("revenue_target"),
        margin_target=total("margin_target"),
        new_clients_target=int(total("new_clients_target")),
        booked=total("booked"),
        invoiced=total("invoiced"),
        collected=total("collected"),
        margin=total("margin"),
        new_clients=int(total("new_clients")),
    )


# --- Drill-down: KAM -> account -> product category -> invoice lines --------------------------


@dataclass(frozen=True)
class Breakdown:
    """One row of a drill-down: an account or a product category, invoiced net and margin."""

    key: int | None
    label: str
    invoiced: Decimal
    margin: Decimal
    lines: int = 0


def fulfilment_by_account(*, kam_id: int, start: date, end: date, currency: str) -> list[Breakdown]:
    """The KAM's credited net and margin by account, credit notes taken off; biggest first.
    Two queries."""
    invoices = {
        row["account_id"]: row
        for row in Invoice.objects.filter(
            credited_to_id=kam_id, currency=currency, issue_date__gte=start, issue_date__lt=end
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("account_id", "account__name")
        .annotate(net=Sum("net_total"), cost=Sum("cost_total"), n=Count("pk"))
        .order_by()
    }
    credits = {
        row["invoice__account_id"]: row
        for row in CreditNote.objects.filter(
            invoice__credited_to_id=kam_id,
            currency=currency,
            issue_date__gte=start,
            issue_date__lt=end,
        )
        .values("invoice__account_id", "invoice__account__name")
        .annotate(net=Sum("net_amount"), cost=Sum("cost_amount"))
        .order_by()
    }
    rows = []
    for account_id in invoices.keys() | credits.keys():
        inv, cn = invoices.get(account_id, {}), credits.get(account_id, {})
        net, cost = _less_credits(inv, cn)
        label = inv.get("account__name") or cn.get("invoice__account__name")
        rows.append(
            Breakdown(account_id, label, money_round(net), money_round(net - cost), inv.get("n", 0))
        )
    return sorted(rows, key=lambda row: (-row.invoiced, row.label))


def _lines(*, kam_id: int, account_id: int, start: date, end: date, currency: str):
    return InvoiceLine.objects.filter(
        invoice__credited_to_id=kam_id,
        invoice__account_id=account_id,
        invoice__currency=currency,
        invoice__issue_date__gte=start,
        invoice__issue_date__lt=end,
    ).exclude(invoice__status=InvoiceStatus.CANCELLED)


def fulfilment_by_category(
    *, kam_id: int, account_id: int, start: date, end: date, currency: str
) -> list[Breakdown]:
    """The invoice lines credited to the KAM on one account, by product category (credit notes
    are on whole invoices, so this level shows the lines as invoiced). One query."""
    rows = (
        _lines(kam_id=kam_id, account_id=account_id, start=start, end=end, currency=currency)
        .values("product__category_id", "product__category__name")
        .annotate(net=Sum("net_amount"), cost=Sum("cost_amount"), n=Count("pk"))
        .order_by("-net")
    )
    return [
        Breakdown(
            row["product__category_id"],
            row["product__category__name"] or "",
            money_round(row["net"]),
            money_round(row["net"] - row["cost"]),
            row["n"],
        )
        for row in rows
    ]


def fulfilment_lines(
    *, kam_id: int, account_id: int, category_id: int | None, start: date, end: date, currency: str
):
    """The invoice lines behind a category's figure, with their invoice. One query."""
    lines = _lines(kam_id=kam_id, account_id=account_id, start=start, end=end, currency=currency)
    lines = (
        lines.filter(product__category_id=category_id)
        if category_id
        else lines.filter(product__category__isnull=True)
    )
    return (
        lines.select_related("invoice", "product")
        .annotate(margin=F("net_amount") - F("cost_amount"))
        .order_by("invoice__issue_date", "pk")
    )


# --- Last year's shape, for spreading a yearly plan -------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    net: Decimal
    margin: Decimal
    new_clients: int


def monthly_history(*, kam_id: int, year: int, currency: str) -> dict[date, MonthFigures]:
    """The KAM's invoiced net, margin and new clients in each month of `year`. Three queries."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    base = Invoice.objects.filter(
        credited_to_id=kam_id, currency=currency, issue_date__gte=start, issue_date__lt=end
    ).exclude(status=InvoiceStatus.CANCELLED)
    invoiced = {
        row["month"]: row
        for row in base.annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(net=Sum("net_total"), cost=Sum("cost_total"))
        .order_by()
    }
    credited = {
        row["month"]: row
        for row in CreditNote.objects.filter(
            invoice__credited_to_id=kam_id,
            currency=currency,
            issue_date__gte=start,
            issue_date__lt=end,
        )
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(net=Sum("net_amount"), cost=Sum("cost_amount"))
        .order_by()
    }
    earlier = Invoice.objects.filter(
        account_id=OuterRef("account_id"), issue_date__lt=OuterRef("issue_date")
    ).exclude(status=InvoiceStatus.CANCELLED)
    firsts = {
        row["month"]: row["n"]
        for row in base.filter(~Exists(earlier))
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(n=Count("account_id", distinct=True))
        .order_by()
    }
    result = {}
    for number in range(1, 13):
        month = date(year, number, 1)
        net, cost = _less_credits(invoiced.get(month, {}), credited.get(month, {}))
        result[month] = MonthFigures(net, net - cost, firsts.get(month, 0))
    return result


# --- What's left ------------------------------------------------------------------------------

GAP_OFFER_STATUSES = [OfferStatus.PENDING_APPROVAL, OfferStatus.APPROVED, OfferStatus.SENT]


@dataclass(frozen=True)
class GapOffer:
    offer_id: int
    deal_id: int
    deal: str
    account: str
    total: Decimal
    valid_until: date
    closes_gap: bool  # among the biggest offers that together would close the gap


@dataclass(frozen=True)
class WhatsLeft:
    currency: str
    target: Decimal
    invoiced: Decimal
    remaining: Decimal
    weighted_pipeline: Decimal
    weeks_left: int
    run_rate: Decimal | None  # to invoice a week to reach the plan
    offers: list[GapOffer]

    @property
    def pipeline_covers(self) -> bool:
        return self.weighted_pipeline >= self.remaining


def whats_left(*, kam_id: int, period: Period, today: date, offers: int = 10) -> WhatsLeft:
    """For a KAM in `period`: what remains to plan, the weighted open pipeline expected to close
    in the rest of the period, the run rate needed per remaining week, and the open offers
    (biggest first) that would close the gap. Five queries (the fulfilment's own and three)."""
    figures = fulfilment_by_kam(kam_ids=[kam_id], start=period.start, end=period.end)[0]
    currency = figures.currency
    remaining = figures.remaining
    from_day = max(today, period.start)
    days = (period.end - from_day).days
    weeks = max(0, -(-days // 7))
    weighted = (
        Deal.objects.filter(
            owner_id=kam_id,
            stage__in=OPEN_STAGES,
            currency=currency,
            expected_close_date__gte=from_day,
            expected_close_date__lt=period.end,
        ).aggregate(total=Sum(F("amount") * F("probability")))["total"]
        or ZERO
    )
    candidates = (
        Offer.objects.filter(
            deal__owner_id=kam_id,
            deal__stage__in=OPEN_STAGES,
            status__in=GAP_OFFER_STATUSES,
            currency=currency,
            valid_until__gte=today,
        )
        .annotate(total=Sum("lines__line_total"))
        .filter(total__gt=0)
        .select_related("deal__account")
        .order_by("-total", "pk")[:offers]
    )
    gap_offers, running = [], ZERO
    for offer in candidates:
        closes = remaining > 0 and running < remaining
        running += offer.total
        gap_offers.append(
            GapOffer(
                offer_id=offer.pk,
                deal_id=offer.deal_id,
                deal=offer.deal.title,
                account=offer.deal.account.name,
                total=offer.total,
                valid_until=offer.valid_until,
                closes_gap=closes,
            )
        )
    return WhatsLeft(
        currency=currency,
        target=figures.revenue_target,
        invoiced=figures.invoiced,
        remaining=remaining,
        weighted_pipeline=money_round(Decimal(weighted) / 100, currency),
        weeks_left=weeks,
        run_rate=money_round(remaining / weeks, currency) if weeks else None,
        offers=gap_offers,
    )
