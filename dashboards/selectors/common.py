"""What the dashboards share: periods, the scope a dashboard reads, plan against actual for
many KAMs at once (commissions' fulfilment), and credit exposure for many accounts at once
(each a fixed few grouped queries, where per-KAM and per-account reads would cost queries per
row)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commissions.selectors.earnings import PROJECT_FROM_DAYS
from commissions.selectors.fulfilment import KamFulfilment, fulfilment_by_kam_windows
from commissions.selectors.fulfilment import period_of as fulfilment_period
from core.money import money_round
from deals.models import CLOSED_STAGES, Offer, OfferLine, Order, OrderLine
from receivables.models import (
    OPEN_INVOICE_STATUSES,
    CreditProfile,
    Invoice,
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

    @property
    def fulfilment_period(self):
        """The period as commissions' fulfilment (its pages and report) takes it."""
        return fulfilment_period(day=self.start, kind=self.key)

    @property
    def fulfilment_key(self) -> str:
        """The period as the fulfilment pages name it: 2026-09, 2026-Q3 or 2026."""
        return self.fulfilment_period.key


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


# --- Plan against actual -----------------------------------------------------------------------


@dataclass
class PlanRow:
    """A KAM's plan in one of the dashboards' periods: commissions' fulfilment (booked,
    invoiced, collected, in the plan's currency), with the run rate the dashboards add."""

    kam: User
    period: Period
    figures: KamFulfilment

    @property
    def currency(self) -> str:
        return self.figures.currency

    @property
    def target(self) -> Decimal:
        return self.figures.revenue_target

    @property
    def invoiced(self) -> Decimal:
        return self.figures.invoiced

    @property
    def ratio(self) -> Decimal | None:
        return self.figures.invoiced_ratio

    @property
    def left(self) -> Decimal:
        return max(ZERO, self.target - self.invoiced)

    @property
    def over(self) -> Decimal:
        return max(ZERO, self.invoiced - self.target)

    @property
    def projected(self) -> Decimal | None:
        """At the run rate so far, what the period ends at; none in its first days, when one
        invoice would project dozens (`PROJECT_FROM_DAYS`)."""
        if self.period.elapsed < PROJECT_FROM_DAYS:
            return None
        return money_round(self.invoiced * self.period.days / self.period.elapsed, self.currency)

    @property
    def projected_ratio(self) -> Decimal | None:
        return None if self.projected is None else pct(self.projected, self.target)

    @property
    def needed_per_day(self) -> Decimal | None:
        """The daily invoicing the rest of the period needs to reach the plan."""
        if not self.period.remaining:
            return None
        return money_round(self.left / self.period.remaining, self.currency)

    @property
    def kam_id(self) -> int:
        return self.kam.pk

    @property
    def url(self) -> str:
        """The drill-down: the KAM's fulfilment in the same period (account → product
        category → month → invoice lines)."""
        page = reverse("commissions:fulfilment_kam", args=[self.kam.pk])
        return f"{page}?period={self.period.fulfilment_key}"


def plan_rows(*, kams: list[User], periods: list[Period]) -> dict[str, list[PlanRow]]:
    """Each KAM's plan and fulfilment in each period, from
    `commissions.selectors.fulfilment.fulfilment_by_kam_windows` (seven queries for all KAMs
    and periods). A KAM without a plan in a period has no row for it."""
    figures = fulfilment_by_kam_windows(
        kam_ids=[k.pk for k in kams], windows=[(p.start, p.end) for p in periods]
    )
    return plan_rows_of(kams=kams, periods=periods, figures=figures)


def plan_rows_of(
    *, kams: list[User], periods: list[Period], figures: list[list[KamFulfilment]]
) -> dict[str, list[PlanRow]]:
    """`plan_rows` from the fulfilment already read for `periods` (no query)."""
    people = {k.pk: k for k in kams}
    result = {
        p.key: [PlanRow(people[f.kam_id], p, f) for f in rows if f.planned]
        for p, rows in zip(periods, figures, strict=True)
    }
    for rows in result.values():
        rows.sort(key=lambda r: (str(r.kam), r.kam.pk))
    return result


def url_maker(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many pks at the cost of one reversal: a table of a few
    hundred rows otherwise spends most of its time resolving the same pattern."""
    marker = 2_147_483_647  # an int no row has: the pattern's integer argument
    head, tail = reverse(name, args=[marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


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
    # The orders first, their lines after: the planner otherwise joined the lines of every
    # order of the accounts before leaving out the invoiced ones, a tenth of them remaining
    # (0.4-0.5 s at the target scale, half that this way).
    uninvoiced = Order.objects.filter(
        account_id__in=ids,
        currency=F("account__credit__currency"),
        status__in=EXPOSED_ORDER_STATUSES,
    ).exclude(Exists(Invoice.objects.filter(order_id=OuterRef("pk"))))
    for row in (
        OrderLine.objects.filter(order__in=uninvoiced.values("pk"))
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
