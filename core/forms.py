"""Glue between forms and services, shared by every app's views."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

T = TypeVar("T")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SplitDateTimeWidget(forms.SplitDateTimeWidget):
    """Django's, also for an initial value taken from the query string (`?starts_at=...`):
    a text is read as a local date-time, and anything it cannot read leaves the inputs empty
    instead of raising."""

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = parse_datetime(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, datetime):
            return [None, None]
        return super().decompress(value)


def form_submit(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run `action` (a service call) if the form is valid.

    Returns its result, or None when the form or the service refused the input; the errors
    are then on the form, next to the fields they concern, and the user's input is kept.
    """
    if not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


# A DecimalField that reads and shows numbers in the user's language; since
# core.numbers.install_decimal_input every forms.DecimalField does, this name says so.
LocalizedDecimalField = forms.DecimalField
