"""The KAM's dashboard: my plan this month and quarter, my commission, my pipeline, what
needs attention, today's agenda and my accounts by health. A fixed number of queries
whatever the rows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Sum
from django.utils import timezone

from accounts.models import Account
from activities.models import Activity, ActivityStatus
from activities.selectors import neglected_accounts
from commissions.selectors.earnings import KamEarnings, kam_earnings
from commissions.selectors.fulfilment import fulfilment_by_kam_windows
from core.localtime import local_days_range
from deals.models import (
    OPEN_STAGES,
    Complaint,
    ComplaintStatus,
    Contract,
    Deal,
    DealStage,
    Offer,
    OfferStatus,
)
from deals.selectors import contracts_expiring
from health.selectors import HealthRow, latest_scores
from receivables.models import OPEN_INVOICE_STATUSES, CollectionAction, Invoice, PromiseState
from team.models import User

from .common import PlanRow, Scope, period, plan_rows_of, url_maker

SHOWN = 10
AGENDA_OVERDUE = 5  # the oldest overdue activities beside today's
PROMISE_DAYS = 7  # promises to pay due within a week
OFFER_DAYS = 7  # sent offers expiring within a week
CONTRACT_DAYS = 60


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    currency: str
    deals: int
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class AccountHealthRow:
    account_id: int
    name: str
    tier: str
    url: str  # the account page's health card
    health: HealthRow | None


@dataclass(frozen=True)
class Agenda:
    """The KAM's activities today and the oldest of those still planned from before today."""

    activities: list[Activity]
    overdue: list[Activity]


@dataclass
class KamDashboard:
    kam: User
    today: date
    month: PlanRow | None
    quarter: PlanRow | None
    stages: list[StageRow]
    closing: list[Deal]
    neglected: list[Account]
    overdue: list[Invoice]
    promises: list[CollectionAction]
    contracts: list[Contract]
    offers: list[Offer]
    complaints: list[Complaint]
    agenda: Agenda
    accounts: list[AccountHealthRow]
    commission: KamEarnings

    @property
    def weighted_total(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for row in self.stages:
            totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.weighted
        return totals


def _linked(rows: list, name: str, *, key: str = "pk") -> list:
    """Each row with its page's address as `url` (`name`'s URL of the row's `key`), from one
    reversal for the whole list: the template then writes a string per row instead of
    resolving the same pattern again in a `{% url %}` each time."""
    url = url_maker(name)
    for row in rows:
        row.url = url(getattr(row, key))
    return rows


def _stages(deals) -> list[StageRow]:
    labels = dict(DealStage.choices)
    order = {stage: i for i, stage in enumerate(OPEN_STAGES)}
    rows = (
        deals.filter(stage__in=OPEN_STAGES)
        .values("stage", "currency")
        .annotate(
            n=Count("pk"),
            total_amount=Sum("amount"),
            weighted=Sum(F("amount") * F("probability")),
        )
        .order_by()
    )
    return sorted(
        (
            StageRow(
                stage=r["stage"],
                label=str(labels[r["stage"]]),
                currency=r["currency"],
                deals=r["n"],
                amount=r["total_amount"],
                weighted=(r["weighted"] / 100).quantize(Decimal("0.01")),
            )
            for r in rows
        ),
        key=lambda r: (order[r.stage], r.currency),
    )


def _agenda(*, reader: User, kam: User, today: date, zone: ZoneInfo) -> Agenda:
    """Two queries: today's activities (not cancelled), and the oldest few still planned from
    before today. The today page's own selector also finds the accounts to call and every
    overdue activity, which the dashboard does not show."""
    start, end = local_days_range(today, 1, zone)
    mine = (
        Activity.objects.visible_to(reader)
        .filter(owner=kam)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("account")
    )
    return Agenda(
        activities=_linked(
            list(mine.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")),
            "activities:detail",
        ),
        overdue=_linked(
            list(
                mine.filter(status=ActivityStatus.PLANNED, starts_at__lt=start).order_by(
                    "starts_at", "pk"
                )[:AGENDA_OVERDUE]
            ),
            "activities:detail",
        ),
    )


def _accounts_by_health(accounts) -> list[AccountHealthRow]:
    """The KAM's accounts (not lost), the weakest health first, those without a score last:
    two queries, and every row's link from one URL reversal."""
    scores = latest_scores(accounts=accounts)
    url = url_maker("accounts:detail")
    rows = (
        AccountHealthRow(pk, name, tier, f"{url(pk)}#health", scores.get(pk))
        for pk, name, tier in accounts.exclude(status=Account.Status.LOST)
        .order_by("name", "pk")
        .values_list("pk", "name", "tier")
    )
    return sorted(rows, key=lambda r: (r.health is None, r.health.score if r.health else 0, r.name))


def kam_dashboard(*, reader: User, kam: User, now: datetime, zone: ZoneInfo) -> KamDashboard:
    """`kam`'s dashboard as `reader` (the KAM, or a director or admin looking at it) sees it."""
    today = timezone.localtime(now, zone).date()
    month, quarter = period("month", today), period("quarter", today)
    # The month's and the quarter's fulfilment, read once: the plan cards and the commission's
    # multiplier band both show the month's.
    figures = fulfilment_by_kam_windows(
        kam_ids=[kam.pk], windows=[(p.start, p.end) for p in (month, quarter)]
    )
    plans = plan_rows_of(kams=[kam], periods=[month, quarter], figures=figures)
    scope = Scope(user=reader, territory=None, kams=[kam])
    deals = Deal.objects.visible_to(reader).filter(owner=kam)
    accounts = Account.objects.visible_to(reader).filter(owner=kam)
    invoices = Invoice.objects.visible_to(reader).filter(scope.accounts_q("account"))
    overdue = _linked(
        list(
            invoices.filter(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today)
            .select_related("account")
            .annotate(open=F("gross_total") - F("credited_total") - F("paid_total"))
            .order_by("due_date", "pk")[:SHOWN]
        ),
        "receivables:invoice_detail",
    )
    promises = _linked(
        list(
            CollectionAction.objects.visible_to(reader)
            .filter(
                scope.accounts_q("account"),
                kind=CollectionAction.Kind.PROMISE,
                promise_state=PromiseState.OPEN,
                promised_on__lte=today + timedelta(days=PROMISE_DAYS),
            )
            .select_related("account", "invoice")
            .order_by("promised_on", "pk")[:SHOWN]
        ),
        "accounts:detail",
        key="account_id",
    )
    contracts = _linked(
        list(
            contracts_expiring(
                Contract.objects.visible_to(reader).filter(scope.accounts_q("account")),
                days=CONTRACT_DAYS,
            )
            .select_related("account")
            .order_by("end_date", "pk")[:SHOWN]
        ),
        "deals:contract_detail",
    )
    offers = _linked(
        list(
            Offer.objects.visible_to(reader)
            .filter(
                deal__owner=kam,
                status=OfferStatus.SENT,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=OFFER_DAYS),
            )
            .select_related("deal__account")
            .order_by("valid_until", "pk")[:SHOWN]
        ),
        "deals:offer_detail",
    )
    complaints = _linked(
        list(
            Complaint.objects.visible_to(reader)
            .filter(scope.accounts_q("account"))
            .exclude(status=ComplaintStatus.RESOLVED)
            .select_related("account")
            .order_by("opened_on", "pk")[:SHOWN]
        ),
        "deals:complaint_detail",
    )
    [month_figures] = figures[0]
    return KamDashboard(
        kam=kam,
        today=today,
        month=next(iter(plans["month"]), None),
        quarter=next(iter(plans["quarter"]), None),
        stages=_stages(deals),
        closing=_linked(
            list(
                deals.filter(
                    stage__in=OPEN_STAGES,
                    expected_close_date__gte=month.start,
                    expected_close_date__lt=month.end,
                )
                .select_related("account")
                .order_by("expected_close_date", "pk")[:SHOWN]
            ),
            "deals:deal_detail",
        ),
        neglected=_linked(
            list(neglected_accounts(user=reader, now=now, owner=kam)[:SHOWN]), "accounts:detail"
        ),
        overdue=overdue,
        promises=promises,
        contracts=contracts,
        offers=offers,
        complaints=complaints,
        agenda=_agenda(reader=reader, kam=kam, today=today, zone=zone),
        accounts=_accounts_by_health(accounts),
        commission=kam_earnings(reader=reader, kam=kam, today=today, fulfilment=month_figures),
    )
