"""Pages of the receivables app: thin, each reads through the scoped querysets and calls one
service."""

import base64
import binascii
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Account
from core.forms import form_submit
from core.listing import Totals, list_page
from core.views import RecordFormPage
from deals.models import Offer, Order

from . import access, exports, selectors, services
from .filters import InvoiceFilterSet, PaymentFilterSet
from .forms import (
    AgingForm,
    AllocateForm,
    BankLineAssignForm,
    BankStatementForm,
    CancelForm,
    CollectionActionForm,
    CreditNoteForm,
    CreditProfileForm,
    CreditProposalForm,
    DecisionForm,
    ImportConfirmForm,
    ImportForm,
    OverrideRequestForm,
    PaymentForm,
    ProposalDecisionForm,
    ReverseForm,
    StatementAnswerForm,
)
from .models import (
    BankLine,
    CollectionAction,
    CreditOverride,
    CreditProfile,
    CreditProposal,
    Invoice,
    Payment,
    StatementAnswer,
)
from .selectors import pages

PAGE_SIZE = 25


def _refuse(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_context(title: str, back: str, *, crumb: str) -> dict:
    """The title, Cancel link and breadcrumb (Money, the list, the title) of a money form."""
    return {"title": title, "back": back, "crumbs": [(crumb, reverse(back))]}


def _listing(
    request,
    *,
    filterset_class,
    queryset,
    template,
    partial,
    columns,
    export_name,
    totals: Totals,
    **extra,
):
    """A filtered list with its totals per currency, saved views and exports (core/listing)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    listing, download = list_page(
        request, filterset, columns=columns, export_name=export_name, totals=totals
    )
    if download:
        return download
    context = {**listing, "partial": partial, **extra}
    response = render(request, partial if request.headers.get("HX-Request") else template, context)
    response["Vary"] = "HX-Request"
    return response


# --- Invoices ---------------------------------------------------------------------------------


@require_GET
def invoice_list(request):
    return _listing(
        request,
        filterset_class=InvoiceFilterSet,
        queryset=pages.invoices_for_listing(user=request.user),
        template="receivables/invoice_list.html",
        partial="receivables/partials/invoice_table.html",
        columns=exports.INVOICE_COLUMNS,
        export_name="invoices",
        totals=Totals(amount="gross_total"),
        default_order=_("overdue first, then by due date, oldest first"),
        today=timezone.localdate(),
        can_manage=access.can_manage_money(request.user),
    )


@require_GET
def invoice_detail(
    request, pk: int, *, credit_form=None, cancel_form=None, action_form=None, status=200
):
    page = pages.invoice_page(user=request.user, pk=pk)
    context = {
        "page": page,
        "credit_form": credit_form or CreditNoteForm(),
        "cancel_form": cancel_form or CancelForm(),
        "action_form": action_form or CollectionActionForm(),
    }
    return render(request, "receivables/invoice_detail.html", context, status=status)


def _after_invoice_form(request, pk: int, done, *, message, **form):
    """Back to the invoice: with the form and its errors (400) when refused, else a message."""
    if not done:
        request.method = "GET"
        return invoice_detail(request, pk, status=400, **form)
    messages.success(request, message(done))
    return redirect("receivables:invoice_detail", pk=pk)


@require_POST
def credit_note_create(request, pk: int):
    invoice = Invoice.objects.get_for_user(request.user, pk, write=True)
    form = CreditNoteForm(request.POST)
    done = form_submit(
        form,
        lambda: services.credit_note_issue(
            actor=request.user,
            invoice=invoice,
            issue_date=form.cleaned_data["issue_date"],
            reason=form.cleaned_data["reason"],
            net_amount=form.cleaned_data["net_amount"],
            vat_code=form.cleaned_data["vat_code"],
            note=form.cleaned_data["note"],
        ),
    )
    return _after_invoice_form(
        request,
        pk,
        done,
        credit_form=form,
        message=lambda c: _("Credit note %s issued.") % c.number,
    )


@require_POST
def invoice_cancel(request, pk: int):
    invoice = Invoice.objects.get_for_user(request.user, pk, write=True)
    form = CancelForm(request.POST)
    done = form_submit(
        form,
        lambda: services.invoice_cancel(
            actor=request.user, invoice=invoice, reason=form.cleaned_data["reason"]
        ),
    )
    return _after_invoice_form(
        request, pk, done, cancel_form=form, message=lambda _i: _("Invoice cancelled.")
    )


@require_POST
def collection_log(request, pk: int):
    invoice = Invoice.objects.get_for_user(request.user, pk)
    access.check_can_log_collection(request.user, invoice.account)
    form = CollectionActionForm(request.POST)
    done = form_submit(
        form,
        lambda: services.collection_action_log(
            actor=request.user, account=invoice.account, invoice=invoice, **form.cleaned_data
        ),
    )
    return _after_invoice_form(
        request,
        pk,
        done,
        action_form=form,
        message=lambda a: _("%s logged.") % a.get_kind_display(),
    )


HOLD_DECISIONS = {"approve": True, "refuse": False}


@require_POST
def hold_decide(request, pk: int, decision: str):
    """Finance approves or refuses a hold asked for an invoice (the invoice page, Credit)."""
    if decision not in HOLD_DECISIONS:
        raise Http404("No such decision.")
    action = CollectionAction.objects.select_related("invoice").get_for_user(request.user, pk)
    if action.invoice_id is None:
        raise Http404("No such hold.")
    try:
        services.collection_hold_decide(
            actor=request.user, action=action, approve=HOLD_DECISIONS[decision]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Hold approved.") if HOLD_DECISIONS[decision] else _("Hold refused.")
        )
    return redirect("receivables:invoice_detail", pk=action.invoice_id)


@require_POST
def account_collection_log(request, account_pk: int):
    """A promise to pay or a call logged from the account page's Money panel."""
    account = Account.objects.get_for_user(request.user, account_pk)
    access.check_can_log_collection(request.user, account)
    form = CollectionActionForm(request.POST)
    done = form_submit(
        form,
        lambda: services.collection_action_log(
            actor=request.user, account=account, **form.cleaned_data
        ),
    )
    if done:
        messages.success(request, _("%s logged.") % done.get_kind_display())
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("accounts:detail", pk=account_pk)


MAX_UPLOAD = 5 * 1024 * 1024


@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload (preview, nothing written), then confirm (import). Same file twice: no change."""
    access.check_can_manage_money(request.user)
    form, preview, confirm = ImportForm(), None, None
    if request.method == "POST" and "content" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        if confirm.is_valid():
            data = confirm.cleaned_data
            try:
                content = base64.b64decode(data["content"], validate=True)
                dataset = services.import_read(content=content, filename=data["filename"])
                done = services.import_apply(actor=request.user, kind=data["kind"], dataset=dataset)
            except binascii.Error:
                messages.error(request, _("The file was lost on the way; upload it again."))
            except ValidationError as error:
                _refuse(request, error)
            else:
                messages.success(
                    request,
                    _("Imported %(new)s rows; %(skip)s were there already.")
                    % {"new": done.count("new"), "skip": done.count("skip")},
                )
                return redirect("receivables:import")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(MAX_UPLOAD + 1)
            try:
                if len(content) > MAX_UPLOAD:
                    raise ValidationError({"file": _("At most 5 MB per file.")})
                dataset = services.import_read(content=content, filename=upload.name)
                preview = services.import_preview(kind=form.cleaned_data["kind"], dataset=dataset)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                confirm = ImportConfirmForm(
                    initial={
                        "kind": form.cleaned_data["kind"],
                        "filename": upload.name,
                        "content": base64.b64encode(content).decode(),
                    }
                )
    status = 400 if form.errors else 200
    context = {"form": form, "preview": preview, "confirm": confirm}
    return render(request, "receivables/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def bank_page(request):
    """Upload an MT940 statement; the lines no invoice number matched wait here."""
    access.check_can_manage_money(request.user)
    form = BankStatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read(MAX_UPLOAD + 1)
        try:
            if len(content) > MAX_UPLOAD:
                raise ValidationError({"file": _("At most 5 MB per file.")})
            counts = services.bank_statement_import(
                actor=request.user, content=content.decode("utf-8", errors="replace")
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "%(matched)s lines matched to invoices, %(waiting)s waiting below, "
                    "%(already there)s already imported."
                )
                % counts,
            )
            return redirect("receivables:bank")
    waiting = Paginator(
        BankLine.objects.filter(status=BankLine.Status.WAITING).order_by("booked_on", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {"form": form, "page": waiting, "assign_form": BankLineAssignForm(user=request.user)}
    return render(request, "receivables/bank.html", context, status=400 if form.errors else 200)


@require_POST
def bank_line_assign(request, pk: int):
    access.check_can_manage_money(request.user)
    line = BankLine.objects.filter(pk=pk).first()
    if line is None:
        raise Http404("No such bank line.")
    form = BankLineAssignForm(request.POST, user=request.user)
    done = form_submit(
        form,
        lambda: services.bank_line_assign(
            actor=request.user, bank_line=line, account=form.cleaned_data["account"]
        ),
    )
    if not done:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("receivables:bank")
    messages.success(request, _("Payment recorded for %s: allocate it.") % done.payment.account)
    return redirect("receivables:payment_detail", pk=done.payment_id)


@require_GET
def orders_to_invoice(request):
    access.check_can_manage_money(request.user)
    orders = Paginator(pages.orders_to_invoice(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "receivables/orders_to_invoice.html", {"page": orders})


@require_POST
def invoice_from_order(request, order_pk: int):
    order = Order.objects.get_for_user(request.user, order_pk)
    try:
        invoice = services.invoice_from_order(actor=request.user, order=order)
    except ValidationError as error:
        _refuse(request, error)
        return redirect("receivables:orders_to_invoice")
    messages.success(request, _("Invoice %s issued.") % invoice.number)
    return redirect("receivables:invoice_detail", pk=invoice.pk)


# --- Payments ---------------------------------------------------------------------------------


@require_GET
def payment_list(request):
    return _listing(
        request,
        filterset_class=PaymentFilterSet,
        queryset=pages.payments_for_listing(user=request.user),
        template="receivables/payment_list.html",
        partial="receivables/partials/payment_table.html",
        columns=exports.PAYMENT_COLUMNS,
        export_name="payments",
        totals=Totals(amount="amount"),
        default_order=_("newest first"),
        can_manage=access.can_manage_money(request.user),
    )


class PaymentRecordPage(RecordFormPage):
    """Finance records money received; it is allocated on the payment's page."""

    form_class = PaymentForm
    template_name = "receivables/form.html"
    refused_status = 400

    def check_create(self):
        access.check_can_manage_money(self.request.user)

    def form_kwargs(self):
        return {"user": self.request.user}

    def create(self, form):
        return services.payment_record(
            actor=self.request.user,
            account=form.account,
            received_on=form.cleaned_data["received_on"],
            amount=form.cleaned_data["amount"],
            currency=form.cleaned_data["currency"],
            payer_reference=form.cleaned_data["payer_reference"],
            note=form.cleaned_data["note"],
        )

    def success_message(self, payment):
        return _("Payment recorded: allocate it below.")

    def success_url(self, payment):
        return reverse("receivables:payment_detail", args=[payment.pk])

    def context(self, form):
        return _form_context(_("Record a payment"), "receivables:payment_list", crumb=_("Payments"))


payment_create = PaymentRecordPage.as_view()


@require_GET
def payment_detail(request, pk: int, *, allocate_form=None, reverse_form=None, status=200):
    page = pages.payment_page(user=request.user, pk=pk)
    context = {
        "page": page,
        "allocate_form": allocate_form or AllocateForm(invoices=page.open_invoices),
        "reverse_form": reverse_form or ReverseForm(initial={"reversed_on": timezone.localdate()}),
    }
    return render(request, "receivables/payment_detail.html", context, status=status)


@require_POST
def payment_allocate(request, pk: int):
    payment = Payment.objects.get_for_user(request.user, pk, write=True)
    page = pages.payment_page(user=request.user, pk=pk)
    form = AllocateForm(request.POST, invoices=page.open_invoices)
    oldest_first = "oldest_first" in request.POST
    made = form_submit(
        form,
        lambda: services.payment_allocate(
            actor=request.user,
            payment=payment,
            allocations=None if oldest_first else form.chosen(),
        ),
    )
    if made is None:
        request.method = "GET"
        return payment_detail(request, pk, allocate_form=form, status=400)
    messages.success(request, _("Allocated to %(n)s invoice(s).") % {"n": len(made)})
    return redirect("receivables:payment_detail", pk=pk)


@require_POST
def payment_reverse(request, pk: int):
    payment = Payment.objects.get_for_user(request.user, pk, write=True)
    form = ReverseForm(request.POST)
    done = form_submit(
        form,
        lambda: services.payment_reverse(actor=request.user, payment=payment, **form.cleaned_data),
    )
    if not done:
        request.method = "GET"
        return payment_detail(request, pk, reverse_form=form, status=400)
    messages.success(request, _("Payment reversed; its invoices are open again."))
    return redirect("receivables:payment_detail", pk=pk)


# --- Aging and collection ---------------------------------------------------------------------


def _aging_params(request) -> tuple[AgingForm, date, str | None]:
    form = AgingForm(request.GET or None)
    as_of, group_by = timezone.localdate(), None
    if form.is_bound and form.is_valid():
        as_of = form.cleaned_data["as_of"] or as_of
        group_by = form.cleaned_data["group_by"] or None
    return form, as_of, group_by


@require_GET
def aging_report(request):
    form, as_of, group_by = _aging_params(request)
    invoices = Invoice.objects.visible_to(request.user)
    report = selectors.aging(invoices=invoices, as_of=as_of, group_by=group_by)
    figures = selectors.payment_behaviour(user=request.user, as_of=as_of, report=report)
    group_label = dict(form.fields["group_by"].choices).get(group_by or "", "")
    context = {"form": form, "report": report, "figures": figures.values(), "group": group_label}
    return render(request, "receivables/aging.html", context, status=400 if form.errors else 200)


@require_GET
def aging_export(request, fmt: str):
    _form, as_of, group_by = _aging_params(request)
    report = selectors.aging(
        invoices=Invoice.objects.visible_to(request.user), as_of=as_of, group_by=group_by
    )
    return exports.aging_response(report=report, fmt=fmt)


@require_GET
def open_items_export(request, fmt: str):
    _form, as_of, _group = _aging_params(request)
    return exports.open_items_response(
        invoices=Invoice.objects.visible_to(request.user), as_of=as_of, fmt=fmt
    )


@require_GET
def chase_list(request):
    rows = pages.to_chase(user=request.user)
    return render(request, "receivables/to_chase.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def statement_answer(request, account_pk: int):
    """Record the client's answer to a statement of account; the answers given so far."""
    account = Account.objects.get_for_user(request.user, account_pk)
    answers = list(
        StatementAnswer.objects.visible_to(request.user)
        .filter(account=account)
        .select_related("recorded_by")
        .prefetch_related("disputed_invoices")
    )
    can_log = access.can_log_collection(request.user, account)
    form = None
    if can_log:
        form = StatementAnswerForm(
            request.POST or None, account=account, initial={"as_of": timezone.localdate()}
        )
    if request.method == "POST":
        access.check_can_log_collection(request.user, account)
        saved = form_submit(
            form,
            lambda: services.statement_answer_record(
                actor=request.user, account=account, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("The client's answer is recorded."))
            return redirect("receivables:statement_answer", account_pk=account.pk)
    return render(
        request,
        "receivables/statement_answer.html",
        {"account": account, "answers": answers, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


# --- Credit -----------------------------------------------------------------------------------


@require_GET
def credit_list(request):
    profiles = Paginator(pages.credit_profiles_for_listing(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": profiles,
        "queue": {"overrides": list(selectors.overrides_awaiting(request.user))},
        "recent": list(pages.overrides_for_listing(user=request.user)[:20]),
        "holds": pages.holds_awaiting(user=request.user),
        "proposals": pages.proposals_awaiting(user=request.user),
        "can_propose": request.user.is_director or request.user.is_admin_role,
        "can_manage": access.can_manage_money(request.user),
    }
    return render(request, "receivables/credit.html", context)


class _CreditPage(RecordFormPage):
    """A credit form of one account (`self.account`), which returns to the credit page."""

    template_name = "receivables/form.html"
    refused_status = 400
    title = ""  # "Credit terms: %s", with the account's name

    def success_url(self, record):
        return reverse("receivables:credit_list")

    def context(self, form):
        title = self.title % self.account.name
        return _form_context(title, "receivables:credit_list", crumb=_("Credit"))


class CreditProposalPage(_CreditPage):
    """A director proposes a credit limit for an account of their territory."""

    form_class = CreditProposalForm
    title = gettext_lazy("Propose a credit limit: %s")

    def check_create(self):
        self.account = Account.objects.get_for_user(self.request.user, self.kwargs["account_pk"])
        if not access.proposal_can_make(self.request.user, self.account):
            raise PermissionDenied("Only the territory's director proposes a credit limit.")

    def form_kwargs(self):
        return {"initial": {"currency": self.account.currency}}

    def create(self, form):
        return services.credit_proposal_create(
            actor=self.request.user, account=self.account, **form.cleaned_data
        )

    def success_message(self, proposal):
        return _("Proposal sent to finance.")


credit_propose = CreditProposalPage.as_view()


@require_POST
def proposal_decide(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404("No such decision.")
    proposal = CreditProposal.objects.select_related("account", "proposed_by").get_for_user(
        request.user, pk
    )
    form = ProposalDecisionForm(request.POST)
    form.is_valid()
    try:
        services.credit_proposal_decide(
            actor=request.user,
            proposal=proposal,
            approve=decision == "approve",
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Credit limit set.") if decision == "approve" else _("Proposal rejected."),
        )
    return redirect("receivables:credit_list")


class CreditTermsPage(_CreditPage):
    """Finance sets an account's credit limit, terms and status, saying why."""

    form_class = CreditProfileForm
    title = gettext_lazy("Credit terms: %s")

    def get_object(self):
        """The account's credit profile, or a new one in the account's currency."""
        self.account = Account.objects.get_for_user(self.request.user, self.kwargs["account_pk"])
        access.check_can_manage_money(self.request.user)
        profile = CreditProfile.objects.filter(account=self.account).first()
        return profile or CreditProfile(account=self.account, currency=self.account.currency)

    def update(self, profile, form, version):
        return services.credit_profile_set(
            actor=self.request.user,
            account=self.account,
            data={f: form.cleaned_data[f] for f in services.CREDIT_PROFILE_FIELDS},
            reason=form.cleaned_data["why"],
        )

    def success_message(self, profile):
        return _("Credit terms saved.")


credit_edit = CreditTermsPage.as_view()


@require_POST
def override_request(request, kind: str, pk: int):
    if kind == "offer":
        offer = Offer.objects.get_for_user(request.user, pk, write=True)
        document, back = {"offer": offer}, ("deals:offer_detail", pk)
    elif kind == "order":
        order = Order.objects.get_for_user(request.user, pk, write=True)
        document, back = {"order": order}, ("deals:order_detail", pk)
    else:
        raise PermissionDenied
    form = OverrideRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it should go ahead."))
        return redirect(*back)
    try:
        services.credit_override_request(
            actor=request.user, reason=form.cleaned_data["reason"], **document
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Credit override asked for: the director or finance decides."))
    return redirect(*back)


@require_POST
def override_decide(request, pk: int, decision: str):
    override = CreditOverride.objects.select_related("account").get_for_user(request.user, pk)
    if decision not in ("approve", "reject"):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.credit_override_decide(
            actor=request.user,
            override=override,
            approve=decision == "approve",
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(
            request, _("Override approved.") if decision == "approve" else _("Override rejected.")
        )
    back = (
        "deals:approvals" if request.POST.get("next") == "approvals" else "receivables:credit_list"
    )
    return redirect(back)
