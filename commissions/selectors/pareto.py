"""The Pareto curve of a set of accounts (a territory's, or all a reader sees): the ABC run's
rows ranked among themselves, for the ABC page and the director's cockpit alike."""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class ParetoPoint:
    """An account on the curve: its place among the accounts ranked, the cumulative share of
    revenue (or margin) down to it, its class and whether it is a key client."""

    account_id: int
    name: str
    rank: int
    accounts_share: Decimal  # per cent of the accounts ranked, down to this one
    cumulative_share: Decimal
    share: Decimal
    tier: str
    is_key: bool


def _share(part: Decimal, total: Decimal) -> Decimal:
    return (part * 100 / total).quantize(Decimal("0.1")) if total > 0 else ZERO


def pareto_points(*, classes, by_margin: bool = False) -> list[ParetoPoint]:
    """The accounts of `classes` (an ABC run's rows, one territory's or all) ranked by revenue
    (or margin) among themselves, with the cumulative share down to each."""
    value = "margin" if by_margin else "revenue"
    tier = "margin_class" if by_margin else "computed"
    ranked = sorted(classes, key=lambda c: (-getattr(c, value), c.account_id))
    total = sum((max(getattr(c, value), ZERO) for c in ranked), ZERO)
    points, running = [], ZERO
    for rank, c in enumerate(ranked, start=1):
        amount = max(getattr(c, value), ZERO)
        running += amount
        points.append(
            ParetoPoint(
                account_id=c.account_id,
                name=c.account.name,
                rank=rank,
                accounts_share=_share(Decimal(rank), Decimal(len(ranked))),
                cumulative_share=_share(running, total),
                share=_share(amount, total),
                tier=getattr(c, tier),
                is_key=c.is_key,
            )
        )
    return points
