"""Reads of the health score: one account's (the account page, the QBR pack) and many
accounts' latest with last month's beside it (the dashboards), each in a fixed few queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from accounts.models import Account
from core import charts

from .models import COMPONENTS, HealthScore
from .reasons import COMPONENT_LABELS, reason_text

TREND_MONTHS = 12


@dataclass(frozen=True)
class ComponentView:
    key: str
    label: str
    score: int
    weight: int
    reason: str


@dataclass(frozen=True)
class AccountHealth:
    account_id: int
    score: int | None
    month: date | None
    previous: int | None  # last month's score
    components: list[ComponentView]
    trend: list[tuple[date, int]]  # oldest first

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def band(self) -> str:
        return band(self.score)

    def chart(self) -> SafeString:
        return charts.line_chart(
            labels=[f"{month:%m.%Y}" for month, _ in self.trend],
            series={"": [charts.Point(score) for _, score in self.trend]},
            height=180,
        )


def band(score: int | None) -> str:
    """good / watch / poor, for colour and sorting."""
    if score is None:
        return "none"
    if score >= 70:
        return "good"
    return "watch" if score >= 40 else "poor"


def account_health(account_id: int, *, currency: str | None = None) -> AccountHealth:
    """One account's latest score, its components with their reasons and the trend of the
    last 12 months. One query (two without `currency`, for the reasons' money). The caller
    checks the account is visible to the reader."""
    rows = list(HealthScore.objects.filter(account_id=account_id).order_by("-month")[:TREND_MONTHS])
    if currency is None:
        currency = Account.objects.filter(pk=account_id).values_list("currency", flat=True).first()
    if not rows:
        return AccountHealth(account_id, None, None, None, [], [])
    latest = rows[0]
    weights = latest.weights or {}
    components = [
        ComponentView(
            key=name,
            label=str(COMPONENT_LABELS[name]),
            score=getattr(latest, name),
            weight=weights.get(name, 0),
            reason=reason_text(latest.reasons.get(name, {}), currency or ""),
        )
        for name in COMPONENTS
    ]
    return AccountHealth(
        account_id=account_id,
        score=latest.score,
        month=latest.month,
        previous=rows[1].score if len(rows) > 1 else None,
        components=components,
        trend=[(row.month, row.score) for row in reversed(rows)],
    )


@dataclass(frozen=True)
class HealthRow:
    account_id: int
    name: str
    score: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.score - self.previous

    @property
    def band(self) -> str:
        return band(self.score)


def latest_scores(*, accounts: QuerySet[Account]) -> dict[int, HealthRow]:
    """The latest score of each of `accounts` and the month before's. One query."""
    rows = (
        HealthScore.objects.filter(account__in=accounts.order_by().values("pk"))
        .order_by("account_id", "-month")
        .values_list("account_id", "account__name", "month", "score")
    )
    latest: dict[int, HealthRow] = {}
    months: dict[int, date] = {}
    for account_id, name, month, score in rows:
        if account_id not in latest:
            latest[account_id] = HealthRow(account_id, name, score, None)
            months[account_id] = month
        elif latest[account_id].previous is None and month < months[account_id]:
            latest[account_id] = HealthRow(account_id, name, latest[account_id].score, score)
    return latest


def health_scores_for_listing(*, user) -> QuerySet[HealthScore]:
    return (
        HealthScore.objects.visible_to(user)
        .select_related("account")
        .order_by("account__name", "-month")
    )
