"""What the dashboards share: periods, the scope a dashboard reads, plan against invoiced for
many KAMs at once, and credit exposure for many accounts at once (each a fixed few grouped
queries, where the per-KAM and per-account selectors below would cost queries per row)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from commissions.models import SalesPlan
from core.money import money_round
from deals.models import CLOSED_STAGES, Offer, OfferLine, OrderLine
from receivables.models import (
    OPEN_INVOICE_STATUSES,
    CreditNote,
    CreditProfile,
    Invoice,
    InvoiceStatus,
)
from receivables.selectors.credit import EXPOSED_OFFER_STATUSES, EXPOSED_ORDER_STATUSES
from team.models import Territory, User

ZERO = Decimal("0.00")
PERIODS = {
    "month": _("This month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # first day
    end: date  # the day after the last
    today: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def elapsed(self) -> int:
        """Days gone, today included."""
        return max(0, min(self.days, (self.today - self.start).days + 1))

    @property
    def remaining(self) -> int:
        return self.days - self.elapsed

    @property
    def label(self) -> str:
        return str(PERIODS[self.key])


def period(key: str, today: date) -> Period:
    """The calendar month, quarter or year holding `today`."""
    if key == "month":
        start = month_start(today)
        return Period(key, start, add_months(start, 1), today)
    if key == "quarter":
        start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(key, start, add_months(start, 3), today)
    if key == "year":
        return Period(key, date(today.year, 1, 1), date(today.year + 1, 1, 1), today)
    raise ValueError(key)


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Scope:
    """Whose figures a dashboard shows: a territory's KAMs (the cockpit) or one KAM."""

    user: User
    territory: Territory | None
    kams: list[User]

    @property
    def kam_ids(self) -> list[int]:
        return [k.pk for k in self.kams]

    def accounts_q(self, path: str = "") -> Q:
        """The rows under the accounts of the scope (on top of the reader's own access)."""
        prefix = f"{path}__" if path else ""
        if self.territory is not None:
            return Q(**{f"{prefix}territory_id": self.territory.pk})
        return Q(**{f"{prefix}owner_id__in": self.kam_ids})


# --- Plan against invoiced ---------------------------------------------------------------------


@dataclass
class PlanRow:
    kam: User
    period: Period
    currency: str
    target: Decimal
    invoiced: Decimal

    @property
    def ratio(self) -> Decimal | None:
        return pct(self.invoiced, self.target)

    @property
    def left(self) -> Decimal:
        return max(ZERO, self.target - self.invoiced)

    @property
    def over(self) -> Decimal:
        return max(ZERO, self.invoiced - self.target)

    @property
    def projected(self) -> Decimal:
        """At the run rate so far, what the period ends at."""
        if not self.period.elapsed:
            return ZERO
        return money_round(self.invoiced * self.period.days / self.period.elapsed, self.currency)

    @property
    def projected_ratio(self) -> Decimal | None:
        return pct(self.projected, self.target)

    @property
    def needed_per_day(self) -> Decimal | None:
        """The daily invoicing the rest of the period needs to reach the plan."""
        if not self.period.remaining:
            return None
        return money_round(self.left / self.period.remaining, self.currency)

    @property
    def kam_id(self) -> int:
        return self.kam.pk


def plan_rows(*, kams: list[User], periods: list[Period]) -> dict[str, list[PlanRow]]:
    """Each KAM's plan and invoiced net (less credit notes) in each period: the same figures as
    `commissions.selectors.fulfilment.invoiced_fulfilment`, for all KAMs and periods in three
    queries. A KAM without a plan in a period has no row for it."""
    ids = [k.pk for k in kams]
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)

    def window(p: Period, path: str) -> Q:
        return Q(**{f"{path}__gte": p.start, f"{path}__lt": p.end})

    plans = (
        SalesPlan.objects.filter(kam_id__in=ids, month__gte=first, month__lt=last)
        .values("kam_id", "currency")
        .annotate(
            **{f"p_{p.key}": Sum("revenue_target", filter=window(p, "month")) for p in periods}
        )
        .order_by("kam_id", "currency")
    )
    invoiced = (
        Invoice.objects.filter(credited_to_id__in=ids, issue_date__gte=first, issue_date__lt=last)
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("credited_to_id", "currency")
        .annotate(
            **{f"p_{p.key}": Sum("net_total", filter=window(p, "issue_date")) for p in periods}
        )
        .order_by()
    )
    credited = (
        CreditNote.objects.filter(
            invoice__credited_to_id__in=ids, issue_date__gte=first, issue_date__lt=last
        )
        .values("invoice__credited_to_id", "currency")
        .annotate(
            **{f"p_{p.key}": Sum("net_amount", filter=window(p, "issue_date")) for p in periods}
        )
        .order_by()
    )
    net: dict[tuple[int, str, str], Decimal] = defaultdict(lambda: ZERO)
    for row in invoiced:
        for p in periods:
            net[row["credited_to_id"], row["currency"], p.key] += row[f"p_{p.key}"] or ZERO
    for row in credited:
        for p in periods:
            net[row["invoice__credited_to_id"], row["currency"], p.key] -= row[f"p_{p.key}"] or ZERO
    people = {k.pk: k for k in kams}
    result: dict[str, list[PlanRow]] = {p.key: [] for p in periods}
    seen: set[tuple[int, str]] = set()
    for row in plans:
        for p in periods:
            # A KAM is planned in one currency (the plans grid keeps it so): the first.
            if row[f"p_{p.key}"] is None or (row["kam_id"], p.key) in seen:
                continue
            seen.add((row["kam_id"], p.key))
            result[p.key].append(
                PlanRow(
                    kam=people[row["kam_id"]],
                    period=p,
                    currency=row["currency"],
                    target=row[f"p_{p.key}"],
                    invoiced=money_round(
                        net[row["kam_id"], row["currency"], p.key], row["currency"]
                    ),
                )
            )
    for rows in result.values():
        rows.sort(key=lambda r: (str(r.kam), r.kam.pk))
    return result


# --- Credit exposure of many accounts ----------------------------------------------------------


@dataclass
class AccountExposure:
    account_id: int
    currency: str
    limit: Decimal | None
    status: str
    invoices: Decimal = ZERO
    orders: Decimal = ZERO
    offers: Decimal = ZERO
    by_offer: dict[int, Decimal] = field(default_factory=dict)  # deal id -> exposed offer total

    @property
    def total(self) -> Decimal:
        return self.invoices + self.orders + self.offers

    @property
    def over_by(self) -> Decimal | None:
        if self.limit is None:
            return None
        return self.total - self.limit

    def with_offer(self, deal_id: int, amount: Decimal) -> Decimal:
        """The exposure once the offer goes out (replacing the deal's exposed offer, as the
        credit check does)."""
        return self.total - self.by_offer.get(deal_id, ZERO) + amount


def exposures(account_ids: list[int]) -> dict[int, AccountExposure]:
    """Credit exposure per account in its limit's currency, as receivables.selectors.credit
    computes it for one account, for many: four queries."""
    profiles = CreditProfile.objects.filter(account_id__in=account_ids).values(
        "account_id", "currency", "credit_limit", "status"
    )
    result = {
        p["account_id"]: AccountExposure(
            p["account_id"], p["currency"], p["credit_limit"], p["status"]
        )
        for p in profiles
    }
    ids = list(result)
    same = Q(currency=F("account__credit__currency"))
    for row in (
        Invoice.objects.filter(same, account_id__in=ids, status__in=OPEN_INVOICE_STATUSES)
        .values("account_id")
        .annotate(s=Sum(F("gross_total") - F("credited_total") - F("paid_total")))
        .order_by()
    ):
        result[row["account_id"]].invoices = row["s"] or ZERO
    for row in (
        OrderLine.objects.filter(
            order__account_id__in=ids,
            order__currency=F("order__account__credit__currency"),
            order__status__in=EXPOSED_ORDER_STATUSES,
            order__invoices__isnull=True,
        )
        .values("order__account_id")
        .annotate(s=Sum("line_total"))
        .order_by()
    ):
        result[row["order__account_id"]].orders = row["s"] or ZERO
    newer_exposed = Offer.objects.filter(
        deal=OuterRef("offer__deal"),
        version__gt=OuterRef("offer__version"),
        status__in=EXPOSED_OFFER_STATUSES,
    )
    for row in (
        OfferLine.objects.filter(
            offer__deal__account_id__in=ids,
            offer__currency=F("offer__deal__account__credit__currency"),
            offer__status__in=EXPOSED_OFFER_STATUSES,
        )
        .exclude(offer__deal__stage__in=CLOSED_STAGES)
        .exclude(Exists(newer_exposed))
        .values("offer__deal__account_id", "offer__deal_id")
        .annotate(s=Sum("line_total"))
        .order_by()
    ):
        exposure = result[row["offer__deal__account_id"]]
        exposure.offers += row["s"] or ZERO
        exposure.by_offer[row["offer__deal_id"]] = row["s"] or ZERO
    return result


def days_ago(today: date, days: int) -> date:
    return today - timedelta(days=days)
