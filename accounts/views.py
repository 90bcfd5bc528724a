from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import form_submit
from core.htmx import render_list
from core.listing import Totals, list_page
from core.panels import account_panels
from core.pickers import picker_response
from team import access

from . import services
from .exports import ACCOUNT_COLUMNS
from .filters import AccountFilterSet
from .forms import (
    AccountFinancialsForm,
    AccountForm,
    ContactForm,
    ContactRelationForm,
    DossierNoteForm,
)
from .models import Account, Contact, ContactRelation, DossierNote
from .selectors import account_dossier, accounts_for_listing


def account_list(request):
    filterset = AccountFilterSet(
        request.GET, queryset=accounts_for_listing(user=request.user), request=request
    )
    listing, download = list_page(
        request,
        filterset,
        columns=ACCOUNT_COLUMNS,
        export_name="accounts",
        totals=Totals(amount="potential_amount"),
    )
    if download:
        return download
    context = {
        **listing,
        "default_order": _("by name"),
        "can_create": access.can_create_account(request.user),
    }
    return render_list(
        request,
        template="accounts/account_list.html",
        fragment="accounts/partials/account_table.html",
        context=context,
    )


@require_GET
def pick_accounts(request):
    """Accounts for a picker: the user's own scope, `?owner=` to narrow to one KAM's."""
    return picker_response(
        request,
        Account.objects.select_related("owner", "territory")
        .visible_to(request.user)
        .order_by("name", "pk"),
        fields=["name", "legal_name", "tax_id"],
        label=lambda a: a.name,
        detail=lambda a: " · ".join(p for p in (a.tax_id, a.city, str(a.owner)) if p),
        narrow={"owner": "owner_id"},
    )


@require_GET
def pick_contacts(request):
    """Contacts for a picker, `?account=` to keep to one account's people."""
    return picker_response(
        request,
        Contact.objects.select_related("account")
        .visible_to(request.user)
        .order_by("last_name", "first_name", "pk"),
        fields=["first_name", "last_name", "email", "phone"],
        label=lambda c: f"{c.first_name} {c.last_name}",
        detail=lambda c: " · ".join(p for p in (c.position, c.account.name) if p),
        narrow={"account": "account_id"},
    )


def account_detail(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk)
    context = {
        "dossier": account_dossier(user=request.user, account=account),
        "panels": account_panels(request, account),
        "now": timezone.now(),
    }
    return render(request, "accounts/account_detail.html", context)


@require_http_methods(["GET", "POST"])
def account_create(request):
    if not access.can_create_account(request.user):
        raise PermissionDenied(_("Your role cannot create accounts."))
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        account = form_submit(
            form,
            lambda: services.account_create(
                actor=request.user,
                data=form.service_data(),
                competitors=form.cleaned_data["competitors"],
            ),
        )
        if account:
            messages.success(request, _("Account %(account)s created.") % {"account": account})
            return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/account_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST":
        # The form has already applied the input to `account`; the service checks and saves.
        saved = form_submit(
            form,
            lambda: services.account_update(
                actor=request.user,
                account=Account.objects.get_for_user(request.user, pk, write=True),
                data=form.service_data(),
                competitors=form.cleaned_data["competitors"],
            ),
        )
        if saved:
            messages.success(request, _("Account saved."))
            return redirect("accounts:detail", pk=saved.pk)
    return render(request, "accounts/account_form.html", {"form": form, "account": account})


@require_POST
def account_delete(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    services.account_delete(actor=request.user, account=account)
    messages.success(request, _("Account %(account)s deleted.") % {"account": account})
    return redirect("accounts:list")


def _child_form(request, *, form, account, title, save, delete_url=None):
    if request.method == "POST":
        saved = form_submit(form, save)
        if saved:
            messages.success(request, _("%(title)s saved.") % {"title": title})
            return redirect("accounts:detail", pk=account.pk)
    return render(
        request,
        "accounts/child_form.html",
        {"form": form, "account": account, "title": title, "delete_url": delete_url},
    )


@require_http_methods(["GET", "POST"])
def financials_edit(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    form = AccountFinancialsForm(request.POST or None, initial={"currency": account.currency})
    return _child_form(
        request,
        form=form,
        account=account,
        title=_("Financial indicators"),
        save=lambda: services.account_financials_set(
            actor=request.user,
            account=account,
            year=form.cleaned_data["year"],
            data={k: v for k, v in form.cleaned_data.items() if k != "year"},
        ),
    )


@require_http_methods(["GET", "POST"])
def note_create(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    form = DossierNoteForm(request.POST or None)
    return _child_form(
        request,
        form=form,
        account=account,
        title=_("Dossier note"),
        save=lambda: services.note_create(
            actor=request.user, account=account, data=form.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
def note_edit(request, pk: int):
    note = DossierNote.objects.get_for_user(request.user, pk, write=True)
    form = DossierNoteForm(request.POST or None, instance=note)
    return _child_form(
        request,
        form=form,
        account=note.account,
        title=_("Dossier note"),
        delete_url=reverse("accounts:note_delete", args=[note.pk]),
        save=lambda: services.note_update(
            actor=request.user,
            note=DossierNote.objects.get_for_user(request.user, pk, write=True),
            data=form.cleaned_data,
        ),
    )


@require_POST
def note_delete(request, pk: int):
    note = DossierNote.objects.get_for_user(request.user, pk, write=True)
    services.note_delete(actor=request.user, note=note)
    messages.success(request, _("Note deleted."))
    return redirect("accounts:detail", pk=note.account_id)


@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST or None)
    return _child_form(
        request,
        form=form,
        account=account,
        title=_("Contact"),
        save=lambda: services.contact_create(
            actor=request.user, account=account, data=form.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = Contact.objects.get_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST or None, instance=contact)
    return _child_form(
        request,
        form=form,
        account=contact.account,
        title=_("Contact"),
        delete_url=reverse("accounts:contact_delete", args=[contact.pk]),
        save=lambda: services.contact_update(
            actor=request.user,
            contact=Contact.objects.get_for_user(request.user, pk, write=True),
            data=form.cleaned_data,
        ),
    )


@require_POST
def contact_delete(request, pk: int):
    contact = Contact.objects.get_for_user(request.user, pk, write=True)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("%(contact)s removed.") % {"contact": contact})
    return redirect("accounts:detail", pk=contact.account_id)


@require_http_methods(["GET", "POST"])
def relation_create(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    form = ContactRelationForm(request.POST or None, account=account)
    return _child_form(
        request,
        form=form,
        account=account,
        title=_("Relation"),
        save=lambda: services.contact_relation_create(actor=request.user, **form.cleaned_data),
    )


@require_POST
def relation_delete(request, pk: int):
    relation = ContactRelation.objects.get_for_user(request.user, pk, write=True)
    services.contact_relation_delete(actor=request.user, relation=relation)
    messages.success(request, _("Relation removed."))
    return redirect("accounts:detail", pk=relation.from_contact.account_id)
