"""A chart in a PDF looks as it does on its page: WeasyPrint styles an inline SVG only from a
style element inside it, so reports/pdf.py puts there the pages' chart rules
(static/css/dashboards.css) for that chart's kind, with the colours' var() resolved."""

import re
from decimal import Decimal
from types import SimpleNamespace

from dashboards.charts import plan_chart
from reports.kinds.plan_fulfilment import _chart as pdf_plan_chart
from reports.pdf import _chart_style, _styled_charts

SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="pygal-chart chart-svg" viewBox="0 0 9 9">'


def _style_in(html: str) -> str:
    return re.search(r"<style>(.*?)</style>", html, re.S).group(1)


def test_every_chart_takes_the_pages_colours_with_their_variables_resolved():
    style = _chart_style(frozenset())
    assert ".color-0 { fill: #1f4e79; stroke: #1f4e79; }" in style
    assert ".no_data { font-size: 28px; text-anchor: middle; fill: #6b7280; }" in style
    assert "var(" not in style
    assert '"DejaVu Sans"' in style  # the shipped font, not the system's of the pages


def test_screen_only_rules_and_other_kinds_rules_stay_out():
    style = _chart_style(frozenset())
    assert ":hover" not in style and ":focus" not in style
    assert ".serie-0 .rect" not in style  # the plan chart's outline
    assert "#facc15" not in style  # the aging chart's 1-30 days


def test_a_chart_in_a_plan_chart_figure_draws_the_plan_as_an_outline_over_the_base_colours():
    html = _styled_charts(f'<figure class="figure keep plan-chart">{SVG}<g/></svg></figure>')
    style = _style_in(html)
    outline = style.index(".serie-0 .rect { fill: none; stroke: #111827;")
    assert style.index(".color-1 { fill: #93c5fd;") < style.index(".color-1 { fill: #1f4e79;")
    assert style.index(".color-0 { fill: #1f4e79;") < outline


def test_a_chart_outside_a_figure_gets_the_common_rules_only():
    html = _styled_charts(f"<p>x</p>{SVG}<g/></svg>")
    assert _style_in(html) == _chart_style(frozenset())
    assert html.startswith("<p>x</p><svg")


def test_no_chart_leaves_the_html_alone():
    html = "<h1>Statement</h1><table></table>"
    assert _styled_charts(html) == html


def _legend(svg: str) -> list[str]:
    legends = svg[svg.index('class="legends"') :]
    return re.findall(r"<text[^>]*>([^<]+)</text>", legends)


def test_the_plan_fulfilment_pdf_draws_the_series_in_the_cockpits_order():
    figures = {"target": 100, "invoiced": 60, "booked": 80, "collected": 40}
    page = plan_chart(
        [
            SimpleNamespace(
                kam="Alice",
                url="/x/",
                target=Decimal(figures["target"]),
                figures=SimpleNamespace(**{k: Decimal(v) for k, v in figures.items()}),
            )
        ]
    )
    pdf = pdf_plan_chart(
        [
            SimpleNamespace(
                revenue_target=Decimal(figures["target"]),
                **{k: Decimal(figures[k]) for k in ("invoiced", "booked", "collected")},
            )
        ],
        ["Alice"],
    )
    assert _legend(str(pdf)) == _legend(str(page)) == ["Plan", "Invoiced", "Booked", "Collected"]
