"""Orders, their lines and returns."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, reporting_rate_fields, validate_currency
from core.status import StatusFlow

from .catalogue import Product
from .common import _choice_check
from .contracts import Contract


class OrderStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


ORDER_FLOW = StatusFlow(
    OrderStatus,
    {
        OrderStatus.RECEIVED: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
        OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED},
        OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
        OrderStatus.DELIVERED: set(),
        OrderStatus.CANCELLED: set(),
    },
)


class Order(models.Model):
    """An order from a key client, with the date it was promised and the date it arrived."""

    account_path = "account"
    status_flow = ORDER_FLOW

    Status = OrderStatus

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="orders")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    reference = models.CharField(
        _("client's reference"),
        max_length=60,
        blank=True,
        help_text=_("Their purchase order number."),
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    # Frozen on the day the order comes in: the plan's "booked" figure in the reporting
    # currency converts each order at the rate it was made with.
    reporting_rate, reporting_rate_day = reporting_rate_fields()
    requested_date = models.DateField(_("requested delivery date"))
    promised_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    delivered_date = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Who confirmed prices below the discount rule (none: every line within it, or at the
    # prices of an accepted offer).
    prices_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_date", "-pk"]
        constraints = [
            _choice_check("deals_order_status_valid", "status", OrderStatus),
            models.CheckConstraint(
                name="deals_order_delivered_has_date",
                condition=~Q(status=OrderStatus.DELIVERED) | Q(delivered_date__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["status", "promised_date"]),
        ]

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.pk}


class OrderLine(models.Model):
    """A product and quantity on an order, at the agreed unit price."""

    account_path = "order__account"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.DecimalField(
        max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(validators=[MinValueValidator(0)], **MONEY)
    # Computed once by the service (core.money), so totals are plain SQL sums.
    line_total = models.DecimalField(editable=False, **MONEY)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="deals_order_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="deals_order_line_price_not_negative", condition=Q(unit_price__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} x {self.quantity}"


class ReturnReason(models.TextChoices):
    QUALITY = "quality", _("Quality")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    LATE = "late", _("Late")
    PRICE = "price", _("Price")
    NOT_NEEDED = "not_needed", _("No longer needed")
    OTHER = "other", _("Other")


class Return(models.Model):
    """Goods of an order line sent back or refused by the client, and why."""

    account_path = "order_line__order__account"

    Reason = ReturnReason

    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.DecimalField(
        max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.TextField(blank=True)
    returned_on = models.DateField()
    # The quantity at the line's unit price, computed once by the service: the value lost.
    value = models.DecimalField(editable=False, **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-returned_on", "-pk"]
        constraints = [
            _choice_check("deals_return_reason_valid", "reason", ReturnReason),
            models.CheckConstraint(
                name="deals_return_quantity_positive", condition=Q(quantity__gt=0)
            ),
        ]
        indexes = [models.Index(fields=["returned_on"])]

    def __str__(self) -> str:
        return _("Return of %(quantity)s (%(reason)s)") % {
            "quantity": self.quantity,
            "reason": self.get_reason_display(),
        }
