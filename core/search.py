"""Global search: one box in the navigation, answers from every app.

Each app that has something to find offers `search.py` with a function
`search_groups(*, user, query) -> list[SearchGroup]`; `search_everywhere` finds them by module
name, in INSTALLED_APPS order (like `demo.py`), so a later app (invoices) adds its kind of record
without changing this module or the apps below it. A provider reads through the access
queryset of its model, so nobody finds what they may not open.

Text is matched word by word (every word somewhere in the record's fields), ignoring case, and
on PostgreSQL also accents ("Wisniewska" finds "Wiśniewska") through `kam_unaccent`, the
IMMUTABLE wrapper of `unaccent` that the trigram indexes are built on (see the accounts and
deals migrations `search_trigram_indexes`). SQLite has neither: a plain LIKE there.
"""

import importlib
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.apps import apps
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Collate, Lower
from django.db.models.lookups import Contains, StartsWith
from django.utils.module_loading import module_has_submodule

GROUP_SIZE = 5  # hits shown per kind; one more is read to know whether there are more
MAX_WORDS = 5
MIN_LENGTH = 2


class Unaccent(Func):
    """`kam_unaccent(text)`: PostgreSQL only (see the module docstring)."""

    function = "kam_unaccent"
    output_field = TextField()


@dataclass(frozen=True)
class SearchQuery:
    """What the user typed: the text, its words, and a record number if it looks like one."""

    text: str
    words: tuple[str, ...]
    number: int | None

    @classmethod
    def parse(cls, text: str) -> "SearchQuery":
        text = " ".join(text.split())[:100]
        words = tuple(text.split()[:MAX_WORDS])
        digits = text.lstrip("#")
        number = int(digits) if digits.isdigit() and len(digits) < 12 else None
        return cls(text=text, words=words, number=number)

    @property
    def is_empty(self) -> bool:
        return len(self.text) < MIN_LENGTH


@dataclass(frozen=True)
class SearchHit:
    label: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    """One kind of record found ("Accounts"), its first hits, whether more matched than shown
    and where to see them all (a kind without a list of its own, like contacts, has no link)."""

    kind: str
    hits: list[SearchHit]
    more_url: str | None = None
    more: bool = False


def text_match(fields: list[str], query: SearchQuery) -> Q:
    """Every word of `query` in at least one of `fields`; accents ignored on PostgreSQL."""
    if not query.words:
        return Q(pk__in=[])
    return _every_word(fields, query.words)


def _every_word(fields: list[str], words: tuple[str, ...]) -> Q:
    return reduce(and_, (_word_match(fields, word) for word in words), Q())


def _word_match(fields: list[str], word: str) -> Q:
    if connection.vendor == "postgresql":
        needle = Unaccent(Value(word.lower()))
        return reduce(or_, (Q(Contains(Unaccent(Lower(F(f))), needle)) for f in fields))
    return reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields))


def _starts_with(field: str, word: str) -> Q:
    """`field` begins with `word`; on PostgreSQL accents ignored and compared as the name
    indexes (`*_name_order`) are built, so the planner can read them as a range."""
    if connection.vendor == "postgresql":
        return Q(StartsWith(_name_key(field), Unaccent(Value(word.lower()))))
    return Q(**{f"{field}__istartswith": word})


def _name_key(field: str):
    """How a name is sorted and prefix-matched on PostgreSQL: folded like the search, byte order
    (so "Ślusarz" files under S; a btree on exactly this expression answers both)."""
    return Collate(Unaccent(Lower(F(field))), "C")


def hits_and_more(rows: list, make_hit) -> tuple[list[SearchHit], bool]:
    """The first GROUP_SIZE of `rows` (read with one extra) as hits, and whether there are more."""
    return [make_hit(row) for row in rows[:GROUP_SIZE]], len(rows) > GROUP_SIZE


def text_group(
    *,
    kind: str,
    queryset,
    fields: list[str],
    query: SearchQuery,
    hit,
    more_url: str | None = None,
) -> SearchGroup:
    """The first records of `queryset` (ordered already) with every word of `query` in
    `fields`, as hits; `more_url` (the list with `?q=`) offered when there are more. One query."""
    rows = list(queryset.filter(text_match(fields, query))[: GROUP_SIZE + 1])
    return _group(kind, rows, hit, query, more_url)


def name_group(
    *,
    kind: str,
    queryset,
    fields: list[str],
    name: list[str],
    query: SearchQuery,
    hit,
    more_url: str | None = None,
) -> SearchGroup:
    """Like `text_group`, for records known by a name (`name`: its fields, most significant
    first, e.g. last then first name). Records whose `name[0]` starts with the first word come
    first, then the ones that only contain the words somewhere; A-Z by `name` within each
    (on PostgreSQL the first ones with accents ignored, in byte order).

    On PostgreSQL this is two ordered, limited selects glued with UNION ALL and limited again:
    the first one walks the `*_name_order` btree from the typed prefix and stops after a handful
    of rows, and the second (the rest, sorted) is only executed when the first did not fill the
    group. Sorting every match instead costs ~60 ms when 28,000 of 200,000 contacts share a
    surname (bench/README.md, "Search (search)"). One query either way."""
    if not query.words:
        return SearchGroup(kind=kind, hits=[])
    match = text_match(fields, query)
    starts = _starts_with(name[0], query.words[0])
    size = GROUP_SIZE + 1
    if connection.vendor == "postgresql":
        # The prefix implies the first word is in there: left out, so the btree is the way in.
        first = queryset.filter(starts & _every_word(fields, query.words[1:]))
        first = first.order_by(*(_name_key(field) for field in name), "pk")
        # The rest by the plain name: sorted in memory. Ordered like the btree, the planner
        # may walk it through the contains filter instead, and that took 560 ms in the bench.
        rest = queryset.filter(match & ~starts).order_by(*name, "pk")
        first, rest = (
            part.annotate(search_tier=Value(n, output_field=IntegerField()))[:size]
            for n, part in enumerate((first, rest))
        )
        # Appended in this order; sorted again (stably) in case a plan ever interleaves them.
        rows = sorted(first.union(rest, all=True)[:size], key=lambda row: row.search_tier)
    else:
        tier = Case(When(starts, then=0), default=1, output_field=IntegerField())
        rows = list(queryset.filter(match).order_by(tier, *name, "pk")[:size])
    return _group(kind, rows, hit, query, more_url)


def _group(kind: str, rows: list, hit, query: SearchQuery, more_url: str | None) -> SearchGroup:
    hits, more = hits_and_more(rows, hit)
    more_url = f"{more_url}?{urlencode({'q': query.text})}" if more and more_url else None
    return SearchGroup(kind=kind, hits=hits, more_url=more_url, more=more)


def search_everywhere(*, user, text: str) -> list[SearchGroup]:
    """The groups of every app's provider that found something, in INSTALLED_APPS order."""
    query = SearchQuery.parse(text)
    if query.is_empty:
        return []
    groups: list[SearchGroup] = []
    for provider in _providers():
        groups.extend(group for group in provider(user=user, query=query) if group.hits)
    return groups


def _providers():
    return [
        importlib.import_module(f"{app.name}.search").search_groups
        for app in apps.get_app_configs()
        if app.name != __package__ and module_has_submodule(app.module, "search")
    ]
