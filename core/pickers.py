"""Type-ahead pickers: a select that Tom Select (static/vendor/tom-select) turns into a
searchable box, fed by a small JSON endpoint per kind of record (each app's `pick_*` views).

The page renders only the chosen option, never the whole list (176 accounts for a director);
the endpoint answers the first matches of what was typed, from the access-scoped queryset, so a
picker offers only what the user may see. The form still validates the choice against its own
queryset, so a hand-made request cannot pick anything else.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .search import SearchQuery, text_match

PICK_LIMIT = 20


class PickerSelect(forms.Select):
    """A select searched as you type. `url_name` is the JSON endpoint; `depends` names fields
    of the same form whose values are sent along (`?owner=5`) to narrow the choices."""

    def __init__(self, url_name: str, *, depends: tuple[str, ...] = (), params=None, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.depends = depends
        self.params = dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.url_name, copy.depends, copy.params = self.url_name, self.depends, dict(self.params)
        return copy

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-picker"] = str(reverse_lazy(self.url_name))
        if self.depends:
            attrs["data-picker-depends"] = " ".join(self.depends)
        if self.params:
            attrs["data-picker-params"] = urlencode(self.params)
        return attrs

    def optgroups(self, name, value, attrs=None):
        """Only the empty choice and the chosen ones: the rest come from the endpoint."""
        chosen = [str(v) for v in value if v not in (None, "")]
        options = [self.create_option(name, "", self._empty_label(), not chosen, 0)]
        for index, (key, label) in enumerate(self._chosen_choices(chosen), start=1):
            options.append(self.create_option(name, key, label, True, index))
        return [(None, options, 0)]

    def _empty_label(self) -> str:
        """The field's own "Any" on a filter; otherwise an invitation to type."""
        label = getattr(getattr(self.choices, "field", None), "empty_label", None)
        return label if label and label != "---------" else _("Type to search…")

    def _chosen_choices(self, chosen: list[str]):
        if not chosen:
            return []
        iterator = self.choices
        if hasattr(iterator, "queryset"):  # a model choice: read the chosen rows alone
            ids = [v for v in chosen if v.isdigit()]
            rows = iterator.queryset.filter(pk__in=ids)
            return [(str(row.pk), iterator.field.label_from_instance(row)) for row in rows]
        # A plain id (a list filter): the label is fetched by the picker (`?ids=`).
        return [(v, f"#{v}") for v in chosen if v.isdigit()]


class PickerIdInput(PickerSelect):
    """For a number field (a list filter's record id): the same picker, a plain value."""

    def format_value(self, value):
        return [] if value in (None, "") else [str(value)]


def picker_response(
    request,
    queryset: QuerySet,
    *,
    fields: list[str],
    label,
    detail=None,
    narrow: dict[str, str] | None = None,
) -> JsonResponse:
    """The first PICK_LIMIT rows of `queryset` matching `?q=` in `fields` (or those of `?ids=`),
    narrowed by the parameters in `narrow` (`{"owner": "owner_id"}`) that hold whole numbers.

    Answers `{"results": [{"value", "text", "detail"}]}`.
    """
    for param, lookup in (narrow or {}).items():
        value = request.GET.get(param, "")
        if value.isdigit():
            queryset = queryset.filter(**{lookup: int(value)})
    ids = [v for v in request.GET.get("ids", "").split(",") if v.isdigit()][:PICK_LIMIT]
    if ids:
        queryset = queryset.filter(pk__in=ids)
    else:
        query = SearchQuery.parse(request.GET.get("q", ""))
        if query.words:
            queryset = queryset.filter(text_match(fields, query) | _by_number(query))
    rows = queryset[:PICK_LIMIT]
    results = [
        {"value": row.pk, "text": label(row), "detail": detail(row) if detail else ""}
        for row in rows
    ]
    return JsonResponse({"results": results})


def _by_number(query: SearchQuery) -> Q:
    return Q(pk=query.number) if query.number is not None else Q(pk__in=[])


def use_picker(field: forms.Field, url_name: str, **options) -> None:
    """Make a form's choice `field` a picker (after its queryset is set)."""
    field.widget = PickerSelect(url_name, **options)
    field.widget.choices = field.choices
