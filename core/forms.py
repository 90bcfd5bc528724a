"""Glue between forms and services, shared by every app's views."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
