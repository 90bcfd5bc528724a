"""Writes to orders, their lines and returns."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core.money import freeze_reporting_rate, money_round, rate_to_reporting, reporting_rates_fill
from core.services import model_update
from core.status import status_move
from team.models import User

from ..access import (
    order_can_approve_prices,
)
from ..credit import credit_checks_run
from ..models import (
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Return,
)
from ..selectors import order_price_breaches
from .common import _check_can_edit, _check_same_account, _fill, _lines_total

ORDER_FIELDS = ("contract", "reference", "currency", "requested_date", "promised_date", "note")


def _order_line(
    *, order: Order, product: Product, quantity: Decimal, unit_price: Decimal | None = None
):
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if not product.is_active:
        raise ValidationError(
            {"product": _("%(product)s is no longer sold.") % {"product": product}}
        )
    if product.currency != order.currency:
        raise ValidationError(
            {
                "product": _("%(product)s is in %(currency)s, the order in %(currency2)s.")
                % {"product": product, "currency": product.currency, "currency2": order.currency}
            }
        )
    price = product.list_price if unit_price is None else unit_price
    line = OrderLine(
        order=order,
        product=product,
        quantity=quantity,
        unit_price=price,
        line_total=money_round(quantity * price, order.currency),
    )
    line.full_clean(exclude=["order"])
    return line


def order_create(
    *,
    actor: User,
    account: Account,
    data: dict[str, Any],
    lines: Iterable[dict[str, Any]] = (),
) -> Order:
    """An order with its lines (each: product, quantity and, if agreed, unit_price)."""
    _check_can_edit(actor, account, "orders")
    order = _fill(Order(account=account, created_by=actor), ORDER_FIELDS, data)
    freeze_reporting_rate(order, on=timezone.localdate())
    _check_same_account(account=account, field="contract", record=order.contract)
    order.full_clean()
    drafts = [_order_line(order=order, **line) for line in lines]
    with transaction.atomic():
        order.save()
        for line in drafts:
            line.order = order
        OrderLine.objects.bulk_create(drafts)
    return order


def _check_order_open(actor: User, order: Order) -> None:
    _check_can_edit(actor, order.account, "orders")
    if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
        raise ValidationError(
            _("This order is %(status)s; it no longer changes.")
            % {"status": order.get_status_display().lower()}
        )


def order_update(
    *, actor: User, order: Order, data: dict[str, Any], version: int | None = None
) -> Order:
    _check_order_open(actor, order)
    currency_changes = "currency" in data and data["currency"] != order.currency
    if currency_changes and order.lines.exists():
        raise ValidationError({"currency": _("Remove the lines before changing the currency.")})

    if currency_changes:  # the rate of the day it came in, for its new currency
        used = rate_to_reporting(data["currency"], on=timezone.localdate(order.created_at))
        data = {
            **data,
            "reporting_rate": used.rate if used else None,
            "reporting_rate_day": used.day if used else None,
        }
    return model_update(
        instance=order,
        fields=[*ORDER_FIELDS, "reporting_rate", "reporting_rate_day"],
        data=data,
        version=version,
        check=lambda o: _check_same_account(account=o.account, field="contract", record=o.contract),
    )[0]


def order_rates_fill(*, rates) -> int:
    """Orders that came in while the table had no rate for their day take the one entered
    or imported now (`core.money.reporting_rates_fill`)."""
    return reporting_rates_fill(rates=rates, documents=[(Order.objects.all(), "created_at__date")])


def order_line_add(
    *,
    actor: User,
    order: Order,
    product: Product,
    quantity: Decimal,
    unit_price: Decimal | None = None,
) -> OrderLine:
    with transaction.atomic():
        order = _order_locked(order)
        _check_order_open(actor, order)
        if order.status != OrderStatus.RECEIVED:
            raise ValidationError(
                _("Lines are added while the order is received, before it is confirmed.")
            )
        line = _order_line(order=order, product=product, quantity=quantity, unit_price=unit_price)
        line.save()
    return line


def order_line_remove(*, actor: User, line: OrderLine) -> None:
    with transaction.atomic():
        order = _order_locked(line.order)
        _check_order_open(actor, order)
        if order.status != OrderStatus.RECEIVED or line.returns.exists():
            raise ValidationError(
                _("Lines are removed while the order is received, before it is confirmed.")
            )
        line.delete()


def _order_locked(order: Order) -> Order:
    """`order` re-read in place with its account, its row locked until the transaction ends."""
    order.refresh_from_db(
        from_queryset=Order.objects.select_for_update(of=("self",)).select_related("account")
    )
    return order


def _order_confirm(*, actor: User, order: Order) -> Order:
    """Confirm the order if its prices are within the discount rule for the client, or at an
    accepted offer's prices; below them only an approver (not its author) confirms it."""
    with transaction.atomic():
        order = _order_locked(order)
        if not order.lines.exists():
            raise ValidationError(_("Add at least one line before confirming the order."))
        credit_checks_run(
            actor=actor,
            account=order.account,
            order=order,
            amount=_lines_total(order.lines),
            currency=order.currency,
        )
        approved_by = None
        breaches = order_price_breaches(order=order)
        if breaches:
            if not order_can_approve_prices(actor, order):
                raise ValidationError(
                    [
                        "These prices are below what the discount rule allows for this client "
                        "and no accepted offer gave them: the territory's director (or an "
                        "admin) confirms this order, or correct the prices.",
                        *breaches,
                    ]
                )
            approved_by = actor
        return status_move(
            order, by=actor, to=OrderStatus.CONFIRMED, prices_approved_by=approved_by
        )


def order_move(*, actor: User, order: Order, to_status: str) -> Order:
    """Confirm, ship or cancel an order (delivery has its own service, with the date)."""
    _check_can_edit(actor, order.account, "orders")
    if to_status == OrderStatus.DELIVERED:
        return order_mark_delivered(actor=actor, order=order)
    if to_status == OrderStatus.CONFIRMED:
        return _order_confirm(actor=actor, order=order)
    return status_move(order, by=actor, to=to_status)


def order_mark_delivered(*, actor: User, order: Order, delivered_date: date | None = None) -> Order:
    _check_can_edit(actor, order.account, "orders")
    delivered_date = delivered_date or timezone.localdate()
    if delivered_date > timezone.localdate():
        raise ValidationError({"delivered_date": _("A delivery date cannot be in the future.")})
    return status_move(order, by=actor, to=OrderStatus.DELIVERED, delivered_date=delivered_date)


def return_record(
    *,
    actor: User,
    order_line: OrderLine,
    quantity: Decimal,
    reason: str,
    returned_on: date | None = None,
    note: str = "",
) -> Return:
    """Goods sent back or refused; worth the quantity at the line's unit price."""
    order = order_line.order
    _check_can_edit(actor, order.account, "returns")
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise ValidationError(
            _("Only goods of a shipped or delivered order can be returned or refused.")
        )
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if returned_on is not None and returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("A return date cannot be in the future.")})
    with transaction.atomic():
        OrderLine.objects.select_for_update().filter(pk=order_line.pk).first()
        returned = order_line.returns.aggregate(q=Sum("quantity"))["q"] or 0
        left = order_line.quantity - returned
        if quantity > left:
            raise ValidationError(
                {
                    "quantity": _(
                        "Only %(normalize)s of %(normalize2)s can still be returned from this line."
                    )
                    % {
                        "normalize": format(left.normalize(), "f"),
                        "normalize2": format(order_line.quantity.normalize(), "f"),
                    }
                }
            )
        item = Return(
            order_line=order_line,
            quantity=quantity,
            reason=reason,
            note=note,
            returned_on=returned_on or timezone.localdate(),
            recorded_by=actor,
            value=money_round(quantity * order_line.unit_price, order.currency),
        )
        item.full_clean()
        item.save()
    return item


def return_delete(*, actor: User, item: Return) -> None:
    _check_can_edit(actor, item.order_line.order.account, "returns")
    item.delete()
