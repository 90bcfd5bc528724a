"""The nightly health computation: every account's figures in a fixed dozen grouped queries
(not a query per account), the scores in Python (scoring.py), one bulk upsert of the month's
rows, and a notification to each owner whose account fell by HEALTH_DROP_ALERT points or more
since the month before.

Money figures are in the account's own currency (invoices, returns and deals in another
currency are left out rather than added across currencies).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, ContactDecisionRole, ContactStage
from activities.models import CONTACT_TYPES, ActivityStatus
from activities.selectors import accounts_with_cadence
from activities.services import notifications_create
from core.reminders import Reminder
from deals.models import OPEN_STAGES, Complaint, ComplaintStatus, Deal, Return
from receivables.models import (
    OPEN_INVOICE_STATUSES,
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
)

from . import scoring
from .models import COMPONENTS, HealthScore

ZERO = Decimal("0")
KEY_ROLES = [ContactDecisionRole.CHAMPION, ContactDecisionRole.DECISION_MAKER]
STAGE_ORDER = [
    ContactStage.UNKNOWN,
    ContactStage.ACQUAINTED,
    ContactStage.LOYAL,
    ContactStage.TRUSTED,
]
ATTITUDE_ORDER = ["opponent", "neutral", "supporter"]


def health_weights() -> dict[str, int]:
    return {name: settings.HEALTH_WEIGHTS.get(name, 0) for name in COMPONENTS}


def month_of(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


@dataclass
class _Figures:
    recent: Decimal = ZERO
    before: Decimal = ZERO
    paid: Decimal = ZERO
    on_time: Decimal = ZERO
    late_weight: Decimal = ZERO
    open_amount: Decimal = ZERO
    overdue: Decimal = ZERO
    oldest_overdue_days: int | None = None
    open_complaints: int = 0
    returns: Decimal = ZERO
    weighted: Decimal = ZERO


def _same_currency(path: str) -> Q:
    return Q(**{f"{path}currency": F(f"{path}account__currency")})


def _gather(accounts: list[Account], *, today: date) -> dict[int, _Figures]:
    """Every money figure of every account: eight grouped queries."""
    ids = [a.pk for a in accounts]
    figures: dict[int, _Figures] = defaultdict(_Figures)
    year_ago = today - timedelta(days=365)
    two_years_ago = today - timedelta(days=730)
    in_window = Q(issue_date__gt=two_years_ago, issue_date__lte=today)
    recent = Q(issue_date__gt=year_ago)
    for row in (
        Invoice.objects.filter(in_window, _same_currency(""), account_id__in=ids)
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("account_id")
        .annotate(
            recent=Sum("net_total", filter=recent),
            before=Sum("net_total", filter=~recent),
        )
        .order_by()
    ):
        figures[row["account_id"]].recent += row["recent"] or ZERO
        figures[row["account_id"]].before += row["before"] or ZERO
    for row in (
        CreditNote.objects.filter(in_window, _same_currency(""), account_id__in=ids)
        .values("account_id")
        .annotate(
            recent=Sum("net_amount", filter=recent),
            before=Sum("net_amount", filter=~recent),
        )
        .order_by()
    ):
        figures[row["account_id"]].recent -= row["recent"] or ZERO
        figures[row["account_id"]].before -= row["before"] or ZERO
    for row in (
        Allocation.objects.filter(
            Q(invoice__currency=F("invoice__account__currency")),
            invoice__account_id__in=ids,
            amount__gt=0,
            payment__reversal__isnull=True,
            effective_on__gt=year_ago,
            effective_on__lte=today,
        )
        .values("invoice__account_id")
        .annotate(
            paid=Sum("amount"),
            late_weight=Sum(F("amount") * F("days_late")),
            on_time=Sum("amount", filter=Q(days_late=0)),
        )
        .order_by()
    ):
        f = figures[row["invoice__account_id"]]
        f.paid, f.late_weight, f.on_time = row["paid"], row["late_weight"], row["on_time"] or ZERO
    open_amount = F("gross_total") - F("credited_total") - F("paid_total")
    for row in (
        Invoice.objects.filter(
            _same_currency(""), account_id__in=ids, status__in=OPEN_INVOICE_STATUSES
        )
        .values("account_id")
        .annotate(
            open_amount=Sum(open_amount),
            overdue=Sum(open_amount, filter=Q(due_date__lt=today)),
            oldest_due=Min("due_date", filter=Q(due_date__lt=today)),
        )
        .order_by()
    ):
        f = figures[row["account_id"]]
        f.open_amount, f.overdue = row["open_amount"] or ZERO, row["overdue"] or ZERO
        if row["oldest_due"]:
            f.oldest_overdue_days = (today - row["oldest_due"]).days
    for row in (
        Complaint.objects.filter(account_id__in=ids)
        .exclude(status=ComplaintStatus.RESOLVED)
        .values("account_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[row["account_id"]].open_complaints = row["n"]
    for row in (
        Return.objects.filter(
            order_line__order__account_id__in=ids,
            order_line__order__currency=F("order_line__order__account__currency"),
            returned_on__gt=year_ago,
            returned_on__lte=today,
        )
        .values("order_line__order__account_id")
        .annotate(value=Sum("value"))
        .order_by()
    ):
        figures[row["order_line__order__account_id"]].returns = row["value"] or ZERO
    for row in (
        Deal.objects.filter(_same_currency(""), account_id__in=ids, stage__in=OPEN_STAGES)
        .values("account_id")
        .annotate(weighted=Sum(F("amount") * F("probability")))
        .order_by()
    ):
        figures[row["account_id"]].weighted = (row["weighted"] or ZERO) / 100
    return figures


def _people(accounts: list[Account]) -> dict[int, dict]:
    """Champions and decision-makers per account, their best stage and attitude, and the last
    done contact with a decision-maker: two grouped queries."""
    ids = [a.pk for a in accounts]
    key = Q(decision_role__in=KEY_ROLES)
    rows: dict[int, dict] = defaultdict(dict)
    stage_counts = {
        f"stage_{stage}": Count("pk", filter=key & Q(relationship_stage=stage))
        for stage in STAGE_ORDER
    }
    attitude_counts = {
        f"attitude_{attitude}": Count("pk", filter=key & Q(attitude=attitude))
        for attitude in ATTITUDE_ORDER
    }
    for row in (
        Contact.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(
            champions=Count("pk", filter=Q(decision_role=ContactDecisionRole.CHAMPION)),
            decision_makers=Count("pk", filter=Q(decision_role=ContactDecisionRole.DECISION_MAKER)),
            **stage_counts,
            **attitude_counts,
        )
        .order_by()
    ):
        best_stage = next(
            (s for s in reversed(STAGE_ORDER) if row[f"stage_{s}"]), ContactStage.UNKNOWN
        )
        best_attitude = next(
            (a for a in reversed(ATTITUDE_ORDER) if row[f"attitude_{a}"]), "opponent"
        )
        rows[row["account_id"]].update(
            champions=row["champions"],
            decision_makers=row["decision_makers"],
            best_stage=best_stage,
            best_attitude=best_attitude,
        )
    for row in (
        Contact.objects.filter(
            account_id__in=ids,
            decision_role=ContactDecisionRole.DECISION_MAKER,
            activities__status=ActivityStatus.DONE,
            activities__type__in=CONTACT_TYPES,
        )
        .values("account_id")
        .annotate(last=Max("activities__starts_at"))
        .order_by()
    ):
        rows[row["account_id"]]["last_dm_contact"] = row["last"]
    return rows


@dataclass(frozen=True)
class Computed:
    account: Account
    score: int
    components: dict[str, int]
    reasons: dict[str, dict]


def health_compute(*, accounts: list[Account], now: datetime) -> list[Computed]:
    """The scores of `accounts` (annotated with `last_contact` and `cadence_days`), as of
    `now`, without saving them."""
    today = timezone.localdate(now)
    figures = _gather(accounts, today=today)
    people = _people(accounts)
    weights = health_weights()
    results = []
    for account in accounts:
        f = figures[account.pk]
        person = people.get(account.pk, {})
        parts = {
            "revenue_trend": scoring.revenue_trend(recent=f.recent, before=f.before),
            "share_of_wallet": scoring.share_of_wallet(
                recent=f.recent, potential=account.potential_amount, stated=account.share_of_wallet
            ),
            "relationship": scoring.relationship(
                people=scoring.People(
                    **person,
                    last_contact=account.last_contact,
                    cadence_days=account.cadence_days,
                ),
                now=now,
            ),
            "payment": scoring.payment(
                paid=f.paid,
                on_time=f.on_time,
                late_weight=f.late_weight,
                open_amount=f.open_amount,
                overdue=f.overdue,
                oldest_overdue_days=f.oldest_overdue_days,
            ),
            "service": scoring.service(
                open_complaints=f.open_complaints, returns=f.returns, recent=f.recent
            ),
            "pipeline": scoring.pipeline(weighted=f.weighted, recent=f.recent),
        }
        components = {name: part[0] for name, part in parts.items()}
        results.append(
            Computed(
                account=account,
                score=scoring.total(components, weights),
                components=components,
                reasons={name: part[1] for name, part in parts.items()},
            )
        )
    return results


def health_scores_compute(*, now: datetime | None = None, notify: bool = True) -> int:
    """Compute and store this month's score of every account that is not lost; notify the
    owners of those that fell by HEALTH_DROP_ALERT or more against last month. Idempotent:
    a second run rewrites the same rows and finds the same notifications already sent.
    Returns how many accounts were scored."""
    now = now or timezone.now()
    month = month_of(timezone.localdate(now))
    accounts = list(
        accounts_with_cadence(
            accounts=Account.objects.exclude(status=Account.Status.LOST).select_related("owner")
        ).order_by("pk")
    )
    computed = health_compute(accounts=accounts, now=now)
    weights = health_weights()
    rows = [
        HealthScore(
            account=c.account,
            month=month,
            score=c.score,
            reasons=c.reasons,
            weights=weights,
            computed_at=now,
            **c.components,
        )
        for c in computed
    ]
    earlier = dict(
        HealthScore.objects.filter(month=previous_month(month)).values_list("account_id", "score")
    )
    with transaction.atomic():
        HealthScore.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["account", "month"],
            update_fields=["score", *COMPONENTS, "reasons", "weights", "computed_at"],
        )
        if notify:
            notifications_create(rows=_drops(computed, earlier, month))
    return len(rows)


def _drops(computed: list[Computed], earlier: dict[int, int], month: date) -> list[Reminder]:
    drop = settings.HEALTH_DROP_ALERT
    reminders = []
    for c in computed:
        before = earlier.get(c.account.pk)
        if before is None or before - c.score < drop:
            continue
        reminders.append(
            Reminder(
                recipient_id=c.account.owner_id,
                kind="health_drop",
                subject_type="account",
                subject_id=c.account.pk,
                occasion=month,  # one notification per account and month
                title=_("Health of %(account)s fell from %(before)d to %(now)d")
                % {"account": c.account.name, "before": before, "now": c.score},
                url=reverse("accounts:detail", args=[c.account.pk]) + "#health",
            )
        )
    return reminders
