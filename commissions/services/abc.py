"""The ABC run and manual tiers: writes the computed classes, the class changes, the accounts'
tiers (through accounts' own service), the month's concentration, and alerts the directors."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.services import account_tier_set
from activities.services import notifications_create
from core.money import reporting_currency
from core.reminders import Reminder
from team.models import Role, User

from .. import access
from ..models import AbcRun, AccountClass, Concentration, TierChange, TierOverride
from ..selectors.abc import (
    CLASSED_WITH,
    ConcentrationFigures,
    Ranked,
    Ranking,
    Thresholds,
    TierMove,
    abc_ranking,
    classed_params,
    concentration_compute,
    concentration_of,
    half_even,
    share_sql,
    thresholds,
)

# What a run computes for an account, its class first; the stored row is rewritten only when
# one of them differs.
CLASS_FIGURES = [
    "computed",
    "revenue",
    "margin",
    "rank",
    "share",
    "cumulative_share",
    "margin_rank",
    "margin_share",
    "margin_class",
    "is_key",
]
CLASS_FIELDS = ["run", *CLASS_FIGURES]
ALERT_A_TO_C = "abc_a_to_c"
ALERT_TOP_ACCOUNT = "abc_top_account"


def abc_run(
    *,
    actor: User | None = None,
    as_of: date | None = None,
    limits: Thresholds | None = None,
) -> AbcRun:
    """Classify every account (one ranking statement, in the reporting currency), keep each
    class change, set the tiers (a live manual tier wins; an expired one gives way), store the
    month's concentration and alert the directors. Running it twice on a day changes nothing
    the second time. The run keeps how many documents had no rate and were left out."""
    if actor is not None and not access.can_run_abc(actor):
        raise ValidationError(_("Only an admin runs the ABC classification."))
    as_of = as_of or timezone.localdate()
    limits = limits or thresholds()
    if _in_database():
        with transaction.atomic():
            expired, _live = _overrides_expire(as_of=as_of)
            run, changes, moving, figures = _classify_in_database(
                as_of=as_of, limits=limits, actor=actor
            )
            _tiers_set(moving=moving, expired=expired, as_of=as_of)
            _concentration_store(as_of=as_of, figures=figures)
            _alert(changes=changes, figures=figures, as_of=as_of, limits=limits)
        return run
    ranking = abc_ranking(as_of=as_of, limits=limits)
    with transaction.atomic():
        run = AbcRun.objects.create(
            ran_by=actor,
            as_of=as_of,
            currency=ranking.currency,
            total_revenue=sum((r.revenue for r in ranking.rows if r.revenue > 0), 0),
            accounts=len(ranking.rows),
            unrated_documents=ranking.unrated,
        )
        changes = _classes_write(run=run, ranking=ranking.rows, as_of=as_of, actor=actor)
        run.changes = len(changes)
        run.save(update_fields=["changes"])
        _tiers_apply(ranking=ranking.rows, as_of=as_of)
        figures = concentration_snapshot(as_of=as_of, ranking=ranking)
        _alert(changes=changes, figures=figures, as_of=as_of, limits=limits)
    return run


def _in_database() -> bool:
    """Whether the run compares and writes the classes in the database (PostgreSQL: exact
    numerics); SQLite sums money as floats, so there Python computes the shares."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class ClassChange:
    """A class change the run wrote, as the alerts need it."""

    account_id: int
    from_tier: str
    to_tier: str
    share: Decimal
    rank: int


def _classify_in_database(
    *, as_of: date, limits: Thresholds, actor: User | None
) -> tuple[AbcRun, list[ClassChange], dict[int, TierMove], list[ConcentrationFigures]]:
    """The ranking, the comparison with the stored classes and the writes in one statement:
    a class change for every account whose class moved (from its stored class, or the tier
    it had when it is classified for the first time), an upsert of only the classes whose
    figures differ (a second run on the same day writes no row). It returns the run's
    totals, the changes, the tiers that must move (a live manual tier wins over the class)
    and the concentration of each territory and the company, computed as `concentration_of`
    does in Python; a row each, told apart by `kind`."""
    run = AbcRun.objects.create(
        ran_by=actor, as_of=as_of, currency=reporting_currency(), total_revenue=0, accounts=0
    )
    figures = ", ".join(CLASS_FIGURES)
    ours = ", ".join(f"c.{f}" for f in CLASS_FIGURES)
    stored = ", ".join(f"s.{f}" for f in CLASS_FIGURES)
    klass = AccountClass._meta.db_table
    sql = f"""
    {CLASSED_WITH},
    compared AS (
        SELECT c.*, COALESCE(s.computed, a.tier) AS previous, a.tier, o.tier AS manual,
               s.account_id IS NULL OR ({stored}) IS DISTINCT FROM ({ours}) AS moved
        FROM classed c
        JOIN {Account._meta.db_table} a ON a.id = c.account_id
        LEFT JOIN {klass} s ON s.account_id = c.account_id
        LEFT JOIN {TierOverride._meta.db_table} o
            ON o.account_id = c.account_id AND o.lifted_at IS NULL AND o.expires_on >= %s
    ),
    changes AS (
        INSERT INTO {TierChange._meta.db_table}
            (account_id, run_id, changed_on, from_tier, to_tier, share, rank, source, by_id, note)
        SELECT account_id, %s, %s, previous, computed, share, rank, %s, %s, ''
        FROM compared WHERE previous <> computed
        ORDER BY rank
        RETURNING account_id, from_tier, to_tier, share, rank
    ),
    written AS (
        INSERT INTO {klass} (account_id, run_id, {figures})
        SELECT account_id, %s, {figures}
        FROM compared WHERE moved
        ORDER BY rank
        ON CONFLICT (account_id) DO UPDATE SET
            {", ".join(f"{f} = EXCLUDED.{f}" for f in ["run_id", *CLASS_FIGURES])}
        RETURNING 1
    ),
    placed AS (
        SELECT territory_id, revenue, rank,
               ROW_NUMBER() OVER (PARTITION BY territory_id ORDER BY rank) AS place,
               COUNT(*) OVER (PARTITION BY territory_id) AS count,
               COUNT(*) OVER () AS everyone
        FROM classed WHERE revenue > 0
    ),
    scopes AS (
        SELECT territory_id AS scope, COUNT(*) AS accounts, SUM(revenue) AS total,
               SUM(revenue) FILTER (WHERE place = 1) AS top1,
               SUM(revenue) FILTER (WHERE place <= 5) AS top5,
               SUM(revenue) FILTER (WHERE (place - 1) * 5 < count) AS top20,
               SUM(revenue * revenue) AS squares
        FROM placed GROUP BY territory_id
        UNION ALL
        SELECT NULL, COUNT(*), SUM(revenue),
               SUM(revenue) FILTER (WHERE rank = 1),
               SUM(revenue) FILTER (WHERE rank <= 5),
               SUM(revenue) FILTER (WHERE (rank - 1) * 5 < everyone),
               SUM(revenue * revenue)
        FROM placed HAVING COUNT(*) > 0
    )
    SELECT 'run', NULL::bigint, NULL::text, NULL::text,
           COALESCE(SUM(revenue) FILTER (WHERE revenue > 0), 0)::numeric,
           COUNT(*)::numeric, COALESCE(MAX(unrated), 0)::numeric,
           NULL::numeric, NULL::numeric, NULL::numeric
    FROM classed
    UNION ALL
    SELECT 'change', account_id, from_tier, to_tier, share, rank, NULL, NULL, NULL, NULL
    FROM changes
    UNION ALL
    SELECT 'move', account_id, COALESCE(manual, computed), NULL, share, rank,
           NULL, NULL, NULL, NULL
    FROM compared WHERE tier <> COALESCE(manual, computed)
    UNION ALL
    SELECT 'scope', scope, NULL, NULL, accounts, total, {share_sql("top1", "total")},
           {share_sql("top5", "total")}, {share_sql("top20", "total")},
           {half_even("squares * 10000", "total * total", 2)}
    FROM scopes
    """  # noqa: S608
    params = [
        *classed_params(as_of=as_of, limits=limits),
        as_of,
        run.pk,
        as_of,
        TierChange.Source.COMPUTED.value,
        actor.pk if actor else None,
        run.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    changes, moving, scopes = [], {}, []
    for kind, pk, tier, to_tier, *values in rows:
        if kind == "run":
            run.total_revenue, accounts, unrated = values[:3]
            run.accounts, run.unrated_documents = int(accounts), int(unrated)
        elif kind == "change":
            changes.append(ClassChange(pk, tier, to_tier, values[0], int(values[1])))
        elif kind == "move":
            moving[pk] = TierMove(tier, values[0], int(values[1]))
        else:
            accounts, total, top1, top5, top20, hhi = values
            scopes.append(ConcentrationFigures(pk, int(accounts), total, top1, top5, top20, hhi))
    changes.sort(key=attrgetter("rank"))
    # The company last, as `concentration_of` orders them.
    scopes.sort(key=lambda f: (f.territory_id is None, f.territory_id or 0))
    run.changes = len(changes)
    run.save(update_fields=["total_revenue", "accounts", "unrated_documents", "changes"])
    return run, changes, moving, scopes


def _classes_write(*, run, ranking: list[Ranked], as_of: date, actor) -> list[TierChange]:
    """Upsert only the classes whose figures differ from the stored ones, so a second run on
    the same day writes none (a row names the run that last changed it), and keep every
    class change."""
    stored = {
        row[0]: row[1:]
        for row in AccountClass.objects.order_by().values_list("account_id", *CLASS_FIGURES)
    }
    figures_of = attrgetter(*CLASS_FIGURES)
    figures = {row.account_id: figures_of(row) for row in ranking}
    AccountClass.objects.bulk_create(
        [
            AccountClass(
                account_id=row.account_id,
                run=run,
                **dict(zip(CLASS_FIGURES, figures[row.account_id], strict=True)),
            )
            for row in ranking
            if stored.get(row.account_id) != figures[row.account_id]
        ],
        update_conflicts=True,
        unique_fields=["account"],
        update_fields=CLASS_FIELDS,
        batch_size=1000,
    )
    # An account classified for the first time changes from the tier it had.
    previous = {pk: row[0] for pk, row in stored.items()}
    if any(row.account_id not in previous for row in ranking):
        previous = dict(Account.objects.order_by().values_list("pk", "tier")) | previous
    changes = [
        TierChange(
            account_id=row.account_id,
            run=run,
            changed_on=as_of,
            from_tier=previous.get(row.account_id),
            to_tier=row.computed,
            share=row.share,
            rank=row.rank,
            source=TierChange.Source.COMPUTED,
            by=actor,
        )
        for row in ranking
        if previous.get(row.account_id) != row.computed
    ]
    return TierChange.objects.bulk_create(changes, batch_size=1000)


def _tiers_apply(*, ranking: list[Ranked], as_of: date) -> None:
    """Each account's tier becomes its computed class unless a live manual tier holds it;
    manual tiers past their date are lifted, and the change is kept."""
    expired, live = _overrides_expire(as_of=as_of)
    wanted = {row.account_id: live.get(row.account_id, row.computed) for row in ranking}
    current = dict(Account.objects.order_by().values_list("pk", "tier"))
    moving = {
        row.account_id: TierMove(wanted[row.account_id], row.share, row.rank)
        for row in ranking
        if current.get(row.account_id) != wanted[row.account_id]
    }
    _tiers_set(moving=moving, expired=expired, as_of=as_of)


def _overrides_expire(*, as_of: date) -> tuple[set[int], dict[int, str]]:
    """Lift the manual tiers past their date: the accounts they held, and the live manual
    tiers by account."""
    overrides = list(TierOverride.objects.filter(lifted_at__isnull=True))
    expired = [o for o in overrides if o.expires_on < as_of]
    if expired:
        TierOverride.objects.filter(pk__in=[o.pk for o in expired]).update(lifted_at=timezone.now())
    live = {o.account_id: o.tier for o in overrides if o.expires_on >= as_of}
    return {o.account_id for o in expired}, live


def _tiers_set(*, moving: dict[int, TierMove], expired: set[int], as_of: date) -> None:
    """Set the tiers that move, through accounts' service; a tier that moves because its
    manual tier expired keeps that change too."""
    for account in Account.objects.filter(pk__in=moving).select_related("owner", "territory"):
        move = moving[account.pk]
        if account.pk in expired:
            TierChange.objects.create(
                account=account,
                changed_on=as_of,
                from_tier=account.tier,
                to_tier=move.tier,
                share=move.share,
                rank=move.rank,
                source=TierChange.Source.EXPIRED,
            )
        account_tier_set(
            account=account,
            tier=move.tier,
            actor=None,
            detail=_("ABC run: %(share)s %% of revenue, rank %(rank)s")
            % {"share": move.share.normalize(), "rank": move.rank},
        )


def concentration_snapshot(*, as_of: date, ranking: Ranking | None = None) -> list:
    """Store the company's and every territory's concentration for the month of `as_of`, in
    the reporting currency (the latest run of a month replaces the month's row), from the
    run's `ranking` of `as_of` if given."""
    figures = concentration_of(ranking=ranking) if ranking else concentration_compute(as_of=as_of)
    return _concentration_store(as_of=as_of, figures=figures)


def _concentration_store(*, as_of: date, figures: list[ConcentrationFigures]) -> list:
    currency = reporting_currency()
    month = as_of.replace(day=1)
    with transaction.atomic():
        Concentration.objects.filter(month=month).delete()
        Concentration.objects.bulk_create(
            [
                Concentration(
                    month=month,
                    territory_id=f.territory_id,
                    currency=currency,
                    total_revenue=f.total_revenue,
                    accounts=f.accounts,
                    top1_share=f.top1_share,
                    top5_share=f.top5_share,
                    top20_share=f.top20_share,
                    hhi=f.hhi,
                )
                for f in figures
            ]
        )
    return figures


def _directors() -> dict[int | None, list[int]]:
    """Active directors by territory; None: every director (the company's alerts)."""
    result: dict[int | None, list[int]] = {None: []}
    for pk, territory_id in User.objects.filter(role=Role.DIRECTOR, is_active=True).values_list(
        "pk", "territory_id"
    ):
        result.setdefault(territory_id, []).append(pk)
        result[None].append(pk)
    return result


def _alert(
    *, changes: list[TierChange] | list[ClassChange], figures, as_of: date, limits: Thresholds
) -> None:
    """An A account that dropped to C, and a top account above the threshold: the directors."""
    directors = _directors()
    drops = [c for c in changes if c.from_tier == "A" and c.to_tier == "C"]
    names = dict(
        Account.objects.filter(pk__in=[c.account_id for c in drops]).values_list("pk", "name")
    )
    territory_of = dict(
        Account.objects.filter(pk__in=[c.account_id for c in drops]).values_list(
            "pk", "territory_id"
        )
    )
    rows = []
    for change in drops:
        for recipient in directors.get(territory_of.get(change.account_id), []):
            rows.append(
                Reminder(
                    recipient_id=recipient,
                    kind=ALERT_A_TO_C,
                    subject_type="account",
                    subject_id=change.account_id,
                    occasion=as_of,
                    title=_("%(account)s dropped from class A to C")
                    % {"account": names.get(change.account_id, "")},
                    body=_("Its share of revenue over the last 12 months is %(share)s %%.")
                    % {"share": change.share.normalize()},
                    url=reverse("accounts:detail", args=[change.account_id]),
                )
            )
    for f in figures:
        if f.top1_share <= limits.top_alert:
            continue
        rows.extend(
            Reminder(
                recipient_id=recipient,
                kind=ALERT_TOP_ACCOUNT,
                subject_type="territory" if f.territory_id else "company",
                subject_id=f.territory_id or 0,
                occasion=as_of.replace(day=1),
                title=_("One client makes %(share)s %% of revenue")
                % {"share": f.top1_share.quantize(1)},
                body=_("The top account's share passed %(limit)s %%: the revenue depends on it.")
                % {"limit": limits.top_alert.normalize()},
                url=reverse("commissions:abc"),
            )
            for recipient in directors.get(f.territory_id, [])
        )
    if rows:
        notifications_create(rows=rows)


# --- Manual tiers -----------------------------------------------------------------------------


def tier_override_set(
    *, actor: User, account: Account, tier: str, reason: str, expires_on: date
) -> TierOverride:
    """A director's tier for the account until `expires_on`, winning over the computed class;
    it replaces any earlier manual tier, sets the account's tier and is kept as a change."""
    access.check_can_override_tier(actor, account)
    errors = {}
    if tier not in Account.Tier.values:
        errors["tier"] = _("Choose tier A, B or C.")
    if not reason.strip():
        errors["reason"] = _("Say why this account's tier is set by hand.")
    if expires_on <= timezone.localdate():
        errors["expires_on"] = _("The manual tier must last until a day after today.")
    if errors:
        raise ValidationError(errors)
    computed = AccountClass.objects.filter(account=account).first()
    with transaction.atomic():
        TierOverride.objects.filter(account=account, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        override = TierOverride.objects.create(
            account=account, tier=tier, reason=reason.strip(), expires_on=expires_on, set_by=actor
        )
        if account.tier != tier:
            TierChange.objects.create(
                account=account,
                changed_on=timezone.localdate(),
                from_tier=account.tier,
                to_tier=tier,
                share=computed.share if computed else 0,
                rank=computed.rank if computed else None,
                source=TierChange.Source.MANUAL,
                by=actor,
                note=reason.strip()[:300],
            )
        account_tier_set(
            account=account,
            tier=tier,
            actor=actor,
            detail=_("Set by hand until %(day)s: %(why)s")
            % {"day": expires_on.isoformat(), "why": reason.strip()},
        )
    return override


def tier_override_lift(*, actor: User, account: Account) -> Account:
    """End the manual tier now: the account goes back to its computed class."""
    access.check_can_override_tier(actor, account)
    computed = AccountClass.objects.filter(account=account).first()
    with transaction.atomic():
        lifted = TierOverride.objects.filter(account=account, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        if not lifted:
            raise ValidationError(_("This account has no manual tier to lift."))
        if computed and computed.computed != account.tier:
            TierChange.objects.create(
                account=account,
                changed_on=timezone.localdate(),
                from_tier=account.tier,
                to_tier=computed.computed,
                share=computed.share,
                rank=computed.rank,
                source=TierChange.Source.MANUAL,
                by=actor,
                note=_("Manual tier lifted"),
            )
            account_tier_set(account=account, tier=computed.computed, actor=actor)
    return account
