"""Glue between forms and services, shared by every app's views."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

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


class VersionedFormMixin(forms.Form):
    """A hidden `version`: the record's version the page was made from, sent back on save so
    the service refuses input made from a copy someone has saved since (core.concurrency).
    Only on edit forms; a new record has no version yet."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.fields["version"].initial = instance.version

    def restamp(self, version: int) -> None:
        """After a conflict: the page now shows the current values, so a second save
        (having seen them) is made from the current version."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = version


def conflict_values(form: forms.Form, current) -> list[tuple[str, str, bool]]:
    """(label, the value saved now, whether it differs from the user's input) for each of the
    form's fields the record has, for the "saved now by someone else" box of a conflict."""
    rows = []
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput):
            continue
        try:
            model_field = current._meta.get_field(name)
        except FieldDoesNotExist:  # a form field of the page only
            continue
        if model_field.many_to_many:
            saved = list(getattr(current, name).all())
            shown = ", ".join(map(str, saved)) or "—"
            differs = name in cleaned and set(cleaned[name]) != set(saved)
        else:
            saved = getattr(current, name)
            display = getattr(current, f"get_{name}_display", None)
            if display is not None:
                shown = str(display())
            elif isinstance(saved, bool):
                shown = str(_("Yes") if saved else _("No"))
            else:
                shown = "—" if saved in (None, "") else str(saved)
            mine = cleaned.get(name, saved)
            both_empty = mine in ("", None) and saved in ("", None)
            differs = name in cleaned and mine != saved and not both_empty
        rows.append((str(field.label or name), shown, differs))
    # What differs first: that is what the user compares; the rest follows in the form's order.
    return sorted(rows, key=lambda row: not row[2])


# A DecimalField that reads and shows numbers in the user's language; since
# core.numbers.install_decimal_input every forms.DecimalField does, this name says so.
LocalizedDecimalField = forms.DecimalField


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
