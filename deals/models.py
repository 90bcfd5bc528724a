"""Products and their price list, the deal pipeline, commercial offers, contracts, orders,
returns and complaints.

Status pipelines are data: each `*_FLOW` (a core.status.StatusFlow, named on its model as
`status_flow`) says which moves are allowed from each status; core.status.status_move moves
them and writes their history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Account, AccountTier, Competitor, Contact
from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, PERCENT, validate_currency
from core.status import StatusFlow


def _choice_check(name: str, field: str, choices: type[models.TextChoices]):
    return models.CheckConstraint(name=name, condition=Q(**{f"{field}__in": choices.values}))


def _percent_check(name: str, field: str):
    return models.CheckConstraint(
        name=name, condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100})
    )


# --- Products and the discount rule ----------------------------------------------------------


class ProductCategory(models.Model):
    """A product family, with the discount a KAM may give on their own and the margin floor."""

    name = models.CharField(max_length=100, unique=True)
    max_discount = models.DecimalField(
        "KAM's own discount limit (%)",
        default=10,
        help_text=_("Used for client tiers the discount matrix has no row for."),
        **PERCENT,
    )
    margin_floor = models.DecimalField(
        "margin floor (%)",
        default=10,
        help_text=_(
            "No offer line may have a lower margin (net price against unit cost) "
            "without a director's approval."
        ),
        **PERCENT,
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("product categories")
        constraints = [
            _percent_check("deals_category_max_discount_percent", "max_discount"),
            _percent_check("deals_category_margin_floor_percent", "margin_floor"),
        ]

    def __str__(self) -> str:
        return self.name


class DiscountLimit(models.Model):
    """One cell of the discount matrix: the most a KAM gives alone on a category to a tier."""

    category = models.ForeignKey(
        ProductCategory, on_delete=models.CASCADE, related_name="discount_limits"
    )
    tier = models.CharField("client tier", max_length=1, choices=AccountTier.choices)
    max_discount = models.DecimalField("KAM's own discount limit (%)", **PERCENT)

    class Meta:
        ordering = ["category__name", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "tier"],
                name="deals_discount_limit_one_per_tier",
                violation_error_message="This category already has a limit for that tier.",
            ),
            _choice_check("deals_discount_limit_tier_valid", "tier", AccountTier),
            _percent_check("deals_discount_limit_percent", "max_discount"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · tier {self.tier}: {self.max_discount} %"


class Product(models.Model):
    """An item of the price list."""

    sku = models.CharField("SKU", max_length=40, unique=True)
    name = models.CharField(max_length=200)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="products")
    unit = models.CharField(max_length=20, default="pcs")
    list_price = models.DecimalField(validators=[MinValueValidator(0)], **MONEY)
    unit_cost = models.DecimalField(
        validators=[MinValueValidator(0)], help_text=_("What one unit costs us."), **MONEY
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["category__name", "name"]
        constraints = [
            models.CheckConstraint(
                name="deals_product_prices_not_negative",
                condition=Q(list_price__gte=0, unit_cost__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


# --- Deals ------------------------------------------------------------------------------------


class DealStage(models.TextChoices):
    RESEARCH = "research", _("Research")
    FIRST_CONTACT = "first_contact", _("First contact")
    OFFER = "offer", _("Offer")
    MEETING = "meeting", _("Meeting / presentation")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", pgettext_lazy("deal stage", "Lost")


OPEN_STAGES = [
    DealStage.RESEARCH,
    DealStage.FIRST_CONTACT,
    DealStage.OFFER,
    DealStage.MEETING,
    DealStage.NEGOTIATION,
]
CLOSED_STAGES = [DealStage.WON, DealStage.LOST]

# Default probability (%) per stage; a KAM may change a deal's own.
STAGE_PROBABILITY = {
    DealStage.RESEARCH: 10,
    DealStage.FIRST_CONTACT: 20,
    DealStage.OFFER: 40,
    DealStage.MEETING: 50,
    DealStage.NEGOTIATION: 70,
    DealStage.WON: 100,
    DealStage.LOST: 0,
}

# An open deal may move to any other stage (forward, back, or straight to won, e.g. a tender).
# A won deal is final: its contract and orders follow. A lost one may be reopened.
DEAL_STAGE_FLOW = StatusFlow(
    DealStage,
    {
        **{stage: set(DealStage.values) - {stage} for stage in OPEN_STAGES},
        DealStage.WON: set(),
        DealStage.LOST: {DealStage.RESEARCH, DealStage.FIRST_CONTACT},
    },
    field="stage",
)


class Deal(models.Model):
    """An opportunity with a key client, moving through the pipeline stages."""

    account_path = "account"
    status_flow = DEAL_STAGE_FLOW

    Stage = DealStage

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="deals")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("owner KAM"),
    )
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RESEARCH)
    amount = models.DecimalField(default=0, validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    expected_margin = models.DecimalField(
        null=True, blank=True, help_text=_("Expected margin on the deal, in its currency."), **MONEY
    )
    probability = models.PositiveSmallIntegerField(
        "probability (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    expected_close_date = models.DateField(null=True, blank=True)
    competitor = models.ForeignKey(
        Competitor, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    lost_reason = models.TextField(blank=True)
    next_step = models.CharField(max_length=255, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, editable=False, help_text=_("When the deal was won or lost.")
    )
    # Optimistic concurrency: bumped by every save through the services (core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            _choice_check("deals_deal_stage_valid", "stage", DealStage),
            _percent_check("deals_deal_probability_percent", "probability"),
            models.CheckConstraint(
                name="deals_deal_amount_not_negative", condition=Q(amount__gte=0)
            ),
            models.CheckConstraint(
                name="deals_deal_lost_has_reason",
                condition=~Q(stage=DealStage.LOST) | ~Q(lost_reason=""),
                violation_error_message="Say why the deal was lost.",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "stage"]),
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["stage", "closed_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class DealStageChange(models.Model):
    """One move of a deal between stages: when, by whom, from where to where."""

    account_path = "deal__account"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=DealStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=DealStage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["deal", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.deal}: {self.from_stage or '—'} → {self.to_stage}"


# --- Offers -----------------------------------------------------------------------------------


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected by the client")
    EXPIRED = "expired", _("Expired")


# draft -> sent when the offer is within the discount rule, else draft -> pending approval.
# The director approves (-> approved, then sent) or rejects (-> back to draft, with the
# comment); the KAM may withdraw a pending offer to draft. Sent offers are immutable.
OFFER_FLOW = StatusFlow(
    OfferStatus,
    {
        OfferStatus.DRAFT: {OfferStatus.PENDING_APPROVAL, OfferStatus.SENT},
        OfferStatus.PENDING_APPROVAL: {OfferStatus.APPROVED, OfferStatus.DRAFT},
        OfferStatus.APPROVED: {OfferStatus.SENT, OfferStatus.EXPIRED},
        OfferStatus.SENT: {OfferStatus.ACCEPTED, OfferStatus.REJECTED, OfferStatus.EXPIRED},
        OfferStatus.ACCEPTED: set(),
        OfferStatus.REJECTED: set(),
        OfferStatus.EXPIRED: set(),
    },
)
# A changed offer is a new version, made from one that left the draft.
OFFER_REVISABLE = {
    OfferStatus.APPROVED,
    OfferStatus.SENT,
    OfferStatus.REJECTED,
    OfferStatus.EXPIRED,
}


class Offer(models.Model):
    """One version of a commercial offer on a deal: priced lines, validity and terms."""

    account_path = "deal__account"
    status_flow = OFFER_FLOW

    Status = OfferStatus

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="offers")
    version = models.PositiveSmallIntegerField("version number", default=1, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    valid_until = models.DateField()
    terms = models.TextField(blank=True, help_text=_("Delivery, payment and other conditions."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Why the offer needed a director, as worded when it was submitted (the rule may change).
    approval_reason = models.TextField(blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.TextField(blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who asked for the approval: four eyes, so never the one who approves (deals/access.py).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("Accepted, rejected or expired.")
    )
    # Goes up with every change to the offer or its lines: an approval names the revision the
    # director looked at, and is refused if the offer changed since.
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The client's tier and the limits the discount rule judged the offer by, when it was
    # submitted or sent (the tier and the limits may change later).
    checked_tier = models.CharField(max_length=1, blank=True, editable=False)
    checked_limits = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deal", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "version"],
                name="deals_offer_one_per_version",
                violation_error_message="This deal already has an offer with that version.",
            ),
            _choice_check("deals_offer_status_valid", "status", OfferStatus),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Offer {self.number}"

    @property
    def number(self) -> str:
        return f"{self.deal_id}-v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == OfferStatus.DRAFT


class OfferLine(models.Model):
    """A priced line of an offer.

    The list price and unit cost are copied from the product when the line is added, and the
    net price, total and cost are computed then by the service (deals.pricing): an offer keeps
    the prices it was made with, whatever happens to the price list later.
    """

    account_path = "offer__deal__account"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offer_lines")
    quantity = models.DecimalField(
        max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    list_price = models.DecimalField(**MONEY)
    unit_cost = models.DecimalField(**MONEY)
    discount = models.DecimalField("discount (%)", default=0, **PERCENT)
    net_price = models.DecimalField(**MONEY)
    line_total = models.DecimalField(**MONEY)
    line_cost = models.DecimalField(**MONEY)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["offer", "pk"]
        constraints = [
            models.CheckConstraint(
                name="deals_offer_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            _percent_check("deals_offer_line_discount_percent", "discount"),
        ]

    def __str__(self) -> str:
        return f"{self.product} x {self.quantity}"

    @property
    def margin(self):
        return self.line_total - self.line_cost


# --- Contracts --------------------------------------------------------------------------------


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


CONTRACT_FLOW = StatusFlow(
    ContractStatus,
    {
        ContractStatus.DRAFT: {ContractStatus.ACTIVE, ContractStatus.TERMINATED},
        ContractStatus.ACTIVE: {
            ContractStatus.EXPIRING,
            ContractStatus.EXPIRED,
            ContractStatus.TERMINATED,
        },
        # Renewed before the end: active again.
        ContractStatus.EXPIRING: {
            ContractStatus.ACTIVE,
            ContractStatus.EXPIRED,
            ContractStatus.TERMINATED,
        },
        ContractStatus.EXPIRED: set(),
        ContractStatus.TERMINATED: set(),
    },
)
LIVE_CONTRACT_STATUSES = [ContractStatus.ACTIVE, ContractStatus.EXPIRING]


class ContractRenewal(models.TextChoices):
    NONE = "none", _("None")
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Automatic")


class Contract(models.Model):
    """A signed agreement with a key client: value, term, payment terms and renewal."""

    account_path = "account"
    status_flow = CONTRACT_FLOW

    Status = ContractStatus
    Renewal = ContractRenewal

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="contracts")
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    number = models.CharField(
        max_length=40,
        unique=True,
        error_messages={"unique": _("Another contract already has this number.")},
    )
    signed_on = models.DateField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    value = models.DecimalField(validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        "payment terms (days)", default=30, validators=[MaxValueValidator(365)]
    )
    renewal = models.CharField(max_length=10, choices=Renewal.choices, default=Renewal.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "number"]
        constraints = [
            _choice_check("deals_contract_status_valid", "status", ContractStatus),
            _choice_check("deals_contract_renewal_valid", "renewal", ContractRenewal),
            models.CheckConstraint(
                name="deals_contract_ends_after_start",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message="The contract must end on or after its start.",
            ),
            models.CheckConstraint(
                name="deals_contract_value_not_negative", condition=Q(value__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return self.number


class ObligationParty(models.TextChoices):
    US = "us", _("Us")
    CLIENT = "client", _("Client")


class ObligationKind(models.TextChoices):
    DELIVER = "deliver", _("Deliver by")
    PAY = "pay", _("Pay by")
    REPORT = "report", _("Report by")
    OTHER = "other", _("Other")


class ContractObligation(models.Model):
    """Something one side of a contract must do by a date."""

    account_path = "contract__account"

    Party = ObligationParty
    Kind = ObligationKind

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    party = models.CharField("whose", max_length=10, choices=Party.choices, default=Party.US)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=255)
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            _choice_check("deals_obligation_party_valid", "party", ObligationParty),
            _choice_check("deals_obligation_kind_valid", "kind", ObligationKind),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date}: {self.description}"


# --- Orders, returns and complaints -----------------------------------------------------------


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
        "client's reference", max_length=60, blank=True, help_text=_("Their purchase order number.")
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    requested_date = models.DateField("requested delivery date")
    promised_date = models.DateField("promised delivery date", null=True, blank=True)
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
        return f"Order {self.pk}"


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
        return f"Return of {self.quantity} ({self.get_reason_display()})"


class ComplaintSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


COMPLAINT_FLOW = StatusFlow(
    ComplaintStatus,
    {
        ComplaintStatus.OPEN: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED},
        ComplaintStatus.IN_PROGRESS: {ComplaintStatus.OPEN, ComplaintStatus.RESOLVED},
        ComplaintStatus.RESOLVED: {ComplaintStatus.OPEN},  # reopened
    },
)


class Complaint(models.Model):
    """A client's complaint or conflict, and how it was resolved."""

    account_path = "account"
    status_flow = COMPLAINT_FLOW

    Severity = ComplaintSeverity
    Status = ComplaintStatus

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="complaints")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    subject = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    opened_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            _choice_check("deals_complaint_severity_valid", "severity", ComplaintSeverity),
            _choice_check("deals_complaint_status_valid", "status", ComplaintStatus),
            models.CheckConstraint(
                name="deals_complaint_resolved_has_resolution",
                condition=~Q(status=ComplaintStatus.RESOLVED) | ~Q(resolution=""),
                violation_error_message="Say how the complaint was resolved.",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return self.subject
