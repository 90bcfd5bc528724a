"""Pages of contracts and their obligations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import form_submit
from core.listing import Totals
from core.pickers import picker_response

from .. import exports, selectors, services
from ..filters import (
    ContractFilterSet,
)
from ..forms import (
    ContractForm,
    ObligationForm,
)
from ..models import (
    Contract,
    ContractObligation,
)
from .common import AccountRecordPage, _listing, _status_post


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


contract_create = contract_edit = ContractPage.as_view()


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
