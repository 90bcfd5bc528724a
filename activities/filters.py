"""One FilterSet per listable model, shared by the pages and the API."""

from datetime import date, datetime, timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import ANY, IdFilter, StableOrderingFilterSet
from core.forms import DATE_INPUT
from core.localtime import local_midnight
from core.pickers import PickerIdInput

from .kinds import KIND_LABELS
from .models import Activity, Notification


class ActivityFilterSet(StableOrderingFilterSet):
    # Plain ids, not model choices: a choice filter would answer "invalid choice" for ids
    # that do not exist and so reveal which out-of-scope ids do.
    owner = IdFilter(widget=PickerIdInput("pick_owners"))
    account = IdFilter(widget=PickerIdInput("accounts:pick", depends=("owner",)))
    type = django_filters.MultipleChoiceFilter(
        choices=Activity.Type.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Activity.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    # Days in the requesting user's own time zone, whichever way they signed in.
    date_from = django_filters.DateFilter(
        method="starting_from", label=_("From"), widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        method="starting_until", label=_("To (inclusive)"), widget=DATE_INPUT
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("starts_at", "when"),
            ("type", "type"),
            ("account__name", "account"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Activity
        fields = ["owner", "account", "type", "status", "date_from", "date_to"]

    def _midnight(self, day: date) -> datetime | None:
        """Local midnight starting `day`; None for days at the ends of the calendar."""
        try:
            return local_midnight(day, self.request.user.tzinfo)
        except OverflowError:
            return None

    def starting_from(self, queryset, name, value):
        start = self._midnight(value)
        return queryset if start is None else queryset.filter(starts_at__gte=start)

    def starting_until(self, queryset, name, value):
        end = self._midnight(value + timedelta(days=1)) if value < date.max else None
        return queryset if end is None else queryset.filter(starts_at__lt=end)


class NotificationFilterSet(StableOrderingFilterSet):
    # A choice, not a boolean filter: those ignore values they do not understand.
    unread = django_filters.ChoiceFilter(
        choices=[("true", _("Unread")), ("false", _("Read"))],
        method="by_read",
        label=_("Read or not"),
        empty_label=ANY,
    )
    kind = django_filters.ChoiceFilter(
        choices=list(KIND_LABELS.items()), label=_("Kind"), empty_label=ANY
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def by_read(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")
