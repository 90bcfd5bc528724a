"""Pages of orders and returns."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import form_submit
from core.listing import Totals
from core.pickers import picker_response

from .. import exports, selectors, services
from ..filters import (
    OrderFilterSet,
    ReturnFilterSet,
)
from ..forms import (
    DeliveredForm,
    OrderForm,
    OrderLineForm,
    ReturnForm,
)
from ..models import (
    Order,
)
from .common import AccountRecordPage, _listing, _refuse, _refuse_form, _status_post


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


order_create = order_edit = OrderPage.as_view()


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
