"""Contracts and their obligations."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, validate_currency
from core.status import StatusFlow

from .common import _choice_check
from .pipeline import Deal


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
        _("payment terms (days)"), default=30, validators=[MaxValueValidator(365)]
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
    party = models.CharField(_("whose"), max_length=10, choices=Party.choices, default=Party.US)
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
