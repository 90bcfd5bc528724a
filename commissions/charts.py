"""Charts drawn once on the server (pygal SVG), shown inline by the pages."""

import base64
from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#bbb",
    colors=("#2563eb", "#d97706", "#059669", "#9333ea"),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=14,
    tooltip_font_size=13,
)


def _render(chart) -> str:
    """A data: URI for an <img>: the SVG keeps its own styles there (the page's strict CSP
    forbids inline styles, and lets images come from data: URIs), and it runs no script."""
    svg = chart.render(is_unicode=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def pareto_svg(*, classes, by_margin: bool = False) -> str:
    """The Pareto curve: cumulative share of revenue (or margin) against the share of accounts,
    with the A and A+B boundaries."""
    values = [max(c.margin if by_margin else c.revenue, Decimal(0)) for c in classes]
    values.sort(reverse=True)
    total = sum(values)
    chart = pygal.XY(
        style=STYLE,
        height=320,
        width=720,
        show_dots=False,
        dynamic_print_values=False,
        x_title=_("Share of accounts (%)"),
        y_title=_("Cumulative share (%)"),
        range=(0, 100),
        xrange=(0, 100),
        legend_at_bottom=True,
        js=[],
    )
    points, running, count = [(0.0, 0.0)], Decimal(0), len(values)
    step = max(1, count // 200)  # at most ~200 points, however many accounts
    for index, value in enumerate(values, start=1):
        running += value
        if index % step == 0 or index == count:
            points.append((index * 100 / count, float(running * 100 / total) if total else 0.0))
    chart.add(_("Cumulative share"), points)
    chart.add(_("80 %"), [(0, 80), (100, 80)], stroke_style={"dasharray": "4,4"})
    chart.add(_("95 %"), [(0, 95), (100, 95)], stroke_style={"dasharray": "2,4"})
    return _render(chart)


def trend_svg(*, trend) -> str:
    """Concentration month by month: the top account's, the top 5's and the top 20 %'s share."""
    chart = pygal.Line(
        style=STYLE,
        height=260,
        width=720,
        x_label_rotation=0,
        range=(0, 100),
        legend_at_bottom=True,
        js=[],
    )
    chart.x_labels = [row.month.strftime("%m/%y") for row in trend]
    chart.add(_("Top account"), [float(row.top1_share) for row in trend])
    chart.add(_("Top 5"), [float(row.top5_share) for row in trend])
    chart.add(
        _("Top %(share)s %% of accounts") % {"share": 20}, [float(row.top20_share) for row in trend]
    )
    return _render(chart)
