"""Charts drawn on the server as SVG by pygal, the same markup on a page and in a PDF.

pygal writes a `<style>` and a `<script>` into every chart; the Content-Security-Policy allows
neither inline, so both are taken out and the look comes from `static/css/dashboards.css`
(classes `.chart ...`). No JavaScript is needed: every bar or point that has a drill-down is an
SVG link. The figures of each chart are shown beside it as a table by the page.
"""

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

_STRIP = [
    re.compile(r"<style[^>]*>.*?</style>", re.S),
    re.compile(r"<script[^>]*>.*?</script>", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r' style="[^"]*"'),
]


MAX_LEGEND_COLUMNS = 6
# pygal takes 10-40 ms a chart; the same figures draw the same SVG, so a chart is kept by its
# arguments (an account's health trend changes once a month, a dashboard's with new figures).
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Point:
    value: Decimal | float | int | tuple | None  # a tuple (x, y) on an XY chart
    url: str = ""
    label: str = ""


@dataclass(frozen=True)
class Series:
    """A series of an XY chart: a line through its points, or dots only (`line=False`)."""

    name: str
    points: list[Point]
    line: bool = True
    dots: bool = False


def _number(value) -> str:
    """Axis and value labels: whole numbers with thin-space thousands (readable in any
    language; the tables beside the charts carry the exact, localised figures)."""
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", "\u2009")


def _config(**extra) -> dict:
    return {
        "value_formatter": _number,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,  # a viewBox only: the chart scales with its box
        "width": 720,
        "height": 300,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "tooltip_border_radius": 0,
        "truncate_label": 18,
        "truncate_legend": -1,  # series names are short; a cut one reads as a different name
        "margin": 8,
        **extra,
    }


def _values(points: Iterable[Point]) -> list:
    values = []
    for point in points:
        if point.value is None:
            value = None
        elif isinstance(point.value, tuple):
            value = tuple(float(v) for v in point.value)
        else:
            value = float(point.value)
        entry: dict = {"value": value}
        if point.url:
            entry["xlink"] = {"href": point.url, "target": "_top"}
        if point.label:
            entry["label"] = point.label
        values.append(entry)
    return values


def _kept(draw: Callable[..., SafeString]) -> Callable[..., SafeString]:
    """`draw` once for its arguments: the SVG kept in the cache under their digest. The
    arguments are plain texts and numbers (pygal refuses lazy texts), whose repr says all."""

    @functools.wraps(draw)
    def kept(**arguments) -> SafeString:
        described = f"{pygal.__version__}|{MAX_LEGEND_COLUMNS}|{draw.__name__}|{arguments!r}"
        key = "chart:" + hashlib.sha256(described.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = draw(**arguments)
            cache.set(key, str(svg), CACHE_SECONDS)
        return mark_safe(svg)  # noqa: S308 - drawn by `draw` above, pygal's own markup

    return kept


def render(chart) -> SafeString:
    """The chart's SVG for inline use, without the style and script pygal puts in it."""
    # One legend row, as many columns as series: with fewer series than columns pygal puts
    # the legend below the chart's box, where it is cut off.
    chart.legend_at_bottom_columns = max(1, min(len(chart.raw_series), MAX_LEGEND_COLUMNS))
    svg = chart.render(is_unicode=True)
    for pattern in _STRIP:
        svg = pattern.sub("", svg)
    return mark_safe(svg.replace('class="pygal-chart"', 'class="pygal-chart chart-svg"', 1))  # noqa: S308 - pygal's own markup, values escaped by it


@_kept
def bar_chart(
    *,
    labels: list[str],
    series: dict[str, list[Point]],
    stacked: bool = False,
    horizontal: bool = False,
    title: str = "",
    height: int = 300,
) -> SafeString:
    """Bars per label, one series each (stacked: one bar per label, a segment per series)."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    if horizontal:
        kind = pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar
    chart = kind(**_config(height=max(height, 60 + 28 * len(labels)) if horizontal else height))
    chart.title = title or None
    chart.x_labels = labels
    for name, points in series.items():
        chart.add(name, _values(points))
    return render(chart)


@_kept
def line_chart(
    *, labels: list[str], series: dict[str, list[Point]], title: str = "", height: int = 260
) -> SafeString:
    chart = pygal.Line(**_config(height=height, x_label_rotation=0, dots_size=4))
    chart.title = title or None
    chart.x_labels = labels
    for name, points in series.items():
        chart.add(name, _values(points))
    return render(chart)


@_kept
def funnel_chart(*, labels: list[str], points: list[Point], title: str = "") -> SafeString:
    """A funnel drawn as horizontal bars, widest stage first (reads on a phone too)."""
    chart = pygal.HorizontalBar(**_config(height=60 + 32 * len(labels), show_legend=False))
    chart.title = title or None
    chart.x_labels = labels
    chart.add("", _values(points))
    return render(chart)


@_kept
def xy_chart(
    *,
    series: list[Series],
    x_title: str = "",
    y_title: str = "",
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    height: int = 320,
) -> SafeString:
    """Points at (x, y), each series a line or dots; a point with a URL is a link. Series are
    told apart by their place (`.serie-N` in the CSS: a dashed threshold, a band's colour)."""
    chart = pygal.XY(
        **_config(
            height=height,
            x_title=x_title or None,
            y_title=y_title or None,
            range=y_range,
            xrange=x_range,
            dots_size=4,
        )
    )
    for one in series:
        chart.add(
            one.name,
            _values(one.points),
            stroke=one.line,
            show_dots=one.dots or not one.line,
        )
    return render(chart)
