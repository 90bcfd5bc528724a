"""The Pareto curve and the concentration trend, drawn once on the server by core.charts
(inline SVG, styles from the CSS, every point a link): the ABC page and the director's
cockpit show the same drawing."""

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.charts import Point, Series, line_chart, xy_chart

from .selectors.abc import Thresholds, thresholds
from .selectors.pareto import ParetoPoint

MAX_POINTS = 200  # a curve over thousands of accounts keeps ~200 points (each a link)


def _link(point: ParetoPoint) -> Point:
    return Point(
        (point.accounts_share, point.cumulative_share),
        reverse("accounts:detail", args=[point.account_id]),
        f"{point.rank}. {point.name}",
    )


def pareto_chart(*, points: list[ParetoPoint], limits: Thresholds | None = None) -> SafeString:
    """The curve from (0, 0) through every account (at most ~200 shown), coloured by class
    (series 0-2: A, B, C), the key clients as dots (3), the A and A+B boundaries dashed (4,
    5). Each point links to its account."""
    limits = limits or thresholds()
    step = max(1, len(points) // MAX_POINTS)
    shown = [p for i, p in enumerate(points, start=1) if i % step == 0 or i == len(points)]
    series = []
    previous = Point((0, 0))
    for tier in ("A", "B", "C"):
        band = [_link(p) for p in shown if p.tier == tier]
        # Each band starts where the one before ended, so the curve is unbroken.
        series.append(Series(_("Class %(tier)s") % {"tier": tier}, [previous, *band], dots=True))
        if band:
            previous = band[-1]
    series.append(
        Series(_("Key clients"), [_link(p) for p in points if p.is_key], line=False, dots=True)
    )
    for share in (limits.a, limits.a + limits.b):
        series.append(
            Series(
                _("%(share)s %% of revenue") % {"share": f"{share.normalize():f}"},
                [Point((0, share)), Point((100, share))],
            )
        )
    return xy_chart(
        series=series,
        x_title=_("Share of accounts (%)"),
        y_title=_("Cumulative share (%)"),
        x_range=(0, 100),
        y_range=(0, 100),
    )


def trend_chart(*, trend, url: str) -> SafeString:
    """Concentration month by month: the top account's, the top 5's and the top 20 %'s share,
    every point a link to `url` (the ABC page of the same scope)."""
    return line_chart(
        labels=[row.month.strftime("%m/%y") for row in trend],
        series={
            _("Top account"): [Point(row.top1_share, url) for row in trend],
            _("Top 5"): [Point(row.top5_share, url) for row in trend],
            _("Top %(share)s %% of accounts") % {"share": 20}: [
                Point(row.top20_share, url) for row in trend
            ],
        },
    )
