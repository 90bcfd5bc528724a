"""Commercial offers and their lines."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, PERCENT, validate_currency
from core.status import StatusFlow

from .catalogue import Product
from .common import _choice_check, _percent_check
from .pipeline import Deal


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
        return _("Offer %(number)s") % {"number": self.number}

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
    discount = models.DecimalField(_("discount (%)"), default=0, **PERCENT)
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
