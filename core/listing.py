"""Pieces every list page shares: totals per currency, sortable column headers and the
saved views menu."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Count, QuerySet, Sum
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .exports import CHUNK, Column, export_format, export_response
from .money import money_round
from .pagination import DeepPaginator

ORDERING_PARAM = "ordering"
PAGE_SIZE = 25
# Parameters that are not part of what a list shows: never saved in a view.
NOT_FILTERS = ("page", "export")

# Saved views live in `team` (core has no models); team registers the reader in its ready().
_saved_views_source: Callable[..., Any] | None = None


def register_saved_views(source: Callable[..., Any]) -> None:
    """`source(user=, list_key=, query=)` returns the saved views menu of a list page."""
    global _saved_views_source
    _saved_views_source = source


def list_query(params: QueryDict) -> str:
    """A list's filters and sort (`request.GET`) as a query string: without the page number,
    the export format and the empty filters, so one view reads the same however it was
    reached."""
    query = params.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    for name in list(query):
        values = [value for value in query.getlist(name) if value.strip()]
        if values:
            query.setlist(name, values)
        else:
            del query[name]
    return query.urlencode()


def saved_views(request):
    """The saved views menu of the list page being shown, or None (no source, anonymous, or a
    page that is not reached by a URL name)."""
    match = getattr(request, "resolver_match", None)
    if _saved_views_source is None or match is None or not request.user.is_authenticated:
        return None
    return _saved_views_source(
        user=request.user, list_key=match.view_name, query=list_query(request.GET)
    )


@dataclass(frozen=True)
class Totals:
    """What a list sums: the amount field and the currency field beside it."""

    amount: str
    currency: str = "currency"


def list_page(request, filterset, *, columns: list[Column], export_name: str, totals=None):
    """A filtered list's page data, or its export when `?export=csv|xlsx` is asked for.

    Returns `(context, None)` for the page: the page of rows, the query string without the page
    number (for pagination, sorting and export links) and the totals per currency of the whole
    filtered set; or `(None, response)` with the download.
    """
    fmt = export_format(request)
    if fmt:
        rows = filterset.qs.iterator(chunk_size=CHUNK)
        return None, export_response(rows=rows, columns=columns, filename=export_name, fmt=fmt)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": DeepPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "totals": (
            totals_by_currency(filterset.qs, amount=totals.amount, currency=totals.currency)
            if totals
            else None
        ),
        "current_ordering": request.GET.get(ORDERING_PARAM, ""),
        "saved_views": saved_views(request),
    }
    return context, None


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    count: int
    amount: Decimal


def totals_by_currency(
    queryset: QuerySet, *, amount: str, currency: str = "currency"
) -> list[CurrencyTotal]:
    """How many rows of the whole filtered `queryset` there are and what `amount` sums to, per
    currency (never one sum over two currencies). One grouped query.

    The rows are taken by id, so the list's own annotations, joins and order do not disturb
    the grouping.
    """
    rows = (
        queryset.model._default_manager.filter(pk__in=queryset.order_by().values("pk"))
        .values(currency)
        .annotate(count=Count("pk", distinct=True), amount=Sum(amount))
        .order_by(currency)
    )
    return [
        CurrencyTotal(
            currency=row[currency],
            count=row["count"],
            amount=money_round(row["amount"] or Decimal(0), row[currency]),
        )
        for row in rows
    ]


register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label: str, css: str = ""):
    """A column header that sorts the list by `key`; clicked again, the other way round.

    The current sort is shown with an arrow and `aria-sort`; the other filters are kept.
    """
    request = context["request"]
    current = request.GET.get(ORDERING_PARAM, "")
    query = request.GET.copy()
    for name in ("page", "export"):
        query.pop(name, None)
    query[ORDERING_PARAM] = f"-{key}" if current == key else key
    state, arrow = "none", ""
    if current == key:
        state, arrow = "ascending", " ▲"
    elif current == f"-{key}":
        state, arrow = "descending", " ▼"
    title = _("Sort by %(column)s") % {"column": label.lower()}
    return format_html(
        '<th class="sortable {}" aria-sort="{}"><a href="?{}" title="{}">{}{}</a></th>',
        css,
        state,
        query.urlencode(),
        title,
        label,
        arrow,
    )
