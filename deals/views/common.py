"""Pieces shared by the deals pages: lists, form pages, refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.htmx import render_list
from core.listing import Totals, list_page
from core.views import RecordFormPage
from team import access

from ..forms import (
    StatusForm,
    account_from_query,
)


def _listing(
    request,
    *,
    filterset_class,
    queryset,
    heading: str,
    list_url: str,
    partial: str,
    columns,
    export_name: str,
    totals: Totals | None = None,
    default_order: str = "",
    template: str = "deals/list.html",
    create_url: str | None = None,
    **extra,
):
    """A filtered, sortable, paginated list with its totals and exports; htmx requests get
    only the table."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    listing, download = list_page(
        request, filterset, columns=columns, export_name=export_name, totals=totals
    )
    if download:
        return download
    context = {
        **listing,
        "default_order": default_order,
        "heading": heading,
        "list_url": list_url,
        "partial": partial,
        "create_url": create_url,
        "can_create": create_url is not None and access.can_create_deal_records(request.user),
        **extra,
    }
    return render_list(request, template=template, fragment=partial, context=context)


def _require_creator(request):
    if not access.can_create_deal_records(request.user):
        raise PermissionDenied(_("Your role cannot create deals, contracts, orders or complaints."))


def _refuse_form(request, form) -> None:
    """A small inline form's errors, shown as messages on the page it redirects to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _refuse(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _status_post(request, *, obj, move, detail: str):
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            move(obj, form.cleaned_data["status"])
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(
                request, _("Now %(status)s.") % {"status": obj.get_status_display().lower()}
            )
    else:
        messages.error(request, _("Choose a status."))
    return redirect(detail, pk=obj.pk)


class AccountRecordPage(RecordFormPage):
    """A contract, order or complaint: created from an account's page (`?account=`) or with
    the account picked, edited from the version the page showed."""

    template_name = "deals/form.html"
    create_service = None  # services.contract_create ...
    update_service = None  # services.contract_update ...
    instance_kwarg = ""  # the update service's name for the record: "contract"
    detail = ""  # the record's page (URL name)
    listing = ""  # the list of these records (URL name)
    new_title = ""  # "New contract"

    def check_create(self):
        _require_creator(self.request)

    def form_kwargs(self):
        initial = {}
        if self.object is None:
            self.account = account_from_query(self.request.user, self.request.GET.get("account"))
            if self.account is not None:
                initial = {"currency": self.account.currency}
        else:
            self.account = self.object.account
        return {"user": self.request.user, "account": self.account, "initial": initial}

    def create(self, form):
        return type(self).create_service(
            actor=self.request.user,
            account=self.account or form.cleaned_data["account"],
            data=self.service_data(form),
        )

    def update(self, record, form, version):
        return type(self).update_service(
            actor=self.request.user,
            data=self.service_data(form),
            version=version,
            **{self.instance_kwarg: record},
        )

    def success_url(self, record):
        return reverse(self.detail, args=[record.pk])

    def context(self, form):
        account = self.account
        crumbs = [(account.name, "accounts:detail", account.pk)] if account else []
        if self.object is None:
            title = self.new_title
        else:
            title = _("Edit %(record)s") % {"record": self.object}
        return {"title": title, "back": self.listing, "crumbs": crumbs}
