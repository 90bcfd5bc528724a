"""Glue between forms and services, shared by every app's views."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
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


class NoTruncationFormRenderer(DjangoTemplates):
    """Django's form renderer, without the `maxlength` it puts on text inputs: a browser cuts
    a pasted text at that length without a word, so the limit is left to the server, which
    refuses a text over it with a message naming the limit (and keeps what was typed). The
    limit stays on the input as `data-maxlength`, for the page's script to warn early."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "maxlength" in widget.get("attrs", {}):
            attrs = dict(widget["attrs"])
            attrs["data-maxlength"] = attrs.pop("maxlength")
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return super().render(template_name, context, request=request)
