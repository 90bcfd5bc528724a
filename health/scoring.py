"""How each component of the health score is scored from its figures: pure functions, so the
rules can be read (and tested) apart from the queries that gather the figures.

Each returns (score 0-100, reason), the reason being a code and its figures; `reasons.py`
turns it into words in the reader's language.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from accounts.models import ContactAttitude, ContactStage

ZERO = Decimal("0")
NEUTRAL = 50  # when there is nothing to judge by

STAGE_POINTS = {
    ContactStage.TRUSTED: 15,
    ContactStage.LOYAL: 10,
    ContactStage.ACQUAINTED: 5,
    ContactStage.UNKNOWN: 0,
}
ATTITUDE_POINTS = {ContactAttitude.SUPPORTER: 10, ContactAttitude.NEUTRAL: 5}


def clamp(value: Decimal | int | float) -> int:
    """0-100, rounded half up."""
    number = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(min(Decimal(100), max(ZERO, number)))


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def revenue_trend(*, recent: Decimal, before: Decimal) -> tuple[int, dict]:
    """The last 12 months against the 12 before: flat = 50, +50 % or more = 100, -50 % = 0."""
    if before <= 0:
        if recent > 0:
            return 70, {"code": "new_revenue", "recent": str(recent)}
        return 0, {"code": "no_revenue"}
    change = _pct(recent - before, before)
    return clamp(50 + change), {
        "code": "revenue_change",
        "change": str(change),
        "recent": str(recent),
        "before": str(before),
    }


def share_of_wallet(
    *, recent: Decimal, potential: Decimal | None, stated: Decimal | None
) -> tuple[int, dict]:
    """Revenue of the last 12 months over the estimated annual potential, in %; without an
    estimate, the share of wallet the KAM noted on the account; without either, neutral."""
    if potential and potential > 0:
        share = _pct(recent, potential)
        return clamp(share), {"code": "wallet_share", "share": str(share)}
    if stated is not None:
        return clamp(stated), {"code": "wallet_stated", "share": str(stated)}
    return NEUTRAL, {"code": "no_potential"}


@dataclass(frozen=True)
class People:
    champions: int = 0
    decision_makers: int = 0
    best_stage: str = ContactStage.UNKNOWN  # among the champions and decision-makers
    best_attitude: str = ContactAttitude.OPPONENT  # the same
    last_dm_contact: datetime | None = None
    last_contact: datetime | None = None
    cadence_days: int = 30


def relationship(*, people: People, now: datetime) -> tuple[int, dict]:
    """25 a champion known, 25 a decision-maker known, 15 for their relationship stage,
    10 for their attitude, 25 the contact cadence kept. The reason names the weakest point."""
    score = 0
    score += 25 if people.champions else 0
    score += 25 if people.decision_makers else 0
    key_people = people.champions or people.decision_makers
    score += STAGE_POINTS.get(people.best_stage, 0) if key_people else 0
    score += ATTITUDE_POINTS.get(people.best_attitude, 0) if key_people else 0
    since = (now - people.last_contact).days if people.last_contact else None
    kept = since is not None and since <= people.cadence_days
    score += 25 if kept else 0
    dm_days = (now - people.last_dm_contact).days if people.last_dm_contact else None
    if not people.decision_makers:
        reason = {"code": "no_decision_maker"}
    elif dm_days is None:
        reason = {"code": "dm_never_contacted"}
    elif dm_days > people.cadence_days:
        reason = {"code": "dm_not_contacted", "days": dm_days}
    elif not people.champions:
        reason = {"code": "no_champion"}
    elif not kept:
        reason = {"code": "cadence_missed", "days": since, "cadence": people.cadence_days}
    else:
        reason = {"code": "relationship_ok", "stage": str(people.best_stage)}
    return clamp(score), reason


def payment(
    *,
    paid: Decimal,
    on_time: Decimal,
    late_weight: Decimal,
    open_amount: Decimal,
    overdue: Decimal,
    oldest_overdue_days: int | None,
) -> tuple[int, dict]:
    """Half the on-time share of the last 12 months' payments, a quarter the average days
    late (0 days = 25, 50 days or more = 0), a quarter how little of what is open is overdue."""
    if paid <= 0 and open_amount <= 0:
        return NEUTRAL, {"code": "no_payments"}
    on_time_share = _pct(on_time, paid) if paid > 0 else Decimal(100)
    days_late = (late_weight / paid).quantize(Decimal("0.1")) if paid > 0 else ZERO
    overdue_share = _pct(overdue, open_amount) if open_amount > 0 else ZERO
    score = on_time_share / 2 + max(ZERO, 25 - days_late / 2) + (Decimal(100) - overdue_share) / 4
    if overdue > 0:
        reason = {"code": "overdue_now", "amount": str(overdue), "days": oldest_overdue_days}
    else:
        reason = {
            "code": "paid_record",
            "on_time": str(on_time_share),
            "days_late": str(days_late),
        }
    return clamp(score), reason


def service(*, open_complaints: int, returns: Decimal, recent: Decimal) -> tuple[int, dict]:
    """100 less 20 per open complaint, less twice the returns' share of revenue in %."""
    returns_share = _pct(returns, recent) if recent > 0 else ZERO
    score = Decimal(100) - 20 * open_complaints - 2 * returns_share
    if open_complaints:
        reason = {"code": "complaints_open", "count": open_complaints}
    elif returns > 0:
        reason = {"code": "returns_share", "share": str(returns_share)}
    else:
        reason = {"code": "service_ok"}
    return clamp(score), reason


def pipeline(*, weighted: Decimal, recent: Decimal) -> tuple[int, dict]:
    """Open weighted pipeline against last 12 months' revenue: half of it or more = 100."""
    if recent <= 0:
        if weighted > 0:
            return 100, {"code": "pipeline_no_revenue", "weighted": str(weighted)}
        return 0, {"code": "no_pipeline"}
    ratio = _pct(weighted, recent)
    return clamp(ratio * 2), {"code": "pipeline_ratio", "ratio": str(ratio)}


def total(components: dict[str, int], weights: dict[str, int | float]) -> int:
    """The weighted mean of the components, 0-100."""
    weight_sum = sum(Decimal(str(w)) for w in weights.values() if w > 0)
    if weight_sum <= 0:
        return NEUTRAL
    value = sum(
        Decimal(components[name]) * Decimal(str(weight))
        for name, weight in weights.items()
        if weight > 0 and name in components
    )
    return clamp(value / weight_sum)
