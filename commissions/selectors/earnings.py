"""Commission figures for the dashboards: a KAM's commission so far this month, what is still
waiting on unpaid invoices, the projection at the run rate and the plan multiplier band, and
the commission effect of the offers waiting for a director.

Nothing here computes commission its own way: the month's earned figure is the period's
statement (the statement page's row), what is waiting is `statements.waiting_by_currency`,
the band is `services.schemes.multiplier_for` on `fulfilment.fulfilment_by_kam` (what the
period calculation's multipliers use) and an offer's effect is `statements.offer_commission`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q, Sum, prefetch_related_objects
from django.utils import timezone

from core.money import money_round

from .. import access
from ..models import CommissionEntry, CommissionPeriod, EntryKind, Statement
from ..services.ledger import month_end, month_of, salebook_load
from ..services.schemes import HUNDRED, ONE, ZERO, Rules, multiplier_for, rulebook_load
from .fulfilment import Fulfilment, KamFulfilment, fulfilment_by_kam
from .statements import OfferCommission, Waiting, offer_commission, waiting_by_currency


@dataclass(frozen=True)
class CurrencyEarnings:
    """A KAM's commission of the month in one currency."""

    currency: str
    statement: Statement | None  # the period's statement (None: not calculated yet)
    waiting: list[Waiting]  # earned on payment, waiting on unpaid invoices (before multiplier)
    projected: Decimal | None  # the month's total at the run rate, at the projected multiplier
    before_multiplier: Decimal | None = None  # earned and clawed back, before the multiplier

    @property
    def earned(self) -> Decimal | None:
        return self.statement.total if self.statement else None

    @property
    def waiting_total(self) -> Decimal:
        return sum((w.waiting for w in self.waiting), ZERO)

    @property
    def waiting_overdue(self) -> Decimal:
        return sum((w.waiting for w in self.waiting if w.overdue), ZERO)


@dataclass(frozen=True)
class BandPosition:
    """Where the KAM's invoiced fulfilment of the month puts them in the multiplier table."""

    scheme: str
    currency: str
    fulfilment: Decimal  # %, two places, rounded down as the statement shows it
    factor: Decimal
    lower: Decimal  # % where this band starts
    upper: Decimal | None  # % where the next band starts (None: the top band)
    next_factor: Decimal | None
    to_next: Decimal | None  # net still to invoice this month to reach the next band
    projected_fulfilment: Decimal | None
    projected_factor: Decimal


@dataclass(frozen=True)
class KamEarnings:
    month: date
    period: CommissionPeriod | None
    calculated_on: date | None  # the day the statement's figures are as of
    rows: list[CurrencyEarnings]
    band: BandPosition | None


def _percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else (ratio * HUNDRED).quantize(Decimal("0.01"), ROUND_DOWN)


# A run rate over fewer days of the month swings too widely to be worth showing: one invoice on
# the 1st would project thirty of them.
PROJECT_FROM_DAYS = 7


def _band(rules: Rules, fulfilment: Fulfilment, *, elapsed: int, days: int) -> BandPosition | None:
    ratio = fulfilment.ratio
    if ratio is None or not rules.bands:
        return None
    factor, index = multiplier_for(rules, ratio)
    if index is None:
        return None
    lower, upper, _factor = rules.bands[index]
    following = rules.bands[index + 1] if index + 1 < len(rules.bands) else None
    projected = ratio * days / elapsed if elapsed >= PROJECT_FROM_DAYS else None
    return BandPosition(
        scheme=rules.scheme,
        currency=fulfilment.currency,
        fulfilment=_percent(ratio),
        factor=factor,
        lower=lower,
        upper=upper,
        next_factor=following[2] if following else None,
        to_next=(
            money_round(
                following[0] * fulfilment.target / HUNDRED - fulfilment.invoiced_net,
                fulfilment.currency,
            )
            if following
            else None
        ),
        projected_fulfilment=_percent(projected),
        projected_factor=multiplier_for(rules, projected)[0] if projected is not None else factor,
    )


def _adjustment():
    return Q(kind=EntryKind.ADJUSTMENT)


def _month_fulfilment(row: KamFulfilment) -> Fulfilment | None:
    """A `fulfilment_by_kam` row as the band reads it; None without a plan that month."""
    if not row.planned:
        return None
    return Fulfilment(currency=row.currency, target=row.revenue_target, invoiced_net=row.invoiced)


def kam_earnings(
    *, reader, kam, today: date, fulfilment: KamFulfilment | None = None
) -> KamEarnings:
    """`kam`'s commission of `today`'s month as `reader` may see it: their own, a director
    their territory's KAMs', finance and admins anyone's; nothing for anyone else.
    `fulfilment` is the KAM's `fulfilment_by_kam` row of the month when the caller has read it
    already (the KAM dashboard, with the quarter's); without it, it is read here (seven
    queries). Nine queries beside it, and two for the waiting commission in every currency
    (the KAM's open invoices; their sales' bases before them, when one is of a deal)."""
    month = month_of(today)
    end = month_end(month)
    days = (end - month).days
    if not access.kams_visible_to(reader).filter(pk=kam.pk).exists():
        return KamEarnings(month, None, None, [], None)
    period = CommissionPeriod.objects.filter(month=month).first()
    statements = (
        list(
            access.statements_visible(reader)
            .filter(period=period, kam=kam)
            .select_related("period")
            .order_by("currency")
        )
        if period
        else []
    )
    calculated_on = (
        min(timezone.localdate(period.calculated_at), end - timedelta(days=1))
        if statements and period.calculated_at
        else None
    )
    # The month's commission before the multiplier (earned and clawed back) and its
    # adjustments, per currency: the run rate scales the first, never the second.
    sums = (
        {
            r["currency"]: (r["commission"] or ZERO, r["adjust"] or ZERO)
            for r in CommissionEntry.objects.filter(period=period, kam=kam)
            .values("currency")
            .annotate(
                commission=Sum("commission", filter=~_adjustment()),
                adjust=Sum("amount", filter=_adjustment()),
            )
            .order_by()
        }
        if statements
        else {}
    )
    book = rulebook_load()
    rules = book.rules_for(kam_id=kam.pk, territory_id=kam.territory_id, on=today)
    if fulfilment is None:
        [fulfilment] = fulfilment_by_kam(kam_ids=[kam.pk], start=month, end=end)
    invoiced = _month_fulfilment(fulfilment)
    elapsed = (today - month).days + 1
    band = _band(rules, invoiced, elapsed=elapsed, days=days) if rules and invoiced else None
    factor = band.projected_factor if band else ONE
    # Every currency the KAM has open invoices in, with what waits in it.
    waiting = waiting_by_currency(kam_id=kam.pk, today=today, book=book)
    by_currency = {s.currency: s for s in statements}
    rows = []
    for currency in sorted(set(by_currency) | set(waiting)):
        projected = None
        covered = (calculated_on - month).days + 1 if calculated_on else 0
        if currency in by_currency and covered >= PROJECT_FROM_DAYS:
            commission, adjustments = sums.get(currency, (ZERO, ZERO))
            projected = money_round(commission * days / covered * factor, currency) + adjustments
        rows.append(
            CurrencyEarnings(
                currency=currency,
                statement=by_currency.get(currency),
                waiting=waiting.get(currency, []),
                projected=projected,
                before_multiplier=sums.get(currency, (None, None))[0],
            )
        )
    return KamEarnings(month, period, calculated_on, rows, band)


def offer_commissions(
    *, offers, today: date, month_fulfilment: list[KamFulfilment] = ()
) -> dict[int, OfferCommission | None]:
    """What each offer would earn its KAM if invoiced now (the offer panel's figure), for many
    offers at once: the rules, the sales and the KAMs' fulfilment are read once (at most
    seventeen queries whatever the number of offers or KAMs). `month_fulfilment`: the
    `fulfilment_by_kam` rows of `today`'s month the caller has read already (the cockpit's);
    only the KAMs missing from it are read here (seven queries, none when none is missing)."""
    offers = [o for o in offers if o is not None]
    if not offers:
        return {}
    prefetch_related_objects(offers, "lines", "deal__owner")
    book = rulebook_load()
    sales = salebook_load(book=book, deal_ids={o.deal_id for o in offers})
    kam_ids = sorted({o.deal.owner_id for o in offers})
    month = month_of(today)
    rows = [row for row in month_fulfilment if row.kam_id in kam_ids]
    missing = sorted(set(kam_ids) - {row.kam_id for row in rows})
    if missing:
        rows += fulfilment_by_kam(kam_ids=missing, start=month, end=month_end(month))
    fulfilments: dict[int, Fulfilment | None] = {
        row.kam_id: Fulfilment(
            currency=row.currency, target=row.revenue_target, invoiced_net=row.invoiced
        )
        if row.revenue_target
        else None
        for row in rows
    }
    return {
        o.pk: offer_commission(
            offer=o,
            kam=o.deal.owner,
            today=today,
            book=book,
            sales=sales,
            fulfilments=fulfilments,
        )
        for o in offers
    }
