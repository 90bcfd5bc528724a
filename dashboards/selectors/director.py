"""The director's cockpit: exceptions first, then plan against actual (commissions'
fulfilment), the Pareto curve and concentration, pipeline, receivables, discount leakage and
cadence, for one territory. A fixed number of queries whatever the rows
(tests/dashboards/test_queries.py counts them)."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, AccountTier
from activities.selectors import accounts_past_cadence, cadence_summary
from commissions.models import Concentration, DisputeStatus, TierChange
from commissions.selectors.abc import classes_visible_to, concentration_trend
from commissions.selectors.earnings import offer_commissions
from commissions.selectors.fulfilment import fulfilment_by_kam_windows
from commissions.selectors.pareto import ParetoPoint, pareto_points
from commissions.selectors.statements import OfferCommission, disputes_for
from deals.models import (
    OPEN_STAGES,
    Contract,
    Deal,
    DealStage,
    DealStageChange,
    OfferLine,
    OfferStatus,
)
from deals.selectors import approvals_queue, contracts_expiring
from health.selectors import latest_scores
from receivables.models import OPEN_INVOICE_STATUSES, Invoice, InvoiceStatus
from receivables.selectors.aging import Aging, AgingRow, aging
from receivables.selectors.credit import overrides_awaiting
from team.models import User, person_name

from .common import (
    ZERO,
    AccountExposure,
    Period,
    PlanRow,
    Scope,
    exposures,
    pct,
    period,
    plan_rows_of,
)

BELOW_PLAN = Decimal("75")  # % of plan projected at the run rate that makes an exception
OVERDUE_DAYS = 60
CONTRACT_DAYS = 30
CLASS_DROP_DAYS = 30  # an A account's drop stays an exception this long
SHOWN = 10  # rows per exception and per top list
FUNNEL_STAGES = [*OPEN_STAGES, DealStage.WON]
LIVE_OFFER_STATUSES = [
    OfferStatus.DRAFT,
    OfferStatus.PENDING_APPROVAL,
    OfferStatus.APPROVED,
    OfferStatus.SENT,
]


@dataclass
class ExceptionRow:
    label: str
    detail: str
    url: str


@dataclass
class ExceptionGroup:
    key: str
    title: str
    rows: list[ExceptionRow] = field(default_factory=list)
    count: int = 0
    more_url: str = ""


@dataclass(frozen=True)
class OfferWaiting:
    """An offer (or a credit override) waiting for the director, with what it does to the
    account's credit exposure."""

    kind: str  # "discount" or "credit"
    url: str
    account: str
    title: str
    amount: Decimal
    currency: str
    exposure_now: Decimal | None
    exposure_after: Decimal | None
    limit: Decimal | None
    offer_id: int | None = None
    # What the offer would earn its KAM if invoiced now (the offer page's commission panel).
    commission: OfferCommission | None = None

    @property
    def over_limit_after(self) -> bool:
        return (
            self.limit is not None
            and self.exposure_after is not None
            and self.exposure_after > self.limit
        )


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    label: str
    reached: int
    conversion: Decimal | None  # % of this stage's deals that reached the next


@dataclass(frozen=True)
class LossReason:
    reason: str
    count: int


@dataclass(frozen=True)
class LeakageRow:
    key: int
    label: str
    currency: str
    list_value: Decimal
    net_value: Decimal

    @property
    def leakage(self) -> Decimal:
        return self.list_value - self.net_value

    @property
    def share(self) -> Decimal | None:
        return pct(self.leakage, self.list_value)


@dataclass(frozen=True)
class DsoRow:
    kam_id: int
    label: str
    currency: str
    open: Decimal
    invoiced: Decimal
    dso: Decimal | None


@dataclass(frozen=True)
class CadenceShare:
    kam: object
    tier: str
    accounts: int
    contacted: int

    @property
    def share(self) -> Decimal | None:
        return pct(self.contacted, self.accounts)


@dataclass
class Cockpit:
    scope: Scope
    today: date
    period: Period
    offers_waiting: list[OfferWaiting]
    exceptions: list[ExceptionGroup]
    plan: dict[str, list[PlanRow]]
    funnel: list[FunnelStage]
    forecast: dict[str, Decimal]  # currency -> weighted pipeline closing this quarter
    plan_left: dict[str, Decimal]  # currency -> quarter plan not yet invoiced
    won: dict[str, tuple[int, Decimal]]  # currency -> (deals, amount), last 12 months
    lost: list[LossReason]
    lost_count: int
    aging: object
    top_overdue: list
    dso: list[DsoRow]
    leakage_by_kam: list[LeakageRow]
    leakage_by_account: list[LeakageRow]
    cadence: list[CadenceShare]
    pareto: list[ParetoPoint] = field(default_factory=list)
    concentration: list[Concentration] = field(default_factory=list)  # by month, oldest first

    @property
    def concentration_now(self) -> Concentration | None:
        return self.concentration[-1] if self.concentration else None

    @property
    def key_clients(self) -> list[ParetoPoint]:
        return [p for p in self.pareto if p.is_key]

    @property
    def plan_chosen(self) -> list[PlanRow]:
        """The KAMs with a plan in the chosen period, with their figures."""
        return self.plan[self.period.key]

    @property
    def unplanned(self) -> list[User]:
        """The territory's KAMs without a plan in the chosen period."""
        planned = {r.kam.pk for r in self.plan_chosen}
        return [kam for kam in self.scope.kams if kam.pk not in planned]

    @property
    def pareto_top(self) -> list[ParetoPoint]:
        return self.pareto[:SHOWN]

    @property
    def exception_count(self) -> int:
        return len(self.offers_waiting) + sum(g.count for g in self.exceptions)


def _n(amount: Decimal) -> str:
    return number_format(amount, 2, force_grouping=True)


def _url(name: str, *args, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _offers_waiting(scope: Scope, today: date) -> tuple[list[OfferWaiting], dict]:
    """Offers waiting for the director's discount decision and credit overrides waiting for
    their decision (two queries), with the exposure (four queries)."""
    user = scope.user
    offers = list(approvals_queue(user=user).filter(scope.accounts_q("deal__account")))
    overrides = list(overrides_awaiting(user).filter(scope.accounts_q("account")))
    account_ids = {o.deal.account_id for o in offers} | {o.account_id for o in overrides}
    return offers, {"overrides": overrides, "account_ids": account_ids}


def _offer_rows(offers, overrides, credit: dict[int, AccountExposure]) -> list[OfferWaiting]:
    rows = []
    for offer in offers:
        exposure = credit.get(offer.deal.account_id)
        same = exposure is not None and exposure.currency == offer.currency
        rows.append(
            OfferWaiting(
                kind="discount",
                url=_url("deals:offer_detail", offer.pk),
                account=offer.deal.account.name,
                title=f"{offer.deal.title} v{offer.version}",
                amount=offer.total,
                currency=offer.currency,
                exposure_now=exposure.total if same else None,
                exposure_after=exposure.with_offer(offer.deal_id, offer.total) if same else None,
                limit=exposure.limit if same else None,
                offer_id=offer.pk,
            )
        )
    for override in overrides:
        exposure = credit.get(override.account_id)
        same = exposure is not None and exposure.currency == override.currency
        target = override.offer or override.order
        deal_id = override.offer.deal_id if override.offer else None
        rows.append(
            OfferWaiting(
                kind="credit",
                url=_url("deals:offer_detail", override.offer_id)
                if override.offer_id
                else _url("deals:order_detail", override.order_id),
                account=override.account.name,
                title=str(target),
                amount=override.amount,
                currency=override.currency,
                exposure_now=exposure.total if same else None,
                exposure_after=(
                    exposure.with_offer(deal_id, override.amount)
                    if same and deal_id
                    else (exposure.total + override.amount if same else None)
                ),
                limit=exposure.limit if same else None,
                offer_id=override.offer_id,
            )
        )
    return rows


def _with_commission(rows: list[OfferWaiting], offers, overrides, today: date, month_figures):
    """Each waiting offer with what it would earn its KAM (at most ten queries for all of
    them: the KAMs' month is `month_figures`, the plan's, read once)."""
    effect = offer_commissions(
        offers=[*offers, *(o.offer for o in overrides)],
        today=today,
        month_fulfilment=month_figures,
    )
    return [replace(row, commission=effect.get(row.offer_id)) for row in rows]


def _over_limit_candidates(scope: Scope) -> list[Account]:
    """Accounts of the scope with a credit limit and a live offer (one query); which of them
    are over the limit comes from their exposure."""
    live = Deal.objects.filter(
        account=OuterRef("pk"), stage__in=OPEN_STAGES, offers__status__in=LIVE_OFFER_STATUSES
    )
    return list(
        Account.objects.visible_to(scope.user)
        .filter(scope.accounts_q(), credit__credit_limit__isnull=False)
        .filter(Exists(live))
        .only("pk", "name")  # all the exception shows: not the accounts' long text fields
        .order_by("name", "pk")
    )


def _group(key, title, rows, count, more_url="") -> ExceptionGroup:
    return ExceptionGroup(key=key, title=title, rows=rows[:SHOWN], count=count, more_url=more_url)


def _health_fell(scope: Scope) -> ExceptionGroup:
    """A accounts whose score fell by HEALTH_DROP_ALERT or more against last month (one
    query)."""
    accounts = Account.objects.visible_to(scope.user).filter(scope.accounts_q(), tier=AccountTier.A)
    scores = latest_scores(accounts=accounts)
    fell = {
        pk: row
        for pk, row in scores.items()
        if row.change is not None and -row.change >= settings.HEALTH_DROP_ALERT
    }
    rows = [
        ExceptionRow(
            label=row.name,
            detail=_("health %(before)d → %(now)d") % {"before": row.previous, "now": row.score},
            url=_url("accounts:detail", pk) + "#health",
        )
        for pk, row in sorted(fell.items(), key=lambda item: item[1].change)
    ]
    return _group("health", gettext_lazy("A accounts whose health fell"), rows, len(rows))


def _below_plan(rows: list[PlanRow]) -> ExceptionGroup:
    below = [r for r in rows if r.projected_ratio is not None and r.projected_ratio < BELOW_PLAN]
    return _group(
        "below_plan",
        gettext_lazy("KAMs projected below 75 % of the quarter's plan"),
        [
            ExceptionRow(
                label=str(r.kam),
                detail=_("%(projected)s %% projected (%(ratio)s %% so far)")
                % {"projected": r.projected_ratio, "ratio": r.ratio},
                url=r.url,
            )
            for r in below
        ],
        len(below),
    )


def _overdue_invoices(scope: Scope, today: date) -> ExceptionGroup:
    invoices = (
        Invoice.objects.visible_to(scope.user)
        .filter(
            scope.accounts_q("account"),
            status__in=OPEN_INVOICE_STATUSES,
            due_date__lt=today - timedelta(days=OVERDUE_DAYS),
        )
        .select_related("account")
        .annotate(open=F("gross_total") - F("credited_total") - F("paid_total"))
        .order_by("due_date", "pk")
    )
    rows = list(invoices[:SHOWN])
    count = invoices.count()
    return _group(
        "overdue",
        gettext_lazy("Invoices more than 60 days overdue"),
        [
            ExceptionRow(
                label=f"{i.number} · {i.account.name}",
                detail=_("%(amount)s %(currency)s, %(days)d days overdue")
                % {
                    "amount": _n(i.open),
                    "currency": i.currency,
                    "days": (today - i.due_date).days,
                },
                url=_url("receivables:invoice_detail", i.pk),
            )
            for i in rows
        ],
        count,
        _url("receivables:invoice_list", query="open=true&overdue=true"),
    )


def _past_cadence(scope: Scope, now: datetime) -> ExceptionGroup:
    accounts = Account.objects.visible_to(scope.user).filter(scope.accounts_q(), tier=AccountTier.A)
    rows = list(accounts_past_cadence(accounts=accounts.select_related("owner"), now=now))
    return _group(
        "cadence",
        gettext_lazy("A accounts past their contact cadence"),
        [
            ExceptionRow(
                label=a.name,
                detail=_("%(owner)s · due %(due)s")
                % {"owner": a.owner, "due": date_format(timezone.localdate(a.contact_due_at))},
                url=_url("accounts:detail", a.pk),
            )
            for a in rows
        ],
        len(rows),
        _url("activities:neglected"),
    )


def _contracts_ending(scope: Scope) -> ExceptionGroup:
    renewal = Deal.objects.filter(account=OuterRef("account"), stage__in=OPEN_STAGES)
    contracts = list(
        contracts_expiring(
            Contract.objects.visible_to(scope.user).filter(scope.accounts_q("account")),
            days=CONTRACT_DAYS,
        )
        .exclude(Exists(renewal))
        .select_related("account")
        .order_by("end_date", "pk")
    )
    return _group(
        "contracts",
        gettext_lazy("Contracts ending within 30 days without a renewal deal"),
        [
            ExceptionRow(
                label=f"{c.number} · {c.account.name}",
                detail=_("ends %(day)s") % {"day": date_format(c.end_date)},
                url=_url("deals:contract_detail", c.pk),
            )
            for c in contracts
        ],
        len(contracts),
    )


def _over_limit(candidates: list[Account], credit: dict[int, AccountExposure]) -> ExceptionGroup:
    rows = []
    for account in candidates:
        exposure = credit.get(account.pk)
        if exposure is None or exposure.over_by is None or exposure.over_by <= 0:
            continue
        rows.append(
            ExceptionRow(
                label=account.name,
                detail=_("exposure %(total)s over a limit of %(limit)s %(currency)s")
                % {
                    "total": _n(exposure.total),
                    "limit": _n(exposure.limit),
                    "currency": exposure.currency,
                },
                url=_url("accounts:detail", account.pk) + "#money-panel",
            )
        )
    return _group(
        "over_limit",
        gettext_lazy("Accounts over their credit limit with live offers"),
        rows,
        len(rows),
    )


def _class_drops(scope: Scope, today: date) -> ExceptionGroup:
    """A accounts the ABC class history shows dropping out of A in the last CLASS_DROP_DAYS
    and not back in it (one query): the latest drop of each."""
    changes = (
        TierChange.objects.filter(
            account__in=Account.objects.visible_to(scope.user).filter(scope.accounts_q()),
            from_tier=AccountTier.A,
            changed_on__gte=today - timedelta(days=CLASS_DROP_DAYS),
        )
        .exclude(to_tier=AccountTier.A)
        .exclude(account__tier=AccountTier.A)
        .select_related("account__owner")
        .order_by("-changed_on", "-pk")
    )
    latest = list({c.account_id: c for c in reversed(list(changes))}.values())
    latest.sort(key=lambda c: (-c.changed_on.toordinal(), c.account.name))
    return _group(
        "class_drops",
        gettext_lazy("A accounts that dropped a class"),
        [
            ExceptionRow(
                label=c.account.name,
                detail=_("%(from)s → %(to)s on %(day)s · %(owner)s")
                % {
                    "from": c.from_tier,
                    "to": c.to_tier,
                    "day": date_format(c.changed_on),
                    "owner": c.account.owner,
                },
                url=_url("accounts:detail", c.account_id) + "#abc",
            )
            for c in latest
        ],
        len(latest),
        _url("commissions:abc"),
    )


def _open_disputes(scope: Scope) -> ExceptionGroup:
    """Open commission disputes of the territory's KAMs (one query), each linked to its row on
    the disputes page, where finance decides it."""
    disputes = list(
        disputes_for(scope.user, status=DisputeStatus.OPEN).filter(entry__kam_id__in=scope.kam_ids)
    )
    return _group(
        "disputes",
        gettext_lazy("Open commission disputes"),
        [
            ExceptionRow(
                label=f"{d.entry.kam} · {d.entry.period}",
                detail=_("%(amount)s %(currency)s · %(reason)s")
                % {
                    "amount": _n(d.entry.amount),
                    "currency": d.entry.currency,
                    "reason": d.reason[:80],
                },
                url=_url("commissions:dispute_list", query="status=open") + f"#dispute-{d.pk}",
            )
            for d in disputes
        ],
        len(disputes),
        _url("commissions:dispute_list", query="status=open"),
    )


def _funnel(scope: Scope, today: date) -> list[FunnelStage]:
    """Deals opened in the last 12 months, how many reached each stage (or a later one), and
    the share that went on to the next: one statement.

    A deal has reached stage i when one of its stage changes went to stage i or a later one,
    that is when the furthest funnel stage it went to is i or later. So each deal's furthest
    stage (MAX of its rank, one group per deal) and then the deals at each: six COUNT(DISTINCT)
    over every stage change of the territory (one sort each) cost 0.75 s at the target scale.
    The deals come from the stage changes' own access scope (one join of the deals, not a
    second `deal__in` the visible deals), created from the day after `since` on in the
    current time zone, which is `created_at__date > since` on an indexable column."""
    since = today - timedelta(days=365)
    labels = dict(DealStage.choices)
    start = timezone.make_aware(datetime.combine(since + timedelta(days=1), time.min))
    rank = Case(
        *[When(to_stage=stage, then=Value(i)) for i, stage in enumerate(FUNNEL_STAGES)],
        output_field=IntegerField(),
    )
    furthest = (
        DealStageChange.objects.visible_to(scope.user)
        .filter(
            scope.accounts_q("deal__account"),
            deal__created_at__gte=start,
            to_stage__in=FUNNEL_STAGES,
        )
        .values("deal_id")
        .annotate(furthest=Max(rank))
        .order_by()
    )
    deals_at: dict[int, int] = {}
    try:
        sql, params = furthest.query.sql_with_params()
    except EmptyResultSet:  # a reader who can see no deal
        sql = None
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT furthest, COUNT(*) FROM ({sql}) d GROUP BY furthest",  # noqa: S608 - our own SQL
                params,
            )
            deals_at = dict(cursor.fetchall())
    counts = {
        stage: sum(n for at, n in deals_at.items() if at >= i)
        for i, stage in enumerate(FUNNEL_STAGES)
    }
    stages = []
    for i, stage in enumerate(FUNNEL_STAGES):
        reached = counts[stage]
        following = counts[FUNNEL_STAGES[i + 1]] if i + 1 < len(FUNNEL_STAGES) else None
        stages.append(
            FunnelStage(
                stage=stage,
                label=str(labels[stage]),
                reached=reached,
                conversion=pct(following, reached) if following is not None else None,
            )
        )
    return stages


def _weighted_forecast(scope: Scope, quarter: Period) -> dict[str, Decimal]:
    rows = (
        Deal.objects.visible_to(scope.user)
        .filter(
            scope.accounts_q("account"),
            stage__in=OPEN_STAGES,
            expected_close_date__gte=quarter.today,
            expected_close_date__lt=quarter.end,
        )
        .values("currency")
        .annotate(weighted=Sum(F("amount") * F("probability")))
        .order_by("currency")
    )
    return {r["currency"]: (r["weighted"] / 100).quantize(Decimal("0.01")) for r in rows}


def _won_lost(scope: Scope, today: date):
    """Won deals per currency and lost deals by reason, closed in the last 12 months: two
    queries."""
    closed = Deal.objects.visible_to(scope.user).filter(
        scope.accounts_q("account"), closed_on__gt=today - timedelta(days=365)
    )
    won = {
        r["currency"]: (r["n"], r["amount"])
        for r in closed.filter(stage=DealStage.WON)
        .values("currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("currency")
    }
    lost_rows = (
        closed.filter(stage=DealStage.LOST)
        .annotate(reason=Lower(Trim("lost_reason")))
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    lost = [LossReason(r["reason"] or _("no reason given"), r["n"]) for r in lost_rows]
    return won, lost[:SHOWN], sum(r.count for r in lost)


def _dso_by_kam(scope: Scope, invoices, by_kam, today: date) -> list[DsoRow]:
    """DSO per KAM (90 days, the simple method of receivables.selectors.aging.behaviour):
    open today over gross invoiced in the 90 days up to today x 90. One query beside the
    aging already read."""
    window_start = today - timedelta(days=89)
    invoiced = {
        (r["account__owner_id"], r["currency"]): r["s"]
        for r in invoices.filter(issue_date__gte=window_start, issue_date__lte=today)
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("account__owner_id", "currency")
        .annotate(s=Sum("gross_total"))
        .order_by()
    }
    rows = []
    for row in by_kam.rows:
        billed = invoiced.get((row.key, row.currency), ZERO)
        rows.append(
            DsoRow(
                kam_id=row.key,
                label=row.label,
                currency=row.currency,
                open=row.total,
                invoiced=billed,
                dso=(row.total / billed * 90).quantize(Decimal("0.1")) if billed else None,
            )
        )
    return sorted(rows, key=lambda r: (-(r.dso or 0), r.label))


def leakage(*, scope: Scope, start: date, end: date) -> tuple[list[LeakageRow], list[LeakageRow]]:
    """List value against net value of the offers accepted in [start, end), by KAM and by
    account: one query, grouped by the deal's owner and account together and added up both
    ways here (exact sums, so the same figures as a statement per grouping, at half the
    reading of the offer lines). Offer lines keep the list price they were made with."""
    lines = OfferLine.objects.visible_to(scope.user).filter(
        scope.accounts_q("offer__deal__account"),
        offer__status=OfferStatus.ACCEPTED,
        offer__closed_at__date__gte=start,
        offer__closed_at__date__lt=end,
    )
    groups = (
        lines.values(
            "offer__deal__owner_id",
            "offer__deal__owner__username",
            "offer__deal__owner__first_name",
            "offer__deal__owner__last_name",
            "offer__deal__account_id",
            "offer__deal__account__name",
            "offer__currency",
        )
        .annotate(list_value=Sum(F("list_price") * F("quantity")), net_value=Sum("line_total"))
        .order_by()
    )
    by_kam: dict[tuple, list[Decimal]] = {}
    by_account: dict[tuple, list[Decimal]] = {}
    for r in groups:
        for sums, key in (
            (by_kam, (r["offer__deal__owner_id"], _name(r, "offer__deal__owner"))),
            (by_account, (r["offer__deal__account_id"], r["offer__deal__account__name"])),
        ):
            total = sums.setdefault((*key, r["offer__currency"]), [ZERO, ZERO])
            total[0] += r["list_value"]
            total[1] += r["net_value"]

    def rows(sums: dict[tuple, list[Decimal]]) -> list[LeakageRow]:
        result = [
            LeakageRow(
                key=key,
                label=label,
                currency=currency,
                list_value=list_value.quantize(Decimal("0.01")),
                net_value=net_value,
            )
            for (key, label, currency), (list_value, net_value) in sums.items()
        ]
        return sorted(result, key=lambda r: (-r.leakage, r.label))

    return rows(by_kam), rows(by_account)[:SHOWN]


def _name(row: dict, owner: str = "owner") -> str:
    """The KAM of a row read with `owner`'s name columns, as `User.__str__` shows them."""
    columns = (f"{owner}__first_name", f"{owner}__last_name", f"{owner}__username")
    return person_name(*(row[c] for c in columns)) or "—"


def _aging_by_kam(by_account: Aging) -> Aging:
    """The aging by KAM (the accounts' owner, as `aging(group_by="kam")` groups it) from the
    aging by account: its rows added up per owner, one small query for the owners instead
    of a second aging statement over the territory's open invoices."""
    owners = {
        a["pk"]: (a["owner_id"], _name(a))
        for a in Account.objects.filter(pk__in=[r.key for r in by_account.rows]).values(
            "pk", "owner_id", "owner__username", "owner__first_name", "owner__last_name"
        )
    }
    sums: dict[tuple, list[Decimal]] = {}
    for row in by_account.rows:
        owner_id, name = owners[row.key]
        total = sums.setdefault((owner_id, name, row.currency), [ZERO] * len(row.amounts))
        sums[owner_id, name, row.currency] = [
            t + a for t, a in zip(total, row.amounts, strict=True)
        ]
    rows = []
    for (key, label, currency), amounts in sorted(
        sums.items(), key=lambda item: (item[0][0] is None, item[0])
    ):
        if not any(amounts):
            continue
        total = sum(amounts, ZERO)
        rows.append(AgingRow(key, label, currency, amounts, total, total - amounts[0]))
    rows.sort(key=lambda r: (-r.overdue, -r.total, r.label))
    return Aging(
        as_of=by_account.as_of,
        buckets=by_account.buckets,
        group_by="kam",
        rows=rows,
        totals=by_account.totals,
    )


def _cadence(scope: Scope, now: datetime) -> list[CadenceShare]:
    """Per KAM and tier, how many accounts were contacted within their cadence (three
    queries: the KAMs, the cadences, the counts)."""
    rows = cadence_summary(
        user=scope.user, now=now, owners=User.objects.filter(pk__in=scope.kam_ids)
    )
    return [CadenceShare(r.owner, r.tier, r.accounts, r.contacted) for r in rows]


def territory_pareto(scope: Scope) -> tuple[list[ParetoPoint], list[Concentration]]:
    """The territory's accounts on the Pareto curve (the ABC run's classes ranked among
    themselves) and its concentration month by month, as the ABC page shows them: two
    queries."""
    territory_id = scope.territory.pk if scope.territory else None
    classes = classes_visible_to(user=scope.user, territory_id=territory_id)
    return pareto_points(classes=list(classes)), concentration_trend(territory_id=territory_id)


def cockpit(*, scope: Scope, now: datetime, period_key: str = "quarter") -> Cockpit:
    today = timezone.localdate(now)
    periods = [period(key, today) for key in ("month", "quarter", "year")]
    chosen = next(p for p in periods if p.key == period_key)
    quarter = periods[1]
    figures = fulfilment_by_kam_windows(
        kam_ids=scope.kam_ids, windows=[(p.start, p.end) for p in periods]
    )
    plan = plan_rows_of(kams=scope.kams, periods=periods, figures=figures)
    offers, extra = _offers_waiting(scope, today)
    candidates = _over_limit_candidates(scope)
    credit = exposures(sorted(extra["account_ids"] | {a.pk for a in candidates}))
    invoices = Invoice.objects.visible_to(scope.user).filter(scope.accounts_q("account"))
    by_account = aging(invoices=invoices, as_of=today, group_by="account")
    by_kam = _aging_by_kam(by_account)
    won, lost, lost_count = _won_lost(scope, today)
    plan_left: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in plan["quarter"]:
        plan_left[row.currency] += row.left
    by_kam_leak, by_account_leak = leakage(scope=scope, start=chosen.start, end=chosen.end)
    pareto, concentration = territory_pareto(scope)
    return Cockpit(
        scope=scope,
        today=today,
        period=chosen,
        offers_waiting=_with_commission(
            _offer_rows(offers, extra["overrides"], credit),
            offers,
            extra["overrides"],
            today,
            figures[0],
        ),
        exceptions=[
            _over_limit(candidates, credit),
            _health_fell(scope),
            _below_plan(plan["quarter"]),
            _overdue_invoices(scope, today),
            _past_cadence(scope, now),
            _contracts_ending(scope),
            _class_drops(scope, today),
            _open_disputes(scope),
        ],
        plan=plan,
        funnel=_funnel(scope, today),
        forecast=_weighted_forecast(scope, quarter),
        plan_left=dict(plan_left),
        won=won,
        lost=lost,
        lost_count=lost_count,
        aging=by_kam,
        top_overdue=[r for r in by_account.rows if r.overdue > 0][:SHOWN],
        dso=_dso_by_kam(scope, invoices, by_kam, today),
        leakage_by_kam=by_kam_leak,
        leakage_by_account=by_account_leak,
        cadence=_cadence(scope, now),
        pareto=pareto,
        concentration=concentration,
    )
