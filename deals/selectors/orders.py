"""Reads for orders and returns."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.history import HistoryEntry, history_entries
from team import access
from team.models import User

from ..models import (
    ORDER_FLOW,
    Order,
    OrderLine,
    OrderStatus,
    Return,
)
from .common import _money_sum, _totals

OPEN_ORDER_STATUSES = [OrderStatus.RECEIVED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED]


def late_condition(today: date) -> Q:
    """Delivered after the promised date, or the promised date has passed with no delivery."""
    return Q(delivered_date__gt=F("promised_date")) | Q(
        status__in=OPEN_ORDER_STATUSES, promised_date__lt=today
    )


def _orders_annotated(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.annotate(
        total=_money_sum("lines__line_total"),
        line_count=Count("lines"),
        is_late=Case(
            When(late_condition(timezone.localdate()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def orders_for_listing(*, user: User) -> QuerySet[Order]:
    """Late orders first, then the latest requested."""
    return _orders_annotated(
        Order.objects.visible_to(user).select_related("account", "contract")
    ).order_by("-is_late", "-requested_date", "-pk")


@dataclass(frozen=True)
class OrderPage:
    order: Order
    lines: list[OrderLine]
    returns: list[Return]
    total: Decimal
    history: list[HistoryEntry]
    moves: list[tuple[str, str]]
    can_edit: bool
    is_late: bool
    can_return: bool

    @property
    def can_deliver(self) -> bool:
        return OrderStatus.DELIVERED in ORDER_FLOW[self.order.status]


def order_page(*, user: User, order: Order) -> OrderPage:
    """Three queries after the order: lines with returned quantities, returns, history."""
    lines = list(
        order.lines.select_related("product").annotate(
            returned=Coalesce(
                Sum("returns__quantity"),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=3),
            )
        )
    )
    today = timezone.localdate()
    late = bool(
        (
            order.delivered_date
            and order.promised_date
            and order.delivered_date > order.promised_date
        )
        or (
            order.status in OPEN_ORDER_STATUSES
            and order.promised_date
            and order.promised_date < today
        )
    )
    return OrderPage(
        order=order,
        lines=lines,
        returns=list(
            Return.objects.filter(order_line__order=order).select_related(
                "order_line__product", "recorded_by"
            )
        ),
        total=sum((line.line_total for line in lines), Decimal(0)),
        history=history_entries(instance=order),
        moves=ORDER_FLOW.moves_from(order.status),
        can_edit=access.account_can_edit(user, order.account),
        is_late=late,
        can_return=order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
    )


def returns_for_listing(*, user: User) -> QuerySet[Return]:
    return (
        Return.objects.visible_to(user)
        .select_related("order_line__order__account", "order_line__product", "recorded_by")
        .order_by("-returned_on", "-pk")
    )


@dataclass(frozen=True)
class ReturnsAnalysis:
    start: date
    end: date
    count: int
    value: dict[str, Decimal]  # per currency; each row below is in its `currency`
    by_reason: list[dict]
    by_product: list[dict]
    by_account: list[dict]


ANALYSIS_ROWS = 15


def returns_analysis(*, user: User, start: date, end: date) -> ReturnsAnalysis:
    """Returns between `start` and `end` by reason, product and account, with the value lost.
    Four aggregate queries."""
    returns = (
        Return.objects.visible_to(user)
        .select_related("order_line__order__account", "order_line__product", "recorded_by")
        .filter(returned_on__gte=start, returned_on__lte=end)
    )

    def grouped(*fields: str) -> QuerySet:
        return (
            returns.order_by()
            .values(*fields, currency=F("order_line__order__currency"))
            .annotate(count=Count("id"), quantity=Sum("quantity"), value=_money_sum("value"))
            .order_by("-value", *fields, "currency")
        )

    labels = dict(Return.Reason.choices)
    totals = list(grouped())
    return ReturnsAnalysis(
        start=start,
        end=end,
        count=sum(row["count"] for row in totals),
        value=_totals(totals, "value"),
        by_reason=[
            {**row, "label": labels.get(row["reason"], row["reason"])} for row in grouped("reason")
        ],
        by_product=list(
            grouped("order_line__product__sku", "order_line__product__name")[:ANALYSIS_ROWS]
        ),
        by_account=list(
            grouped("order_line__order__account_id", "order_line__order__account__name")[
                :ANALYSIS_ROWS
            ]
        ),
    )
