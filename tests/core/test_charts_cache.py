"""A chart is drawn once for its figures (core.charts keeps the SVG in the cache)."""

import uuid
from decimal import Decimal as D

import pygal

from core import charts
from core.charts import Point, line_chart


def _counting_line(monkeypatch) -> list:
    drawn = []

    class Line(pygal.Line):
        def __init__(self, *args, **kwargs):
            drawn.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(charts.pygal, "Line", Line)
    return drawn


def test_the_same_figures_are_drawn_once_and_give_the_same_svg(monkeypatch):
    drawn = _counting_line(monkeypatch)
    labels = [uuid.uuid4().hex[:8], "b"]
    first = line_chart(labels=labels, series={"": [Point(D("1.5")), Point(2)]}, height=180)
    second = line_chart(labels=labels, series={"": [Point(D("1.5")), Point(2)]}, height=180)
    assert len(drawn) == 1
    assert second == first and second.startswith("<svg")


def test_other_figures_are_another_chart(monkeypatch):
    drawn = _counting_line(monkeypatch)
    labels = [uuid.uuid4().hex[:8], "b"]
    one = line_chart(labels=labels, series={"": [Point(1), Point(2)]})
    other = line_chart(labels=labels, series={"": [Point(1), Point(3)]})
    assert len(drawn) == 2
    assert one != other
