from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.htmx import render_list
from core.listing import Totals, list_page
from core.panels import account_panels
from core.pickers import picker_response
from core.views import RecordFormPage
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
from .selectors import DOSSIER_RELATED, account_dossier, accounts_for_listing


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
    account = Account.objects.select_related(*DOSSIER_RELATED).get_for_user(request.user, pk)
    context = {
        "dossier": account_dossier(user=request.user, account=account),
        "panels": account_panels(request, account),
        "now": timezone.now(),
    }
    return render(request, "accounts/account_detail.html", context)


class AccountFormPage(RecordFormPage):
    """A new account, or an account's profile edited from the version the page showed."""

    form_class = AccountForm
    template_name = "accounts/account_form.html"
    model = Account
    noun = _("Account")

    def check_create(self):
        if not access.can_create_account(self.request.user):
            raise PermissionDenied(_("Your role cannot create accounts."))

    def form_kwargs(self):
        return {"user": self.request.user}

    def create(self, form):
        return services.account_create(
            actor=self.request.user,
            data=form.service_data(),
            competitors=form.cleaned_data["competitors"],
        )

    def update(self, account, form, version):
        return services.account_update(
            actor=self.request.user,
            account=account,
            data=form.service_data(),
            competitors=form.cleaned_data["competitors"],
            version=version,
        )

    def success_url(self, account):
        return reverse("accounts:detail", args=[account.pk])

    def context(self, form):
        return {"account": self.object}


account_create = account_edit = AccountFormPage.as_view()


@require_POST
def account_delete(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk, write=True)
    services.account_delete(actor=request.user, account=account)
    messages.success(request, _("Account %(account)s deleted.") % {"account": account})
    return redirect("accounts:list")


class AccountChildPage(RecordFormPage):
    """A record kept on an account's page (contact, dossier note, a year's indicators, a
    relation): the create page's `pk` is the account's, the edit page's the record's."""

    template_name = "accounts/child_form.html"
    creating = False
    delete_url_name = ""

    def get_object(self):
        return None if self.creating else super().get_object()

    def check_create(self):
        self.account = Account.objects.get_for_user(
            self.request.user, self.kwargs["pk"], write=True
        )

    def page(self):
        self.account = None
        return super().page()

    def success_url(self, record):
        return reverse("accounts:detail", args=[self.record_account.pk])

    @property
    def record_account(self) -> Account:
        return self.account or self.object.account

    def context(self, form):
        delete_url = None
        if self.object is not None and self.delete_url_name:
            delete_url = reverse(self.delete_url_name, args=[self.object.pk])
        return {"account": self.record_account, "title": self.noun, "delete_url": delete_url}


class FinancialsPage(AccountChildPage):
    form_class = AccountFinancialsForm
    noun = _("Financial indicators")
    creating = True

    def form_kwargs(self):
        return {"initial": {"currency": self.account.currency}}

    def create(self, form):
        return services.account_financials_set(
            actor=self.request.user,
            account=self.account,
            year=form.cleaned_data["year"],
            data={k: v for k, v in form.cleaned_data.items() if k != "year"},
        )


class NotePage(AccountChildPage):
    form_class = DossierNoteForm
    model = DossierNote
    noun = _("Dossier note")
    delete_url_name = "accounts:note_delete"

    def create(self, form):
        return services.note_create(
            actor=self.request.user, account=self.account, data=self.service_data(form)
        )

    def update(self, note, form, version):
        return services.note_update(
            actor=self.request.user, note=note, data=self.service_data(form)
        )


financials_edit = FinancialsPage.as_view()
note_create = NotePage.as_view(creating=True)
note_edit = NotePage.as_view()


@require_POST
def note_delete(request, pk: int):
    note = DossierNote.objects.get_for_user(request.user, pk, write=True)
    services.note_delete(actor=request.user, note=note)
    messages.success(request, _("Note deleted."))
    return redirect("accounts:detail", pk=note.account_id)


class ContactPage(AccountChildPage):
    form_class = ContactForm
    model = Contact
    noun = _("Contact")
    delete_url_name = "accounts:contact_delete"

    def create(self, form):
        return services.contact_create(
            actor=self.request.user, account=self.account, data=self.service_data(form)
        )

    def update(self, contact, form, version):
        return services.contact_update(
            actor=self.request.user, contact=contact, data=self.service_data(form), version=version
        )


contact_create = ContactPage.as_view(creating=True)
contact_edit = ContactPage.as_view()


@require_POST
def contact_delete(request, pk: int):
    contact = Contact.objects.get_for_user(request.user, pk, write=True)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("%(contact)s removed.") % {"contact": contact})
    return redirect("accounts:detail", pk=contact.account_id)


class RelationPage(AccountChildPage):
    form_class = ContactRelationForm
    noun = _("Relation")
    creating = True

    def form_kwargs(self):
        return {"account": self.account}

    def create(self, form):
        return services.contact_relation_create(actor=self.request.user, **form.cleaned_data)


relation_create = RelationPage.as_view()


@require_POST
def relation_delete(request, pk: int):
    relation = ContactRelation.objects.get_for_user(request.user, pk, write=True)
    services.contact_relation_delete(actor=request.user, relation=relation)
    messages.success(request, _("Relation removed."))
    return redirect("accounts:detail", pk=relation.from_contact.account_id)
