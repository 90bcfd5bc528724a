"""Filter pieces shared by every app's FilterSets (pages and API alike)."""

from collections.abc import Callable

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

ANY = _("Any")


class AnyYesNoSelect(forms.NullBooleanSelect):
    """Yes / No, or "Any" (not Django's "Unknown"): a filter left alone narrows nothing."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", ANY), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose "any" says so; `?name=true|false` in the API as before."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A record id: a whole number in the database's range, else "enter a whole number".

    Use it, not a ModelChoiceFilter, for records under accounts: a choice filter answers
    "invalid choice" for ids that do not exist and so reveals which out-of-scope ids do.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StableOrderingFilterSet(django_filters.FilterSet):
    """Sorts by the requested order, then by id, so pages neither repeat nor skip rows.

    A number filter on a decimal column takes that column's digits: a value the column cannot
    hold (-1e131073) is a 400 naming the filter, not an overflow in the database adapter.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number_filter in self.filters.values():
            if isinstance(number_filter, django_filters.NumberFilter):
                column = _decimal_column(self._meta.model, number_filter.field_name)
                if column is not None:
                    number_filter.extra.setdefault("max_digits", column.max_digits)
                    number_filter.extra.setdefault("decimal_places", column.decimal_places)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*(queryset.query.order_by or queryset.model._meta.ordering), "pk")


def _decimal_column(model, path: str) -> models.DecimalField | None:
    field = get_model_field(model, path)
    return field if isinstance(field, models.DecimalField) else None


class SearchFilter(django_filters.CharFilter):
    """Free text matched, case-insensitively, against any of `fields`; blank matches all."""

    def __init__(self, *, fields: list[str], **kwargs):
        kwargs.setdefault("label", _("Search"))
        self.search_fields = fields
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        value = (value or "").strip()
        if not value:
            return queryset
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)


class OwnerFilter(django_filters.ModelChoiceFilter):
    """The owner KAM, chosen among `owners(user)`: the KAMs whose records the user may see.

    `owners` comes from the access rule (team), which core does not import.
    """

    def __init__(self, *, owners: Callable, **kwargs):
        kwargs.setdefault("label", _("Owner KAM"))
        kwargs.setdefault("empty_label", ANY)

        def choices(request):
            if request is None:
                return get_user_model().objects.none()
            return owners(request.user)

        super().__init__(queryset=choices, **kwargs)
