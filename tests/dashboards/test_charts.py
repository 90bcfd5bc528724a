"""Charts are SVG the Content-Security-Policy lets through (no inline style or script) and
every bar links to its drill-down."""

from decimal import Decimal as D

from core.charts import Point, bar_chart, line_chart


def test_a_chart_has_no_inline_style_or_script_and_links_its_bars():
    svg = bar_chart(
        labels=["alice", "bob"],
        series={"Invoiced": [Point(D("500"), "/drill/1/"), Point(D("900"), "/drill/2/")]},
    )
    assert svg.startswith("<svg")
    assert "<style" not in svg
    assert "<script" not in svg
    assert "style=" not in svg
    assert 'xlink:href="/drill/1/"' in svg
    assert 'xlink:href="/drill/2/"' in svg
    assert "viewBox" in svg and 'width="' not in svg.split(">", 1)[0]


def test_labels_are_escaped():
    svg = line_chart(labels=["<b>x</b>"], series={"s": [Point(1)]})
    assert "<b>x</b>" not in svg
