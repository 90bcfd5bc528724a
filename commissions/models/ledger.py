"""Commission periods, the append-only ledger of entries KAMs are paid by, their statements
and disputes.

Once a period is closed, its entries and statements are refused any change by the database
itself (triggers installed by migration 0003), not only by the services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import MONEY, validate_currency
from core.status import StatusFlow

from .schemes import RATE, SchemeVersion


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CALCULATED = "calculated", _("Calculated")
    CLOSED = "closed", _("Closed")
    PAID = "paid", _("Paid")


# Entries may still change (be recalculated) in these; never in the others.
WRITABLE_STATUSES = (PeriodStatus.OPEN, PeriodStatus.CALCULATED)

PERIOD_FLOW = StatusFlow(
    PeriodStatus,
    {
        PeriodStatus.OPEN: {PeriodStatus.CALCULATED},
        PeriodStatus.CALCULATED: {PeriodStatus.CALCULATED, PeriodStatus.CLOSED},
        PeriodStatus.CLOSED: {PeriodStatus.PAID, PeriodStatus.OPEN},
        PeriodStatus.PAID: set(),
    },
)


class CommissionPeriod(models.Model):
    """One month of commissions: open → calculated → closed (→ paid)."""

    Status = PeriodStatus
    status_flow = PERIOD_FLOW

    month = models.DateField(_("month"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("commission period")
        verbose_name_plural = _("commission periods")
        constraints = [
            models.CheckConstraint(
                name="commissions_period_first_of_month", condition=Q(month__day=1)
            ),
            models.CheckConstraint(
                name="commissions_period_status_valid", condition=Q(status__in=PeriodStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_writable(self) -> bool:
        return self.status in WRITABLE_STATUSES


class PeriodEvent(models.Model):
    """Who calculated, closed, reopened or paid a period, when and why; append-only."""

    class Action(models.TextChoices):
        CALCULATE = "calculate", _("Calculated")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")
        PAY = "pay", _("Marked paid")

    period = models.ForeignKey(CommissionPeriod, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("period event")

    def __str__(self) -> str:
        return f"{self.period} {self.action}"


# The source key of a line's clawback on its invoice's cancellation: CANCEL_KEY + "line:<id>".
CANCEL_KEY = "cancel:"


# The note of an entry its sources no longer produce but a dispute or a correction names: kept
# at zero rather than deleted (periods.period_calculate).
WITHDRAWN = "withdrawn"


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    CLAWBACK = "clawback", _("Clawback")
    ADJUSTMENT = "adjustment", _("Adjustment")


class CommissionEntry(models.Model):
    """One line of a KAM's commission: what it is for, how it was computed, how much.

    `source_key` names what the entry is computed from (an invoice line, a payment allocation,
    a credit note, a dispute); one entry per source and period, so a recalculation can never
    count a source twice.
    """

    Kind = EntryKind

    period = models.ForeignKey(CommissionPeriod, on_delete=models.PROTECT, related_name="entries")
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source_key = models.CharField(max_length=60)
    invoice = models.ForeignKey(
        "receivables.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invoice_line = models.ForeignKey(
        "receivables.InvoiceLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allocation = models.ForeignKey(
        "receivables.Allocation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_note = models.ForeignKey(
        "receivables.CreditNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects entry"),
    )
    scheme_version = models.ForeignKey(
        SchemeVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    sale_key = models.CharField(_("sale"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    on_date = models.DateField(_("date"))
    # The base of this line (net or margin) and the sale's cumulative base before it.
    base = models.DecimalField(_("base"), default=0, **MONEY)
    base_before = models.DecimalField(_("sale's base before"), default=0, **MONEY)
    # The bracket slices this line fell in: [{"lower", "upper", "amount", "rate", "commission"}].
    slices = models.JSONField(_("slices"), default=list, blank=True)
    # The share of the invoice's commission this entry is for (paid or credited), 0-1.
    share = models.DecimalField(_("share"), null=True, blank=True, **RATE)
    commission = models.DecimalField(_("commission before multiplier"), default=0, **MONEY)
    multiplier = models.DecimalField(_("multiplier"), default=1, max_digits=5, decimal_places=3)
    fulfilment = models.DecimalField(
        _("plan fulfilment (%)"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "kam", "on_date", "pk"]
        verbose_name = _("commission entry")
        verbose_name_plural = _("commission entries")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "source_key"], name="commissions_entry_one_per_source"
            ),
            models.CheckConstraint(
                name="commissions_entry_kind_valid", condition=Q(kind__in=EntryKind.values)
            ),
            models.CheckConstraint(
                name="commissions_adjustment_says_why",
                condition=~Q(kind=EntryKind.ADJUSTMENT) | ~Q(note=""),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "kam"]),
            models.Index(fields=["invoice", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.kam_id} {self.kind} {self.amount}"

    @property
    def share_percent(self):
        return None if self.share is None else self.share * 100

    @property
    def is_cancellation(self) -> bool:
        """Takes back what an invoice line earned because its invoice was cancelled."""
        return self.source_key.startswith(CANCEL_KEY)

    @property
    def is_withdrawn(self) -> bool:
        return self.kind != EntryKind.ADJUSTMENT and self.note == WITHDRAWN

    @property
    def paid(self):
        """The payment (or the part taken back) this entry is for; the allocation is loaded."""
        return self.allocation.amount if self.allocation_id else None


class InvoiceCancellation(models.Model):
    """When an invoice was cancelled, for commissions: what it earned is clawed back in the
    period of `on_date` (like a credit note of all of it); written by the cancellation itself
    (receivables' `invoice_cancelled` signal)."""

    invoice = models.OneToOneField(
        "receivables.Invoice",
        on_delete=models.PROTECT,
        related_name="commission_cancellation",
    )
    on_date = models.DateField(_("cancelled on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice cancellation")

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.on_date}"


class Statement(models.Model):
    """A KAM's commission for a period in one currency: the sums of their entries."""

    period = models.ForeignKey(
        CommissionPeriod, on_delete=models.PROTECT, related_name="statements"
    )
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_statements"
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    # Stored so the period's list, exports and payroll read one row per KAM; always the sums of
    # the period's entries (rebuilt with them, frozen with them).
    earned = models.DecimalField(_("earned"), default=0, **MONEY)
    clawback = models.DecimalField(_("clawed back"), default=0, **MONEY)
    adjustments = models.DecimalField(_("adjustments"), default=0, **MONEY)
    total = models.DecimalField(_("total"), default=0, **MONEY)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    fulfilment = models.DecimalField(
        _("plan fulfilment (%)"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    multiplier = models.DecimalField(_("multiplier"), null=True, max_digits=5, decimal_places=3)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "kam"]
        verbose_name = _("commission statement")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kam", "currency"], name="commissions_statement_one_per_kam"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kam} {self.period} {self.total} {self.currency}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REJECTED = "rejected", _("Rejected")
    ACCEPTED = "accepted", _("Accepted")


class Dispute(models.Model):
    """A KAM's objection to one entry; finance rejects it with a reason or accepts it as an
    adjustment in the open period."""

    Status = DisputeStatus

    entry = models.ForeignKey(CommissionEntry, on_delete=models.PROTECT, related_name="disputes")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("what is wrong"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    adjustment = models.OneToOneField(
        CommissionEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_accepted",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commission dispute")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status=DisputeStatus.OPEN),
                name="commissions_dispute_one_open_per_entry",
                violation_error_message=_("This line is disputed already."),
            ),
            models.CheckConstraint(
                name="commissions_dispute_status_valid",
                condition=Q(status__in=DisputeStatus.values),
            ),
            models.CheckConstraint(
                name="commissions_dispute_rejected_says_why",
                condition=~Q(status=DisputeStatus.REJECTED) | ~Q(resolution=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Dispute')} {self.pk}"
