"""The window of dates a person may enter anywhere in the CRM.

Outside it, date arithmetic (time zones, planner weeks, "in 3 days") runs off the calendar, and
a typo such as 0001-01-01 is never meant. `CoreConfig.ready` puts `validate_sensible_date` on
every Django form and DRF serializer date and date-time field, so each app's fields, filters
and API are covered without listing them.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SENSIBLE_YEARS = (1900, 2999)


def sensible_date_error(value: date | datetime) -> str | None:
    """Why `value` is outside the window, or None when it is inside."""
    if SENSIBLE_YEARS[0] <= value.year <= SENSIBLE_YEARS[1]:
        return None
    return _("Choose a date between %(first)s and %(last)s.") % {
        "first": SENSIBLE_YEARS[0],
        "last": SENSIBLE_YEARS[1],
    }


def validate_sensible_date(value: date | datetime | None) -> None:
    if value is not None and (error := sensible_date_error(value)):
        raise ValidationError(error, code="date_out_of_range")


def install_date_validators() -> None:
    """Every form and serializer date field checks the window by default (a field-class
    default, so one declared anywhere, by hand or from a model, gets it)."""
    from django import forms
    from rest_framework import serializers

    for field_class in (
        forms.DateField,
        forms.DateTimeField,
        serializers.DateField,
        serializers.DateTimeField,
    ):
        if validate_sensible_date not in field_class.default_validators:
            field_class.default_validators = [
                *field_class.default_validators,
                validate_sensible_date,
            ]
