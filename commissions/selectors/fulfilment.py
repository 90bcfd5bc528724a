"""What a KAM has invoiced against their plan; the one source for commissions' plan multiplier,
the fulfilment pages and the dashboards."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import NullIf, TruncMonth
from django.utils import timezone

from core.money import DEFAULT_CURRENCY, money_round, reporting_currency
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


def invoiced_fulfilment(*, kam_id: int, start: date, end: date) -> Fulfilment | None:
    """The KAM's invoiced fulfilment of the plan months in [start, end) (first days of months),
    in the plans' currency, as `fulfilment_by_kam` counts it (the figure the period
    calculation multiplies by): net invoiced less the credit notes of the same days, documents
    in another currency at their frozen rates when the plan is in the reporting currency.
    None when they have no plan for those months. Three queries."""
    plans = SalesPlan.objects.filter(kam_id=kam_id, month__gte=start, month__lt=end)
    # A KAM is planned in one currency (the plans grid keeps it so).
    totals = plans.values("currency").annotate(target=Sum("revenue_target")).order_by("currency")
    row = next(iter(totals[:1]), None)
    if row is None:
        return None
    currency = row["currency"]
    net = {}
    for basis, documents, sums in (
        (
            "invoiced",
            Invoice.objects.filter(credited_to_id=kam_id).exclude(status=InvoiceStatus.CANCELLED),
            INVOICE_SUMS,
        ),
        ("credited", CreditNote.objects.filter(invoice__credited_to_id=kam_id), CREDIT_NOTE_SUMS),
    ):
        rows = (
            documents.filter(issue_date__gte=start, issue_date__lt=end)
            .values("currency")
            .annotate(**money_sums(**sums))
            .order_by()
        )
        net[basis] = in_plan_currency(list(rows), plan_currency=currency, basis=basis)[0]["net"]
    return Fulfilment(
        currency=currency,
        target=row["target"],
        invoiced_net=money_round(net["invoiced"] - net["credited"], currency),
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
class Issued:
    """What one basis holds in one document currency: the amount as issued, how many
    documents (invoices, credit notes, orders, invoices paid) it comes from, how many of them
    had no rate into the plan's currency, and the range of the frozen rates used."""

    basis: str  # "booked", "invoiced" (invoices), "credited" (credit notes), "collected"
    currency: str
    amount: Decimal
    documents: int
    unrated: int
    rate_min: Decimal | None
    rate_max: Decimal | None

    @property
    def converted(self) -> bool:
        return self.rate_min is not None and self.unrated < self.documents


@dataclass(frozen=True)
class KamFulfilment:
    """A KAM's plan and what they did against it in one period, on every basis, in the plan's
    currency. Booked: orders received; invoiced: net of invoices credited to the KAM less
    credit notes on them; collected: the net part of the payments allocated to those
    invoices; margin: invoiced net less the cost frozen on the lines (and taken back by credit
    notes); new clients: accounts whose first invoice ever falls in the period.

    Documents in another currency count at the rate each froze into the reporting currency
    (`Invoice.reporting_rate`, the invoice's for a payment, `Order.reporting_rate` for booked)
    when the plan is in the reporting currency; `issued` keeps the figures per document
    currency, and those without a rate are counted there, not guessed."""

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
    planned: bool = True
    issued: tuple[Issued, ...] = ()

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

    @property
    def unrated(self) -> list[Issued]:
        """The documents left out of a figure for want of a rate: it is not complete."""
        return [row for row in self.issued if row.unrated]

    def complete(self, basis: str) -> bool:
        bases = {"invoiced": ("invoiced", "credited"), "margin": ("invoiced", "credited")}
        return not any(row.basis in bases.get(basis, (basis,)) for row in self.unrated)

    @property
    def booked_complete(self) -> bool:
        return self.complete("booked")

    @property
    def invoiced_complete(self) -> bool:
        return self.complete("invoiced")

    @property
    def collected_complete(self) -> bool:
        return self.complete("collected")


# Payments are gross; the plan is net: the net part of each allocation (its invoice's net over
# gross), so the three bases compare.
NET_OF_ALLOCATION = ExpressionWrapper(
    F("amount") * F("invoice__net_total") / NullIf(F("invoice__gross_total"), 0),
    output_field=DecimalField(max_digits=20, decimal_places=6),
)
AMOUNT = DecimalField(max_digits=30, decimal_places=10)


def _aware(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _less_credits(invoiced: dict, credited: dict) -> tuple[Decimal, Decimal]:
    """Net and cost of grouped invoices less those of the credit notes on them."""
    net = (invoiced.get("net") or ZERO) - (credited.get("net") or ZERO)
    cost = (invoiced.get("cost") or ZERO) - (credited.get("cost") or ZERO)
    return net, cost


def money_sums(
    *, amounts: dict[str, object], rate: str, document: str, window: Q | None = None
) -> dict:
    """Annotations for documents grouped by currency: each amount as issued (`net`) and at
    each document's frozen rate into the reporting currency (`net_rated`, SUM(net * rate):
    a document without a rate adds nothing there), how many documents and how many of them
    without a rate, and the lowest and highest rate used."""
    window = window or Q()
    sums = {}
    for name, amount in amounts.items():
        amount = F(amount) if isinstance(amount, str) else amount
        sums[name] = Sum(amount, filter=window)
        sums[f"{name}_rated"] = Sum(
            ExpressionWrapper(amount * F(rate), output_field=AMOUNT), filter=window
        )
    sums["documents"] = Count(document, distinct=True, filter=window)
    sums["unrated"] = Count(document, distinct=True, filter=window & Q(**{f"{rate}__isnull": True}))
    sums["rate_min"] = Min(rate, filter=window)
    sums["rate_max"] = Max(rate, filter=window)
    return sums


def in_plan_currency(
    rows: list[dict], *, plan_currency: str, basis: str, names: tuple[str, ...] = ("net",)
) -> tuple[dict[str, Decimal], list[Issued]]:
    """Rows of `money_sums` (one per document currency) as amounts in the plan's currency:
    the plan's own at par; the others at their documents' frozen rates when the plan is in the
    reporting currency (an amount already in one currency per row: adding them mixes none),
    else not counted. Each currency's figure as issued comes back beside it."""
    convertible = plan_currency == reporting_currency()
    totals = dict.fromkeys(names, ZERO)
    issued = []
    for row in sorted(rows, key=lambda row: row["currency"]):
        currency, documents = row["currency"], row.get("documents") or 0
        if not documents:
            continue
        same = currency == plan_currency
        for name in names:
            if same:
                totals[name] += row.get(name) or ZERO
            elif convertible:
                totals[name] += row.get(f"{name}_rated") or ZERO
        unrated = 0 if same else (row["unrated"] if convertible else documents)
        issued.append(
            Issued(
                basis=basis,
                currency=currency,
                amount=money_round(row.get(names[0]) or ZERO, currency),
                documents=documents,
                unrated=unrated,
                rate_min=None if same or not convertible else row.get("rate_min"),
                rate_max=None if same or not convertible else row.get("rate_max"),
            )
        )
    return totals, issued


# What `money_sums` adds up on each kind of document.
INVOICE_SUMS = {
    "amounts": {"net": "net_total", "cost": "cost_total"},
    "rate": "reporting_rate",
    "document": "pk",
}
CREDIT_NOTE_SUMS = {
    "amounts": {"net": "net_amount", "cost": "cost_amount"},
    "rate": "reporting_rate",
    "document": "pk",
}


def _window(path: str, start: date, end: date) -> Q:
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def _grouped(queryset, *, key: str, currency: str, windows, **options) -> list[dict[tuple, dict]]:
    """One grouped query over every window: per window, {(key, currency): sums}."""
    annotations = {}
    for i, window in enumerate(windows):
        for name, aggregate in money_sums(window=window, **options).items():
            annotations[f"{name}__{i}"] = aggregate
    result: list[dict[tuple, dict]] = [{} for _ in windows]
    for row in queryset.values(key, currency).annotate(**annotations).order_by():
        for i in range(len(windows)):
            sums = {
                name.rsplit("__", 1)[0]: value
                for name, value in row.items()
                if name.endswith(f"__{i}")
            }
            sums["currency"] = row[currency]
            result[i].setdefault(row[key], []).append(sums)
    return result


def _number(value):
    # SQLite returns sums of decimals as floats: through str, so 0.1 stays 0.1.
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _booked(*, ids: list[int], first: date, last: date, windows) -> list[dict[int, list[dict]]]:
    """The orders received by the KAMs' accounts, as `_grouped` gives them (per window,
    {KAM: [sums per order currency]}): one statement. The lines are summed per order first
    and the orders then per KAM and currency, a FILTER per window; grouping the 100,000 lines
    of a territory's year straight by KAM needed COUNT(DISTINCT order) twice per window (a
    sort each) and took twice as long. An order's rate is the same on all its lines, so the
    sums at the rate are the same numbers."""
    flags = {
        f"g_w{i}": ExpressionWrapper(
            Q(order__created_at__gte=_aware(s), order__created_at__lt=_aware(e)),
            output_field=BooleanField(),
        )
        for i, (s, e) in enumerate(windows)
    }
    per_order = (
        OrderLine.objects.filter(
            order__account__owner_id__in=ids,
            order__created_at__gte=_aware(first),
            order__created_at__lt=_aware(last),
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values(
            "order_id",
            g_key=F("order__account__owner_id"),
            g_currency=F("order__currency"),
            g_rate=F("order__reporting_rate"),
            **flags,
        )
        .annotate(g_net=Sum("line_total"))
        .order_by()
    )
    result: list[dict[int, list[dict]]] = [{} for _ in windows]
    try:
        inner, params = per_order.query.sql_with_params()
    except EmptyResultSet:
        return result
    names = ("net", "net_rated", "documents", "unrated", "rate_min", "rate_max")
    sums = []
    for flag in flags:
        sums += [
            f"SUM(g_net) FILTER (WHERE {flag})",
            f"SUM(g_net * g_rate) FILTER (WHERE {flag})",
            f"COUNT(*) FILTER (WHERE {flag})",
            f"COUNT(*) FILTER (WHERE {flag} AND g_rate IS NULL)",
            f"MIN(g_rate) FILTER (WHERE {flag})",
            f"MAX(g_rate) FILTER (WHERE {flag})",
        ]
    sql = (
        f"SELECT g_key, g_currency, {', '.join(sums)} FROM ({inner}) orders "  # noqa: S608 - our own SQL
        "GROUP BY g_key, g_currency"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kam_id, currency, *values in rows:
        for i in range(len(windows)):
            row = dict(zip(names, values[i * len(names) : (i + 1) * len(names)], strict=True))
            row = {name: _number(value) for name, value in row.items()}
            row["documents"], row["unrated"] = int(row["documents"]), int(row["unrated"])
            row["currency"] = currency
            result[i].setdefault(kam_id, []).append(row)
    return result


def fulfilment_by_kam(*, kam_ids: list[int], start: date, end: date) -> list[KamFulfilment]:
    """Every KAM of `kam_ids` (ordered by name) with their plan and figures for [start, end),
    in their plan's currency (the default one without a plan). Seven queries whatever the
    number of KAMs or documents."""
    return fulfilment_by_kam_windows(kam_ids=kam_ids, windows=[(start, end)])[0]


def fulfilment_by_kam_windows(
    *, kam_ids: list[int], windows: list[tuple[date, date]]
) -> list[list[KamFulfilment]]:
    """`fulfilment_by_kam` for several periods at once ([start, end) each; a month, its
    quarter and its year for the cockpit), in the order given. Still seven queries: each
    source is read once, grouped by KAM and currency, a sum per period."""
    kams = list(
        User.objects.filter(pk__in=kam_ids)
        .select_related("territory")
        .order_by("last_name", "first_name", "username")
    )
    ids = [kam.pk for kam in kams]
    first, last = min(s for s, _ in windows), max(e for _, e in windows)
    plan_sums = {}
    for i, (start, end) in enumerate(windows):
        month = _window("month", start, end)
        plan_sums |= {
            f"revenue__{i}": Sum("revenue_target", filter=month),
            f"margin__{i}": Sum("margin_target", filter=month),
            f"clients__{i}": Sum("new_clients_target", filter=month),
        }
    plans = {
        row["kam_id"]: row
        for row in SalesPlan.objects.filter(kam_id__in=ids, month__gte=first, month__lt=last)
        .values("kam_id")
        .annotate(currency=Min("currency"), **plan_sums)
        .order_by()
    }
    booked = _booked(ids=ids, first=first, last=last, windows=windows)
    invoiced = _grouped(
        Invoice.objects.filter(
            credited_to_id__in=ids, issue_date__gte=first, issue_date__lt=last
        ).exclude(status=InvoiceStatus.CANCELLED),
        key="credited_to_id",
        currency="currency",
        windows=[_window("issue_date", s, e) for s, e in windows],
        **INVOICE_SUMS,
    )
    credited = _grouped(
        CreditNote.objects.filter(
            invoice__credited_to_id__in=ids, issue_date__gte=first, issue_date__lt=last
        ),
        key="invoice__credited_to_id",
        currency="currency",
        windows=[_window("issue_date", s, e) for s, e in windows],
        **CREDIT_NOTE_SUMS,
    )
    collected = _grouped(
        Allocation.objects.filter(
            invoice__credited_to_id__in=ids, effective_on__gte=first, effective_on__lt=last
        ),
        key="invoice__credited_to_id",
        currency="invoice__currency",
        windows=[_window("effective_on", s, e) for s, e in windows],
        amounts={"net": NET_OF_ALLOCATION},
        rate="invoice__reporting_rate",
        document="invoice",
    )
    earlier = Invoice.objects.filter(
        account_id=OuterRef("account_id"), issue_date__lt=OuterRef("issue_date")
    ).exclude(status=InvoiceStatus.CANCELLED)
    new_clients = {
        row["credited_to_id"]: row
        for row in Invoice.objects.filter(
            credited_to_id__in=ids, issue_date__gte=first, issue_date__lt=last
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .filter(~Exists(earlier))
        .values("credited_to_id")
        .annotate(
            **{
                f"n__{i}": Count("account_id", distinct=True, filter=_window("issue_date", s, e))
                for i, (s, e) in enumerate(windows)
            }
        )
        .order_by()
    }
    result = []
    for i in range(len(windows)):
        rows = []
        for kam in kams:
            plan = plans.get(kam.pk, {})
            currency = plan.get("currency") or DEFAULT_CURRENCY
            sums = {}
            issued: list[Issued] = []
            for basis, source, names in (
                ("booked", booked, ("net",)),
                ("invoiced", invoiced, ("net", "cost")),
                ("credited", credited, ("net", "cost")),
                ("collected", collected, ("net",)),
            ):
                sums[basis], found = in_plan_currency(
                    source[i].get(kam.pk, []), plan_currency=currency, basis=basis, names=names
                )
                issued += found
            net = sums["invoiced"]["net"] - sums["credited"]["net"]
            cost = sums["invoiced"]["cost"] - sums["credited"]["cost"]
            rows.append(
                KamFulfilment(
                    kam_id=kam.pk,
                    name=str(kam),
                    territory=str(kam.territory or ""),
                    currency=currency,
                    revenue_target=plan.get(f"revenue__{i}") or ZERO,
                    margin_target=plan.get(f"margin__{i}") or ZERO,
                    new_clients_target=plan.get(f"clients__{i}") or 0,
                    booked=money_round(sums["booked"]["net"], currency),
                    invoiced=money_round(net, currency),
                    collected=money_round(sums["collected"]["net"], currency),
                    margin=money_round(net - cost, currency),
                    new_clients=new_clients.get(kam.pk, {}).get(f"n__{i}") or 0,
                    planned=plan.get(f"revenue__{i}") is not None,
                    issued=tuple(issued),
                )
            )
        result.append(rows)
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
        issued=_issued_total(row for kam in rows for row in kam.issued),
    )


def _issued_total(rows) -> tuple[Issued, ...]:
    """Per-currency figures of several KAMs added up per basis and currency."""
    merged: dict[tuple[str, str], Issued] = {}
    for row in rows:
        had = merged.get((row.basis, row.currency))
        if had is not None:
            rates = [r for r in (had.rate_min, had.rate_max, row.rate_min, row.rate_max) if r]
            row = Issued(
                basis=row.basis,
                currency=row.currency,
                amount=had.amount + row.amount,
                documents=had.documents + row.documents,
                unrated=had.unrated + row.unrated,
                rate_min=min(rates) if rates else None,
                rate_max=max(rates) if rates else None,
            )
        merged[row.basis, row.currency] = row
    return tuple(merged.values())


# --- Drill-down: KAM -> account -> product category -> invoice lines --------------------------


@dataclass(frozen=True)
class Breakdown:
    """One row of a drill-down: an account, a product category or a month; invoiced net and
    margin in the plan's currency, with the figures per document currency behind them."""

    key: int | date | None
    label: str
    invoiced: Decimal
    margin: Decimal
    lines: int = 0
    issued: tuple[Issued, ...] = ()


def _by_key(queryset, *, keys: list[str], currency: str, plan_currency: str, basis: str, **sums):
    """{(keys...): (amounts in the plan's currency, per-currency figures)} from one grouped
    query (`money_sums` by the keys and the document currency)."""
    groups: dict[tuple, list[dict]] = {}
    rows = queryset.values(*keys, currency).annotate(**money_sums(**sums)).order_by()
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(
            {**row, "currency": row[currency]}
        )
    return {
        key: (
            *in_plan_currency(
                group, plan_currency=plan_currency, basis=basis, names=tuple(sums["amounts"])
            ),
            sum(row["documents"] for row in group),
        )
        for key, group in groups.items()
    }


def fulfilment_by_account(*, kam_id: int, start: date, end: date, currency: str) -> list[Breakdown]:
    """The KAM's credited net and margin by account in the plan's `currency` (documents in
    others converted as `fulfilment_by_kam` does), credit notes taken off; biggest first.
    Two queries."""
    invoices = _by_key(
        Invoice.objects.filter(
            credited_to_id=kam_id, issue_date__gte=start, issue_date__lt=end
        ).exclude(status=InvoiceStatus.CANCELLED),
        keys=["account_id", "account__name"],
        currency="currency",
        plan_currency=currency,
        basis="invoiced",
        **INVOICE_SUMS,
    )
    credits = _by_key(
        CreditNote.objects.filter(
            invoice__credited_to_id=kam_id, issue_date__gte=start, issue_date__lt=end
        ),
        keys=["invoice__account_id", "invoice__account__name"],
        currency="currency",
        plan_currency=currency,
        basis="credited",
        **CREDIT_NOTE_SUMS,
    )
    rows = []
    for key in invoices.keys() | credits.keys():
        inv, inv_issued, n = invoices.get(key, ({}, [], 0))
        cn, cn_issued, _ = credits.get(key, ({}, [], 0))
        net, cost = _less_credits(inv, cn)
        rows.append(
            Breakdown(
                key[0],
                key[1],
                money_round(net, currency),
                money_round(net - cost, currency),
                n,
                tuple(inv_issued + cn_issued),
            )
        )
    return sorted(rows, key=lambda row: (-row.invoiced, row.label))


def _lines(*, kam_id: int, account_id: int, start: date, end: date):
    return InvoiceLine.objects.filter(
        invoice__credited_to_id=kam_id,
        invoice__account_id=account_id,
        invoice__issue_date__gte=start,
        invoice__issue_date__lt=end,
    ).exclude(invoice__status=InvoiceStatus.CANCELLED)


def _in_category(lines, category_id: int | None):
    if category_id:
        return lines.filter(product__category_id=category_id)
    return lines.filter(product__category__isnull=True)


LINE_SUMS = {
    "amounts": {"net": "net_amount", "cost": "cost_amount"},
    "rate": "invoice__reporting_rate",
    "document": "invoice",
}


def fulfilment_by_category(
    *, kam_id: int, account_id: int, start: date, end: date, currency: str
) -> list[Breakdown]:
    """The invoice lines credited to the KAM on one account, by product category (credit notes
    are on whole invoices, so this level shows the lines as invoiced). One query."""
    groups = _by_key(
        _lines(kam_id=kam_id, account_id=account_id, start=start, end=end),
        keys=["product__category_id", "product__category__name"],
        currency="invoice__currency",
        plan_currency=currency,
        basis="invoiced",
        **LINE_SUMS,
    )
    rows = [
        Breakdown(
            key[0],
            key[1] or "",
            money_round(sums["net"], currency),
            money_round(sums["net"] - sums["cost"], currency),
            n,
            tuple(issued),
        )
        for key, (sums, issued, n) in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row.invoiced, row.label))


def fulfilment_by_month(
    *, kam_id: int, account_id: int, category_id: int | None, start: date, end: date, currency: str
) -> list[Breakdown]:
    """A category's invoice lines on one account, month by month (oldest first); `lines` is
    the number of invoices. One query."""
    lines = _in_category(
        _lines(kam_id=kam_id, account_id=account_id, start=start, end=end), category_id
    ).annotate(month=TruncMonth("invoice__issue_date"))
    groups = _by_key(
        lines,
        keys=["month"],
        currency="invoice__currency",
        plan_currency=currency,
        basis="invoiced",
        **LINE_SUMS,
    )
    rows = [
        Breakdown(
            _as_date(key[0]),
            "",
            money_round(sums["net"], currency),
            money_round(sums["net"] - sums["cost"], currency),
            n,
            tuple(issued),
        )
        for key, (sums, issued, n) in groups.items()
    ]
    return sorted(rows, key=lambda row: row.key)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def fulfilment_lines(
    *,
    kam_id: int,
    account_id: int,
    category_id: int | None,
    start: date,
    end: date,
    currency: str,
):
    """The invoice lines behind a category's (or a month's: pass its [start, end)) figure, with
    their invoice, their net in the plan's currency (`net_in_plan`: None where the invoice has
    no rate into it) and margin. One query."""
    lines = _in_category(
        _lines(kam_id=kam_id, account_id=account_id, start=start, end=end), category_id
    )
    whens = [When(invoice__currency=currency, then=Value(Decimal(1)))]
    if currency == reporting_currency():
        whens.append(When(invoice__reporting_rate__isnull=False, then=F("invoice__reporting_rate")))
    rate = Case(*whens, default=None, output_field=DecimalField(max_digits=18, decimal_places=8))
    return (
        lines.select_related("invoice", "product")
        .annotate(
            margin=F("net_amount") - F("cost_amount"),
            rate_in_plan=rate,
            net_in_plan=ExpressionWrapper(F("net_amount") * rate, output_field=AMOUNT),
        )
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
