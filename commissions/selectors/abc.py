"""The Pareto / ABC ranking and revenue concentration, each one SQL statement with window
functions (PostgreSQL and SQLite alike), and the pages' reads of their results."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from accounts.models import Account
from core.money import reporting_currency
from receivables.models import CreditNote, Invoice, InvoiceStatus

from ..models import AbcRun, AccountClass, Concentration, TierChange, TierOverride

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    """A = the accounts making the first `a` % of revenue, B the next `b` %, C the rest; an
    account with at least `key` % of revenue alone is a key client; the director is alerted
    when the top account passes `top_alert` %."""

    a: Decimal
    b: Decimal
    key: Decimal
    top_alert: Decimal


def thresholds() -> Thresholds:
    return Thresholds(
        a=Decimal(str(getattr(settings, "ABC_A_SHARE", 80))),
        b=Decimal(str(getattr(settings, "ABC_B_SHARE", 15))),
        key=Decimal(str(getattr(settings, "ABC_KEY_SHARE", 10))),
        top_alert=Decimal(str(getattr(settings, "ABC_TOP_ALERT_SHARE", 25))),
    )


def trailing_year(*, as_of: date) -> tuple[date, date]:
    """[start, end) of the twelve months up to and including `as_of`."""
    try:
        start = as_of.replace(year=as_of.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(as_of.year - 1, 3, 1)
    return start, as_of + timedelta(days=1)


def _converted(table: str, net: str, cost: str) -> str:
    """Per account, a document table's net and cost in the reporting currency, each document
    converted at the rate frozen on it and rounded to the cent (ROUND is half away from zero,
    as `core.money.money_round`); documents without a rate are left out and counted."""
    return f"""
            SELECT account_id,
                   SUM(CASE WHEN reporting_rate IS NULL THEN 0
                            ELSE ROUND({net} * reporting_rate, 2) END) AS net,
                   SUM(CASE WHEN reporting_rate IS NULL THEN 0
                            ELSE ROUND({cost} * reporting_rate, 2) END) AS cost,
                   SUM(CASE WHEN reporting_rate IS NULL THEN 1 ELSE 0 END) AS unrated
            FROM {table}"""  # noqa: S608


def _revenue_cte() -> str:
    """Net invoiced (invoices less credit notes) and the frozen cost, per account, in the
    reporting currency, over [start, end), and how many of its documents had no rate. Four
    parameters: start, end, twice."""
    # Table names and the status are the models' own; every value is a parameter.
    return f"""
    revenue AS (
        SELECT a.id AS account_id, a.territory_id AS territory_id,
               COALESCE(inv.net, 0) - COALESCE(cn.net, 0) AS revenue,
               COALESCE(inv.net, 0) - COALESCE(cn.net, 0)
                 - COALESCE(inv.cost, 0) + COALESCE(cn.cost, 0) AS margin,
               COALESCE(inv.unrated, 0) + COALESCE(cn.unrated, 0) AS unrated
        FROM {Account._meta.db_table} a
        LEFT JOIN ({_converted(Invoice._meta.db_table, "net_total", "cost_total")}
            WHERE status <> '{InvoiceStatus.CANCELLED}'
              AND issue_date >= %s AND issue_date < %s
            GROUP BY account_id
        ) inv ON inv.account_id = a.id
        LEFT JOIN ({_converted(CreditNote._meta.db_table, "net_amount", "cost_amount")}
            WHERE issue_date >= %s AND issue_date < %s
            GROUP BY account_id
        ) cn ON cn.account_id = a.id
    )"""  # noqa: S608


def _class_case(value: str, cumulative: str, total: str) -> str:
    """A while the accounts down to this one hold no more than A % of the total (so the one
    that crosses the boundary is B), B up to A + B %, else C; nothing earned = C."""
    return f"""CASE WHEN {value} <= 0 OR {total} <= 0 THEN 'C'
                WHEN {cumulative} * 100 <= {total} * %s THEN 'A'
                WHEN {cumulative} * 100 <= {total} * %s THEN 'B'
                ELSE 'C' END"""


# Every account's rank, running sums and totals by revenue and by margin; after the revenue
# CTE's four parameters.
RANKED_CTE = """
ranked AS (
    SELECT account_id, territory_id, revenue, margin,
        ROW_NUMBER() OVER (ORDER BY revenue DESC, account_id) AS rank,
        SUM(CASE WHEN revenue > 0 THEN revenue ELSE 0 END) OVER () AS total,
        SUM(CASE WHEN revenue > 0 THEN revenue ELSE 0 END)
            OVER (ORDER BY revenue DESC, account_id ROWS UNBOUNDED PRECEDING) AS cumulative,
        ROW_NUMBER() OVER (ORDER BY margin DESC, account_id) AS margin_rank,
        SUM(CASE WHEN margin > 0 THEN margin ELSE 0 END) OVER () AS margin_total,
        SUM(CASE WHEN margin > 0 THEN margin ELSE 0 END)
            OVER (ORDER BY margin DESC, account_id ROWS UNBOUNDED PRECEDING) AS margin_cumulative,
        SUM(unrated) OVER () AS unrated
    FROM revenue
)"""

ABC_SQL = f"""
WITH {_revenue_cte()},{RANKED_CTE}
SELECT account_id, revenue, margin, rank, total, cumulative,
       {_class_case("revenue", "cumulative", "total")} AS class,
       margin_rank, margin_total,
       {_class_case("margin", "margin_cumulative", "margin_total")} AS margin_class,
       unrated, territory_id
FROM ranked
ORDER BY rank
"""  # noqa: S608


def half_even(numerator: str, denominator: str, places: int) -> str:
    """PostgreSQL: `numerator / denominator` (numerics, the first >= 0, the second > 0) rounded
    to `places` decimals half to even, exactly as `Decimal.quantize` rounds the shares in
    Python (`ROUND` is half away from zero): from the integer quotient and remainder, so no
    division is rounded on the way."""
    scaled = f"({numerator}) * {10**places}"
    quotient = f"div({scaled}, {denominator})"
    twice_rest = f"2 * mod({scaled}, {denominator})"
    return f"""(({quotient}) + CASE WHEN {twice_rest} > ({denominator})
                    OR ({twice_rest} = ({denominator}) AND mod({quotient}, 2) = 1)
                THEN 1 ELSE 0 END) * {Decimal(1).scaleb(-places)}"""


def share_sql(part: str, total: str) -> str:
    """PostgreSQL: `_share` in SQL, to the same digit."""
    rounded = half_even(f"{part} * 100", total, 4)
    return f"CASE WHEN {part} > 0 AND {total} > 0 THEN {rounded} ELSE 0 END"


def _share_rounded(quotient: str, part: str, total: str) -> str:
    """PostgreSQL: a share from its `quotient` (`part` * 100 / `total`, NULL for none), as
    `_share` rounds it. The division keeps at least 12 decimals, so a quotient that is not
    exactly on a half of the fourth decimal rounds the same either way; one that is (a tie,
    or within 10^-12 of one) is rounded from the exact quotient and remainder."""
    return f"""CASE WHEN {quotient} IS NULL THEN 0
                WHEN trunc({quotient}, 5) = {quotient}
                     AND mod(trunc({quotient} * 100000), 10) = 5
                THEN {half_even(f"{part} * 100", total, 4)}
                ELSE round({quotient}, 4) END"""


# PostgreSQL: the ranking with everything the ABC run stores of an account, computed as
# `abc_ranking` computes it in Python (shares half to even, the key flag on the rounded
# share). After RANKED_CTE; five parameters: the key share, then A % and A + B %, twice.
# OFFSET 0 keeps each quotient and share computed once (the subqueries are not pulled up).
CLASSED_CTE = f"""
classed AS (
    SELECT account_id, territory_id, revenue, margin, rank, share, cumulative_share, computed,
           margin_rank, margin_share, margin_class, share >= %s AS is_key, unrated
    FROM (
        SELECT account_id, territory_id, revenue, margin, rank, margin_rank, unrated,
               computed, margin_class,
               {_share_rounded("share_q", "revenue", "total")} AS share,
               {_share_rounded("cumulative_q", "cumulative", "total")} AS cumulative_share,
               {_share_rounded("margin_q", "margin", "margin_total")} AS margin_share
        FROM (
            SELECT account_id, territory_id, revenue, margin, rank, margin_rank, unrated,
                   total, cumulative, margin_total,
                   {_class_case("revenue", "cumulative", "total")} AS computed,
                   {_class_case("margin", "margin_cumulative", "margin_total")} AS margin_class,
                   CASE WHEN revenue > 0 AND total > 0 THEN revenue * 100 / total END
                       AS share_q,
                   CASE WHEN revenue > 0 AND total > 0 THEN cumulative * 100 / total END
                       AS cumulative_q,
                   CASE WHEN margin > 0 AND margin_total > 0 THEN margin * 100 / margin_total END
                       AS margin_q
            FROM ranked
            OFFSET 0
        ) quotients
        OFFSET 0
    ) shares
)"""  # noqa: S608


# The ABC run's statement begins with this and adds its writes; `classed_params` are its
# parameters.
CLASSED_WITH = f"WITH {_revenue_cte()},{RANKED_CTE},{CLASSED_CTE}"


def classed_params(*, as_of: date, limits: Thresholds) -> list:
    """The parameters of CLASSED_WITH, in order."""
    start, end = trailing_year(as_of=as_of)
    return [start, end] * 2 + [limits.key] + [limits.a, limits.a + limits.b] * 2


@dataclass(frozen=True)
class Ranked:
    account_id: int
    revenue: Decimal
    margin: Decimal
    rank: int
    share: Decimal  # of the company's revenue, per cent
    cumulative_share: Decimal
    computed: str
    margin_rank: int
    margin_share: Decimal
    margin_class: str
    is_key: bool
    territory_id: int | None = None


def _decimal(value) -> Decimal:
    # SQLite returns sums of decimals as floats: through str, so 0.1 stays 0.1.
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _share(part: Decimal, total: Decimal) -> Decimal:
    if total <= 0 or part <= 0:
        return ZERO
    return (part * HUNDRED / total).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Ranking:
    """The ranked accounts, in `currency` (the reporting currency), and how many invoices and
    credit notes of the window were left out for want of a rate into it."""

    rows: list[Ranked]
    currency: str
    unrated: int


def abc_ranking(*, as_of: date, limits: Thresholds | None = None) -> Ranking:
    """Every account ranked by net invoiced revenue in the reporting currency over the twelve
    months to `as_of`, each document converted at the rate frozen on it, with its class by
    revenue and by margin. One SQL statement."""
    limits = limits or thresholds()
    start, end = trailing_year(as_of=as_of)
    params = [start, end] * 2 + [limits.a, limits.a + limits.b] * 2
    with connection.cursor() as cursor:
        cursor.execute(ABC_SQL, params)
        rows = cursor.fetchall()
    result = []
    unrated = 0
    for row in rows:
        account_id, revenue, margin, rank, total, cumulative, cls, m_rank, m_total, m_cls = row[:10]
        unrated, territory_id = int(row[10] or 0), row[11]
        revenue, total = _decimal(revenue), _decimal(total)
        margin, m_total = _decimal(margin), _decimal(m_total)
        share = _share(revenue, total)
        result.append(
            Ranked(
                account_id=account_id,
                revenue=revenue.quantize(Decimal("0.01")),
                margin=margin.quantize(Decimal("0.01")),
                rank=rank,
                share=share,
                cumulative_share=_share(_decimal(cumulative), total) if revenue > 0 else ZERO,
                computed=cls,
                margin_rank=m_rank,
                margin_share=_share(margin, m_total),
                margin_class=m_cls,
                is_key=share >= limits.key,
                territory_id=territory_id,
            )
        )
    return Ranking(rows=result, currency=reporting_currency(), unrated=unrated)


@dataclass(frozen=True)
class ConcentrationFigures:
    territory_id: int | None  # None: the whole company
    accounts: int
    total_revenue: Decimal
    top1_share: Decimal
    top5_share: Decimal
    top20_share: Decimal  # the top 20 % of the accounts with revenue
    hhi: Decimal  # Herfindahl-Hirschman index of the shares in per cent (0-10,000)


def concentration_of(*, ranking: Ranking) -> list[ConcentrationFigures]:
    """Each territory's and the company's concentration of revenue (the ranking's currency),
    from a ranking: over the accounts with revenue, in rank order, the share of the top one,
    the top five and the top 20 % of them (rounded up), and the HHI. No query: the ABC run's
    one ranking statement serves the classes and the concentration."""
    by_territory: dict[int | None, list[Decimal]] = {}
    for row in ranking.rows:  # by rank: revenue descending, then account
        if row.revenue > 0:
            by_territory.setdefault(row.territory_id, []).append(row.revenue)
    everyone = [row.revenue for row in ranking.rows if row.revenue > 0]
    scopes = [*sorted(by_territory.items()), (None, everyone)] if everyone else []
    return [_concentration(territory_id, revenues) for territory_id, revenues in scopes]


def _concentration(territory_id: int | None, revenues: list[Decimal]) -> ConcentrationFigures:
    # Exact sums of squares: a context wide enough for (12 digits and 2 places)² x accounts.
    with localcontext(prec=60):
        total = sum(revenues, ZERO)
        squares = sum((revenue * revenue for revenue in revenues), ZERO)
        hhi = (squares * 10000 / (total * total)).quantize(Decimal("0.01"))
    top20 = -(-len(revenues) // 5)  # the accounts ranked within the first 20 %, rounded up
    return ConcentrationFigures(
        territory_id=territory_id,
        accounts=len(revenues),
        total_revenue=total.quantize(Decimal("0.01")),
        top1_share=_share(revenues[0], total),
        top5_share=_share(sum(revenues[:5], ZERO), total),
        top20_share=_share(sum(revenues[:top20], ZERO), total),
        hhi=hhi,
    )


class TierMove(NamedTuple):
    """The tier an account's tier must become, and its share and rank for the trail."""

    tier: str
    share: Decimal
    rank: int


def concentration_compute(*, as_of: date) -> list[ConcentrationFigures]:
    """The company's and each territory's concentration of revenue in the reporting currency
    over the twelve months to `as_of` (the ranking's one statement)."""
    return concentration_of(ranking=abc_ranking(as_of=as_of))


# --- Reads for the pages ----------------------------------------------------------------------


def classes_visible_to(*, user, territory_id: int | None = None) -> QuerySet[AccountClass]:
    """The computed classes of the accounts `user` sees, with the account and its live manual
    tier, by rank."""
    accounts = Account.objects.visible_to(user)
    if territory_id:
        accounts = accounts.filter(territory_id=territory_id)
    return (
        AccountClass.objects.filter(account__in=accounts)
        .select_related("account", "account__owner", "account__territory")
        .order_by("rank")
    )


def live_overrides(*, account_ids, today: date) -> dict[int, TierOverride]:
    """The manual tiers in force on `today`, by account. One query."""
    return {
        override.account_id: override
        for override in TierOverride.objects.filter(
            account_id__in=account_ids, lifted_at__isnull=True, expires_on__gte=today
        ).select_related("set_by")
    }


def tier_history(*, account_ids) -> QuerySet[TierChange]:
    return TierChange.objects.filter(account_id__in=account_ids).select_related("account", "by")


def concentration_trend(*, territory_id: int | None, months: int = 12) -> list[Concentration]:
    """The last `months` monthly snapshots of the company (None) or a territory, oldest first."""
    rows = Concentration.objects.filter(territory_id=territory_id).order_by("-month")[:months]
    return list(reversed(rows))


@dataclass(frozen=True)
class ClassSplit:
    tier: str
    accounts: int
    revenue: Decimal
    share: Decimal


def class_split(*, classes: list[AccountClass], by_margin: bool = False) -> list[ClassSplit]:
    """How many accounts and how much of the revenue (or margin) each class holds."""
    value = "margin" if by_margin else "revenue"
    cls = "margin_class" if by_margin else "computed"
    total = sum((max(getattr(c, value), ZERO) for c in classes), ZERO)
    result = []
    for tier in ("A", "B", "C"):
        rows = [c for c in classes if getattr(c, cls) == tier]
        amount = sum((max(getattr(c, value), ZERO) for c in rows), ZERO)
        result.append(ClassSplit(tier, len(rows), amount, _share(amount, total)))
    return result


def last_run():
    return AbcRun.objects.select_related("ran_by").first()
