"""Filter pieces shared by every app's FilterSets (pages and API alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


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
    """Sorts by the requested order, then by id, so pages neither repeat nor skip rows."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*(queryset.query.order_by or queryset.model._meta.ordering), "pk")


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
