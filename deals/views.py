from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.concurrency import EditConflict
from core.forms import form_submit
from core.htmx import render_list
from core.listing import Totals, list_page
from core.pickers import picker_response
from core.views import RecordFormPage
from team import access

from . import credit, exports, selectors, services
from .access import products_visible_to
from .filters import (
    ComplaintFilterSet,
    ContractFilterSet,
    DealFilterSet,
    OrderFilterSet,
    ProductFilterSet,
    ReturnFilterSet,
)
from .forms import (
    ComplaintForm,
    ContractForm,
    DealForm,
    DealMoveForm,
    DecisionForm,
    DeliveredForm,
    ObligationForm,
    OfferForm,
    OfferLineChangeForm,
    OfferLineForm,
    OrderForm,
    OrderLineForm,
    ResolveForm,
    ReturnForm,
    StatusForm,
    account_from_query,
)
from .models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    Offer,
    OfferLine,
    Order,
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


def _form_page(request, *, form, title: str, back: str, crumbs=(), **extra):
    context = {"form": form, "title": title, "back": back, "crumbs": crumbs, **extra}
    return render(request, "deals/form.html", context)


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


# --- Deals ------------------------------------------------------------------------------------


def deal_board(request):
    board = selectors.deal_board(user=request.user)
    template = "deals/partials/board.html" if request.htmx else "deals/deal_board.html"
    context = {
        "board": board,
        "can_create": access.can_create_deal_records(request.user),
        "show_owner": not request.user.is_kam,
    }
    return render(request, template, context)


@require_GET
def deal_board_column(request, stage: str):
    """More cards of one column of the board ("Show more"), for htmx."""
    if stage not in DealStage.values:
        raise Http404("No such stage.")
    try:
        offset = min(max(int(request.GET.get("offset", "0")), 0), 10**6)
    except ValueError:
        offset = 0
    column = selectors.deal_board_column(user=request.user, stage=stage, offset=offset)
    return render(
        request,
        "deals/partials/board_cards.html",
        {"column": column, "show_owner": not request.user.is_kam},
    )


def deal_list(request):
    return _listing(
        request,
        filterset_class=DealFilterSet,
        queryset=selectors.deals_for_listing(user=request.user),
        heading=_("Deals"),
        list_url="deals:deal_list",
        partial="deals/partials/deal_table.html",
        columns=exports.DEAL_COLUMNS,
        export_name="deals",
        totals=Totals(amount="amount"),
        default_order=_("open deals first, closing soonest"),
        create_url="deals:deal_create",
        links=[(_("Pipeline board"), "deals:board")],
    )


def deal_detail(request, pk: int, *, move_form=None, status=200):
    deal = Deal.objects.select_related("owner").get_for_user(request.user, pk)
    page = selectors.deal_page(user=request.user, deal=deal)
    move_form = move_form or DealMoveForm(
        initial={"from_stage": deal.stage, "stage": page.next_stage}
    )
    return render(
        request, "deals/deal_detail.html", {"page": page, "move_form": move_form}, status=status
    )


class DealFormPage(RecordFormPage):
    """A new deal (from an account's page with `?account=`, or the account picked), or a
    deal's details edited from the version the page showed."""

    form_class = DealForm
    template_name = "deals/form.html"
    model = Deal
    noun = _("Deal")

    def check_create(self):
        _require_creator(self.request)

    def form_kwargs(self):
        initial = {}
        if self.object is None:
            account = account_from_query(self.request.user, self.request.GET.get("account"))
            if account is not None:
                initial = {"account": account, "currency": account.currency}
        return {"user": self.request.user, "initial": initial}

    def create(self, form):
        return services.deal_create(
            actor=self.request.user,
            account=form.cleaned_data["account"],
            data=form.service_data(),
        )

    def update(self, deal, form, version):
        return services.deal_update(
            actor=self.request.user, deal=deal, data=form.service_data(), version=version
        )

    def success_url(self, deal):
        return reverse("deals:deal_detail", args=[deal.pk])

    def context(self, form):
        if self.object is None:
            return {"title": _("New deal"), "back": "deals:deal_list"}
        deal = self.object
        return {
            "title": _("Edit %(deal)s") % {"deal": deal.title},
            "back": "deals:deal_list",
            "crumbs": [
                (_("Deals"), "deals:deal_list", None),
                (deal.title, "deals:deal_detail", deal.pk),
            ],
        }


deal_create = deal_edit = DealFormPage.as_view()


@require_POST
def deal_move(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    form = DealMoveForm(request.POST)
    htmx = request.htmx
    moved = form_submit(
        form,
        lambda: services.deal_move_stage(
            actor=request.user,
            deal=deal,
            to_stage=form.cleaned_data["stage"],
            lost_reason=form.cleaned_data["lost_reason"],
            from_stage=form.cleaned_data["from_stage"] or None,
        ),
    )
    if htmx:
        board = selectors.deal_board(user=request.user)
        errors = [] if moved else [e for errs in form.errors.values() for e in errs]
        return render(
            request,
            "deals/partials/board.html",
            {
                "board": board,
                "board_errors": errors,
                "moved": moved,
                "show_owner": not request.user.is_kam,
            },
        )
    if moved:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": moved.get_stage_display()})
        return redirect("deals:deal_detail", pk=pk)
    return deal_detail(request, pk, move_form=form, status=400)


@require_POST
def deal_delete(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    services.deal_delete(actor=request.user, deal=deal)
    messages.success(request, _("Deal %(deal)s deleted.") % {"deal": deal})
    return redirect("deals:deal_list")


# --- Offers -----------------------------------------------------------------------------------


@require_POST
def offer_create(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    try:
        offer = services.offer_create(actor=request.user, deal=deal)
    except ValidationError as error:
        _refuse(request, error)
        return redirect("deals:deal_detail", pk=pk)
    messages.success(
        request, _("Offer %(number)s started: add its lines.") % {"number": offer.number}
    )
    return redirect("deals:offer_detail", pk=offer.pk)


def offer_detail(request, pk: int, *, line_form=None, decision_form=None, status=200):
    offer = Offer.objects.get_for_user(request.user, pk)
    page = selectors.offer_page(user=request.user, offer=offer)
    context = {
        "page": page,
        "line_form": line_form or OfferLineForm(currency=page.offer.currency),
        "decision_form": decision_form or DecisionForm(initial={"revision": page.offer.revision}),
        "offer_panels": credit.offer_panels(user=request.user, offer=page.offer),
    }
    return render(request, "deals/offer_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def offer_edit(request, pk: int):
    offer = Offer.objects.get_for_user(request.user, pk, write=True)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST":
        saved = form_submit(
            form,
            lambda: services.offer_update(
                actor=request.user,
                offer=Offer.objects.get_for_user(request.user, pk, write=True),
                data=form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Offer saved."))
            return redirect("deals:offer_detail", pk=pk)
    return _form_page(
        request,
        form=form,
        title=_("Offer %(number)s") % {"number": offer.number},
        back="deals:deal_list",
        crumbs=[
            (offer.deal.title, "deals:deal_detail", offer.deal_id),
            (_("Offer %(number)s") % {"number": offer.number}, "deals:offer_detail", pk),
        ],
    )


@require_POST
def offer_line_add(request, pk: int):
    offer = Offer.objects.get_for_user(request.user, pk, write=True)
    form = OfferLineForm(request.POST, currency=offer.currency)
    line = form_submit(
        form, lambda: services.offer_line_add(actor=request.user, offer=offer, **form.cleaned_data)
    )
    if line:
        return redirect("deals:offer_detail", pk=pk)
    return offer_detail(request, pk, line_form=form, status=400)


@require_POST
def offer_line_edit(request, pk: int):
    line = OfferLine.objects.get_for_user(request.user, pk, write=True)
    form = OfferLineChangeForm(request.POST)
    if form_submit(
        form, lambda: services.offer_line_update(actor=request.user, line=line, **form.cleaned_data)
    ):
        return redirect("deals:offer_detail", pk=line.offer_id)
    _refuse_form(request, form)
    return redirect("deals:offer_detail", pk=line.offer_id)


@require_POST
def offer_line_remove(request, pk: int):
    line = OfferLine.objects.get_for_user(request.user, pk, write=True)
    try:
        services.offer_line_remove(actor=request.user, line=line)
    except ValidationError as error:
        _refuse(request, error)
    return redirect("deals:offer_detail", pk=line.offer_id)


OFFER_ACTIONS = {
    # action: (service, success message); decisions take the comment
    "submit": (services.offer_submit, "Submitted for approval."),
    "withdraw": (services.offer_withdraw, "Withdrawn to draft."),
    "send": (services.offer_send, "Offer sent to the client."),
    "accept": (services.offer_mark_accepted, "Marked accepted by the client."),
    "decline": (services.offer_mark_declined, "Marked rejected by the client."),
    "expire": (services.offer_mark_expired, "Marked expired."),
}
OFFER_DECISIONS = {
    "approve": (services.offer_approve, "Offer approved."),
    "reject": (services.offer_send_back, "Offer sent back to the KAM."),
}


@require_POST
def offer_action(request, pk: int, action: str):
    # Approvers are read-write on the territory, so the write check passes for them too.
    offer = Offer.objects.get_for_user(request.user, pk, write=True)
    if action in OFFER_DECISIONS:
        service, done = OFFER_DECISIONS[action]
        form = DecisionForm(request.POST)
        conflicts = []

        def decide():
            try:
                return service(actor=request.user, offer=offer, **form.cleaned_data)
            except EditConflict as conflict:
                conflicts.append(conflict)

        result = form_submit(form, decide)
        if conflicts:
            # The page shows the offer as it is now, the comment kept for a second look.
            messages.error(request, conflicts[0].messages[0])
            fresh = DecisionForm(
                initial={
                    "comment": form.cleaned_data["comment"],
                    "revision": conflicts[0].current_version,
                }
            )
            return offer_detail(request, pk, decision_form=fresh, status=409)
        if not result:
            return offer_detail(request, pk, decision_form=form, status=400)
        messages.success(request, done)
        return redirect("deals:offer_detail", pk=pk)
    if action == "new-version":
        try:
            copy = services.offer_new_version(actor=request.user, offer=offer)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("deals:offer_detail", pk=pk)
        messages.success(
            request,
            _("Version %(version)s started from version %(version2)s.")
            % {"version": copy.version, "version2": offer.version},
        )
        return redirect("deals:offer_detail", pk=copy.pk)
    if action == "delete":
        try:
            services.offer_delete(actor=request.user, offer=offer)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("deals:offer_detail", pk=pk)
        messages.success(request, _("Draft offer deleted."))
        return redirect("deals:deal_detail", pk=offer.deal_id)
    if action not in OFFER_ACTIONS:
        raise Http404("No such action.")
    service, done = OFFER_ACTIONS[action]
    try:
        service(actor=request.user, offer=offer)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return redirect("deals:offer_detail", pk=pk)


def approvals(request):
    offers = list(selectors.approvals_queue(user=request.user))
    panels = credit.approval_panels(user=request.user)
    return render(request, "deals/approvals.html", {"offers": offers, "panels": panels})


def catalogue(request):
    return _listing(
        request,
        filterset_class=ProductFilterSet,
        queryset=products_visible_to(request.user),
        heading=_("Catalogue"),
        list_url="deals:catalogue",
        template="deals/catalogue.html",
        partial="deals/partials/product_table.html",
        columns=exports.PRODUCT_COLUMNS,
        export_name="catalogue",
        matrix=selectors.discount_matrix(),
    )


# --- Contracts --------------------------------------------------------------------------------


def contract_list(request):
    return _listing(
        request,
        filterset_class=ContractFilterSet,
        queryset=selectors.contracts_for_listing(user=request.user),
        heading=_("Contracts"),
        list_url="deals:contract_list",
        partial="deals/partials/contract_table.html",
        columns=exports.CONTRACT_COLUMNS,
        export_name="contracts",
        totals=Totals(amount="value"),
        default_order=_("live contracts first, ending soonest"),
        create_url="deals:contract_create",
    )


def contract_detail(request, pk: int, *, obligation_form=None, status=200):
    contract = Contract.objects.select_related("deal").get_for_user(request.user, pk)
    page = selectors.contract_page(user=request.user, contract=contract)
    form = obligation_form or ObligationForm()
    return render(
        request,
        "deals/contract_detail.html",
        {"page": page, "obligation_form": form},
        status=status,
    )


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


class ContractPage(AccountRecordPage):
    form_class = ContractForm
    model = Contract
    noun = _("Contract")
    new_title = _("New contract")
    create_service = staticmethod(services.contract_create)
    update_service = staticmethod(services.contract_update)
    instance_kwarg = "contract"
    detail = "deals:contract_detail"
    listing = "deals:contract_list"


class OrderPage(AccountRecordPage):
    form_class = OrderForm
    model = Order
    noun = _("Order")
    new_title = _("New order")
    create_service = staticmethod(services.order_create)
    update_service = staticmethod(services.order_update)
    instance_kwarg = "order"
    detail = "deals:order_detail"
    listing = "deals:order_list"


class ComplaintPage(AccountRecordPage):
    form_class = ComplaintForm
    model = Complaint
    noun = _("Complaint")
    new_title = _("New complaint")
    create_service = staticmethod(services.complaint_open)
    update_service = staticmethod(services.complaint_update)
    instance_kwarg = "complaint"
    detail = "deals:complaint_detail"
    listing = "deals:complaint_list"


contract_create = contract_edit = ContractPage.as_view()
order_create = order_edit = OrderPage.as_view()
complaint_create = complaint_edit = ComplaintPage.as_view()


@require_POST
def contract_move(request, pk: int):
    contract = Contract.objects.get_for_user(request.user, pk, write=True)
    return _status_post(
        request,
        obj=contract,
        move=lambda c, to: services.contract_move(actor=request.user, contract=c, to_status=to),
        detail="deals:contract_detail",
    )


@require_POST
def obligation_add(request, pk: int):
    contract = Contract.objects.get_for_user(request.user, pk, write=True)
    form = ObligationForm(request.POST)
    if form_submit(
        form,
        lambda: services.obligation_add(
            actor=request.user, contract=contract, data=form.cleaned_data
        ),
    ):
        messages.success(request, _("Obligation added."))
        return redirect("deals:contract_detail", pk=pk)
    return contract_detail(request, pk, obligation_form=form, status=400)


@require_POST
def obligation_done(request, pk: int):
    obligation = ContractObligation.objects.get_for_user(request.user, pk, write=True)
    services.obligation_mark_done(actor=request.user, obligation=obligation)
    return redirect("deals:contract_detail", pk=obligation.contract_id)


@require_POST
def obligation_delete(request, pk: int):
    obligation = ContractObligation.objects.get_for_user(request.user, pk, write=True)
    services.obligation_delete(actor=request.user, obligation=obligation)
    return redirect("deals:contract_detail", pk=obligation.contract_id)


# --- Orders and returns -----------------------------------------------------------------------


def order_list(request):
    return _listing(
        request,
        filterset_class=OrderFilterSet,
        queryset=selectors.orders_for_listing(user=request.user),
        heading=_("Orders"),
        list_url="deals:order_list",
        partial="deals/partials/order_table.html",
        columns=exports.ORDER_COLUMNS,
        export_name="orders",
        totals=Totals(amount="lines__line_total"),
        default_order=_("late orders first, then by requested date, latest first"),
        create_url="deals:order_create",
    )


def order_detail(request, pk: int, *, line_form=None, return_form=None, status=200):
    order = Order.objects.select_related("contract").get_for_user(request.user, pk)
    page = selectors.order_page(user=request.user, order=order)
    context = {
        "page": page,
        "line_form": line_form or OrderLineForm(currency=order.currency),
        "return_form": return_form or ReturnForm(order=order),
        "delivered_form": DeliveredForm(initial={"delivered_date": timezone.localdate()}),
    }
    return render(request, "deals/order_detail.html", context, status=status)


@require_POST
def order_line_add(request, pk: int):
    order = Order.objects.get_for_user(request.user, pk, write=True)
    form = OrderLineForm(request.POST, currency=order.currency)
    if form_submit(
        form, lambda: services.order_line_add(actor=request.user, order=order, **form.cleaned_data)
    ):
        return redirect("deals:order_detail", pk=pk)
    return order_detail(request, pk, line_form=form, status=400)


@require_POST
def order_line_remove(request, pk: int, line_pk: int):
    order = Order.objects.get_for_user(request.user, pk, write=True)
    line = order.lines.filter(pk=line_pk).first()
    if line is None:
        raise Http404("No such order line.")
    try:
        services.order_line_remove(actor=request.user, line=line)
    except ValidationError as error:
        _refuse(request, error)
    return redirect("deals:order_detail", pk=pk)


@require_POST
def order_move(request, pk: int):
    order = Order.objects.get_for_user(request.user, pk, write=True)
    return _status_post(
        request,
        obj=order,
        move=lambda o, to: services.order_move(actor=request.user, order=o, to_status=to),
        detail="deals:order_detail",
    )


@require_POST
def order_deliver(request, pk: int):
    order = Order.objects.get_for_user(request.user, pk, write=True)
    form = DeliveredForm(request.POST)
    if form_submit(
        form,
        lambda: services.order_mark_delivered(
            actor=request.user, order=order, delivered_date=form.cleaned_data["delivered_date"]
        ),
    ):
        messages.success(request, _("Marked delivered."))
    else:
        _refuse_form(request, form)
    return redirect("deals:order_detail", pk=pk)


@require_POST
def return_create(request, pk: int):
    order = Order.objects.get_for_user(request.user, pk, write=True)
    form = ReturnForm(request.POST, order=order)
    if form_submit(
        form,
        lambda: services.return_record(
            actor=request.user,
            order_line=form.cleaned_data["order_line"],
            quantity=form.cleaned_data["quantity"],
            reason=form.cleaned_data["reason"],
            returned_on=form.cleaned_data["returned_on"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("Return recorded."))
        return redirect("deals:order_detail", pk=pk)
    return order_detail(request, pk, return_form=form, status=400)


def return_list(request):
    return _listing(
        request,
        filterset_class=ReturnFilterSet,
        queryset=selectors.returns_for_listing(user=request.user),
        heading=_("Returns and refusals"),
        list_url="deals:return_list",
        partial="deals/partials/return_table.html",
        columns=exports.RETURN_COLUMNS,
        export_name="returns",
        totals=Totals(amount="value", currency="order_line__order__currency"),
        links=[(_("Analysis"), "deals:returns_analysis")],
    )


ANALYSIS_PERIOD = timedelta(days=365)


def returns_analysis(request):
    end = _date_param(request.GET.get("end")) or timezone.localdate()
    # A year back from `end`, but not before the first day the calendar has.
    year_before = end - ANALYSIS_PERIOD if end - date.min >= ANALYSIS_PERIOD else date.min
    start = _date_param(request.GET.get("start")) or year_before
    if start > end:
        start, end = end, start
    analysis = selectors.returns_analysis(user=request.user, start=start, end=end)
    return render(request, "deals/returns_analysis.html", {"analysis": analysis})


def _date_param(value: str | None):
    """A date from the query string, or None when it is missing or not a real date."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


# --- Complaints -------------------------------------------------------------------------------


def complaint_list(request):
    return _listing(
        request,
        filterset_class=ComplaintFilterSet,
        queryset=selectors.complaints_for_listing(user=request.user),
        heading=_("Complaints"),
        list_url="deals:complaint_list",
        partial="deals/partials/complaint_table.html",
        columns=exports.COMPLAINT_COLUMNS,
        export_name="complaints",
        group=_("Clients"),
        create_url="deals:complaint_create",
    )


def complaint_detail(request, pk: int, *, resolve_form=None, status=200):
    complaint = Complaint.objects.get_for_user(request.user, pk)
    context = {
        "complaint": complaint,
        "can_edit": access.account_can_edit(request.user, complaint.account),
        "resolve_form": resolve_form or ResolveForm(),
    }
    return render(request, "deals/complaint_detail.html", context, status=status)


@require_POST
def complaint_move(request, pk: int):
    complaint = Complaint.objects.get_for_user(request.user, pk, write=True)
    return _status_post(
        request,
        obj=complaint,
        move=lambda c, to: services.complaint_move(actor=request.user, complaint=c, to_status=to),
        detail="deals:complaint_detail",
    )


@require_POST
def complaint_resolve(request, pk: int):
    complaint = Complaint.objects.get_for_user(request.user, pk, write=True)
    form = ResolveForm(request.POST)
    if form_submit(
        form,
        lambda: services.complaint_resolve(
            actor=request.user, complaint=complaint, resolution=form.cleaned_data["resolution"]
        ),
    ):
        messages.success(request, _("Complaint resolved."))
        return redirect("deals:complaint_detail", pk=pk)
    return complaint_detail(request, pk, resolve_form=form, status=400)


# --- Pickers (core/pickers.py) --------------------------------------------------------------


@require_GET
def pick_deals(request):
    return picker_response(
        request,
        Deal.objects.select_related("account", "owner")
        .visible_to(request.user)
        .order_by("-updated_at", "-pk"),
        fields=["title"],
        label=lambda d: d.title,
        detail=lambda d: f"{d.account.name} · {d.get_stage_display()}",
        narrow={"account": "account_id"},
    )


@require_GET
def pick_contracts(request):
    return picker_response(
        request,
        Contract.objects.select_related("account")
        .visible_to(request.user)
        .order_by("-end_date", "-pk"),
        fields=["number"],
        label=lambda c: c.number,
        detail=lambda c: f"{c.account.name} · {c.get_status_display()}",
        narrow={"account": "account_id"},
    )


@require_GET
def pick_orders(request):
    return picker_response(
        request,
        Order.objects.select_related("account")
        .visible_to(request.user)
        .order_by("-requested_date", "-pk"),
        fields=["reference"],
        label=str,
        detail=lambda o: " · ".join(p for p in (o.reference, o.account.name) if p),
        narrow={"account": "account_id"},
    )


@require_GET
def pick_products(request):
    """Active products by SKU or name, with their list price; `?currency=` for an offer's."""
    products = products_visible_to(request.user).filter(is_active=True)
    currency = request.GET.get("currency", "")
    if currency:
        products = products.filter(currency=currency[:3])
    return picker_response(
        request,
        products.order_by("sku"),
        fields=["sku", "name"],
        label=lambda p: f"{p.sku} {p.name}",
        detail=lambda p: f"{p.list_price:,.2f} {p.currency} / {p.unit}",
    )
