"""The create / edit page of a record, shared by every app: one small class instead of a view
pair per record (Django's FormView, cut down to what a record on an account needs)."""

import copy
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..forms import VersionedFormMixin, conflict_values, form_submit


class RecordFormPage(View):
    """Create (no `pk` in the URL) or edit (`pk`) one record through its services.

    A subclass names the `form_class`, the `template_name`, the `model` (whose manager has
    `get_for_user`, so a record outside the user's scope is a 404 and a read-only one a 403),
    and implements `create(form)` and `update(record, form, version)` as service calls, and
    `success_url(record)`. The record is read once: the form works on a copy of it, so the
    service compares the input with the row as read, not with the form's edited instance.

    With a `VersionedFormMixin` form, a save made from a stale page is refused by the service
    (`EditConflict`); the page then keeps the user's input, shows the values saved meanwhile
    beside it, and a second save, made knowingly, replaces them.
    """

    form_class: type[forms.BaseForm]
    template_name: str
    model: type[models.Model] | None = None
    noun = ""  # "Contract": the success message says "Contract saved."
    refused_status = 200  # the status of a page whose input was refused (some apps answer 400)
    http_method_names = ["get", "post"]

    # --- what a subclass provides --------------------------------------------------------

    def get_object(self) -> models.Model | None:
        """The record being edited, or None on the create page."""
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return self.model.objects.get_for_user(self.request.user, pk, write=True)

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def create(self, form) -> models.Model:
        raise NotImplementedError

    def update(self, record: models.Model, form, version: int | None) -> models.Model:
        raise NotImplementedError

    def success_url(self, record: models.Model) -> str:
        return record.get_absolute_url()

    def success_message(self, record: models.Model) -> str:
        return _("%(noun)s saved.") % {"noun": self.noun or record}

    def context(self, form) -> dict[str, Any]:
        return {}

    def saved_response(self, record: models.Model):
        """The answer to a save: the success message and a redirect to `success_url`."""
        messages.success(self.request, self.success_message(record))
        return redirect(self.success_url(record))

    def form_response(self, form, context: dict[str, Any], status: int):
        """The page with the form: empty, or with what was refused."""
        return render(self.request, self.template_name, context, status=status)

    def check_create(self) -> None:
        """Raise PermissionDenied when the user may not create this record at all."""

    # --- the flow ------------------------------------------------------------------------

    def service_data(self, form) -> dict[str, Any]:
        if hasattr(form, "service_data"):
            return form.service_data()
        return {k: v for k, v in form.cleaned_data.items() if k not in ("account", "version")}

    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        return self.page()

    def page(self):
        request = self.request
        self.object = self.get_object()
        if self.object is None:
            self.check_create()
        data = request.POST if request.method == "POST" else None
        instance = {} if self.object is None else {"instance": copy.copy(self.object)}
        form = self.form_class(data, **instance, **self.form_kwargs())
        current, status = [], 200
        if request.method == "POST":
            saved = form_submit(form, lambda: self._save(form))
            if saved is not None:
                return self.saved_response(saved)
            status = self.refused_status
            if form.has_error(NON_FIELD_ERRORS, "conflict"):
                fresh = self.get_object()
                current = conflict_values(form, fresh)
                if isinstance(form, VersionedFormMixin):
                    form.restamp(fresh.version)
        context = {"form": form, "object": self.object, "conflict_values": current}
        return self.form_response(form, {**context, **self.context(form)}, status)

    def _save(self, form):
        if self.object is None:
            return self.create(form)
        return self.update(self.object, form, form.cleaned_data.get("version"))
