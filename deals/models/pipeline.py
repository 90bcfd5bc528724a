"""Deals and their stages."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Account, Competitor
from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, validate_currency
from core.status import StatusFlow

from .common import _choice_check, _percent_check


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
        _("probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
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
