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


def test_the_legend_lies_inside_the_chart_whatever_the_number_of_series():
    import re

    for n in (1, 3, 6):
        svg = line_chart(
            labels=["a", "b"], series={f"s{i}": [Point(1), Point(2)] for i in range(n)}
        )
        height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
        top = float(re.search(r'translate\([\d.]+, ([\d.]+)\)" class="legends"', svg).group(1))
        assert top + 16 <= height  # a legend row (12 px box, 13 px text) fits


def test_an_xy_chart_links_its_points_and_draws_dots_only_series_without_a_line():
    from core.charts import Series, xy_chart

    svg = xy_chart(
        series=[
            Series("curve", [Point((0, 0)), Point((50, 80), "/a/1/")], dots=True),
            Series("key", [Point((50, 80), "/a/1/")], line=False),
        ]
    )
    assert svg.count('xlink:href="/a/1/"') == 2
    assert svg.count('class="line reactive nofill"') == 1  # the curve; the key dots have none
