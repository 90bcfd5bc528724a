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
from activities.selectors import TodayView, neglected_accounts, today_view
from commissions.selectors.earnings import KamEarnings, kam_earnings
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

from .common import PlanRow, Scope, period, plan_rows

SHOWN = 10
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
    account: Account
    health: HealthRow | None


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
    agenda: TodayView
    accounts: list[AccountHealthRow]
    commission: KamEarnings

    @property
    def weighted_total(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for row in self.stages:
            totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.weighted
        return totals


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


def kam_dashboard(*, reader: User, kam: User, now: datetime, zone: ZoneInfo) -> KamDashboard:
    """`kam`'s dashboard as `reader` (the KAM, or a director or admin looking at it) sees it."""
    today = timezone.localtime(now, zone).date()
    month, quarter = period("month", today), period("quarter", today)
    plans = plan_rows(kams=[kam], periods=[month, quarter])
    scope = Scope(user=reader, territory=None, kams=[kam])
    deals = Deal.objects.visible_to(reader).filter(owner=kam)
    accounts = Account.objects.visible_to(reader).filter(owner=kam)
    invoices = Invoice.objects.visible_to(reader).filter(scope.accounts_q("account"))
    overdue = list(
        invoices.filter(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today)
        .select_related("account")
        .annotate(open=F("gross_total") - F("credited_total") - F("paid_total"))
        .order_by("due_date", "pk")[:SHOWN]
    )
    promises = list(
        CollectionAction.objects.visible_to(reader)
        .filter(
            scope.accounts_q("account"),
            kind=CollectionAction.Kind.PROMISE,
            promise_state=PromiseState.OPEN,
            promised_on__lte=today + timedelta(days=PROMISE_DAYS),
        )
        .select_related("account", "invoice")
        .order_by("promised_on", "pk")[:SHOWN]
    )
    contracts = list(
        contracts_expiring(
            Contract.objects.visible_to(reader).filter(scope.accounts_q("account")),
            days=CONTRACT_DAYS,
        )
        .select_related("account")
        .order_by("end_date", "pk")[:SHOWN]
    )
    offers = list(
        Offer.objects.visible_to(reader)
        .filter(
            deal__owner=kam,
            status=OfferStatus.SENT,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=OFFER_DAYS),
        )
        .select_related("deal__account")
        .order_by("valid_until", "pk")[:SHOWN]
    )
    complaints = list(
        Complaint.objects.visible_to(reader)
        .filter(scope.accounts_q("account"))
        .exclude(status=ComplaintStatus.RESOLVED)
        .select_related("account")
        .order_by("opened_on", "pk")[:SHOWN]
    )
    mine = list(accounts.exclude(status=Account.Status.LOST).order_by("name", "pk"))
    scores = latest_scores(accounts=accounts)
    by_health = sorted(
        (AccountHealthRow(a, scores.get(a.pk)) for a in mine),
        key=lambda r: (r.health is None, r.health.score if r.health else 0, r.account.name),
    )
    return KamDashboard(
        kam=kam,
        today=today,
        month=next(iter(plans["month"]), None),
        quarter=next(iter(plans["quarter"]), None),
        stages=_stages(deals),
        closing=list(
            deals.filter(
                stage__in=OPEN_STAGES,
                expected_close_date__gte=month.start,
                expected_close_date__lt=month.end,
            )
            .select_related("account")
            .order_by("expected_close_date", "pk")[:SHOWN]
        ),
        neglected=list(neglected_accounts(user=reader, now=now, owner=kam)[:SHOWN]),
        overdue=overdue,
        promises=promises,
        contracts=contracts,
        offers=offers,
        complaints=complaints,
        agenda=today_view(user=kam, now=now, zone=zone),
        accounts=by_health,
        commission=kam_earnings(reader=reader, kam=kam, today=today),
    )
