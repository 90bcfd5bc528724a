"""`{% planner_rows week planner_url plan_at %}`: the planner's hour rows, drawn in Python.

The grid is 98 cells and their cards; through the template engine each of its ~1,200
variables cost a lookup, a resolve and an escape, most of the page's time. Here each card and
each cell is one `format_html`, which escapes every value as `{{ }}` does, and the markup,
whitespace included, is the one the template wrote (a test renders both and compares them).
"""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join

from ..models import ActivityStatus, ActivityType

register = template.Library()

_CARD = (
    "\n          "
    '<a class="pl-item type-{type} st-{status}" href="?{query}&amp;open={pk}"'
    ' hx-get="{url}?{query}&amp;open={pk}" hx-target="#planner" data-activity="{pk}">'
    '\n            <span class="pl-time">{time}</span>'
    '\n            <span class="pl-type">{type_label}</span>'
    '\n            <span class="pl-account">{account}</span>'
    "\n            {status_label}"
    "\n          </a>\n          "
)
_STATUS = '<span class="pl-status">{}</span>'
_CELL = (
    '\n        <td class="slot{today}" data-slot="{key}">\n          {cards}'
    '\n          <a class="pl-new" href="?{query}&amp;new={key}"'
    ' hx-get="{url}?{query}&amp;new={key}" hx-target="#planner"'
    ' title="{plan_at} {label}" aria-label="{plan_at} {label}">+</a>'
    "\n        </td>\n      "
)
_ROW = '\n      <tr><th class="hour">{hour}:00</th>\n      {cells}\n      </tr>\n    '


@register.simple_tag
def planner_rows(week, planner_url, plan_at):
    """The `<tr>`s of `week.rows`: per cell its "plan here" link, per activity its card."""
    # Escaped once, not in each of the 98 cells.
    query, planner_url, plan_at = map(conditional_escape, (week.query, planner_url, plan_at))
    # `get_type_display()` hashes every choice's lazy label, a translation each, per call.
    types = _labels(ActivityType)
    statuses = _labels(ActivityStatus)

    def cards(cell):
        for entry in cell.entries:
            activity = entry.activity
            yield {
                "type": activity.type,
                "status": activity.status,
                "query": query,
                "url": planner_url,
                "pk": str(activity.pk),
                "time": entry.time,
                "type_label": types.get(activity.type, activity.type),
                "account": activity.account.name,
                "status_label": ""
                if activity.status == "planned"
                else format_html(_STATUS, statuses.get(activity.status, activity.status)),
            }

    def cells(row):
        for cell in row:
            yield {
                "today": " today" if cell.today else "",
                "key": cell.key,
                "cards": format_html_join("", _CARD, cards(cell)),
                "query": query,
                "url": planner_url,
                "plan_at": plan_at,
                "label": cell.label,
            }

    return format_html_join(
        "",
        _ROW,
        (
            {"hour": f"{hour:02d}", "cells": format_html_join("", _CELL, cells(row))}
            for hour, row in week.rows
        ),
    )


def _labels(choices) -> dict[str, str]:
    """The choices' labels in the current language, as `get_FOO_display()` gives them."""
    return {value: str(label) for value, label in choices.choices}
