"""Receivables and credit control: invoices with their lines, credit notes, payments and their
allocations, credit limits and overrides, and the collection of what is overdue.

The money ledger is append-only. An issued invoice never changes its lines or totals; a
correction is a credit note. A payment is never deleted; a bounced transfer is a reversal
entry, and the allocations it undoes are new, negative allocation rows. So the open amount of
an invoice on any date is its gross total less the credit notes and the allocations dated on or
before that day, and the sum of all open amounts is always invoiced - credited - allocated.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, MONEY, reporting_rate_fields, validate_currency
from deals.models import Complaint, Contract, Offer, Order, OrderLine, Product, Return

from .access import CollectionQuerySet, MoneyQuerySet

# Constraints that add amounts allow half a cent: SQLite adds decimals as binary floats
# (0.17 + 0.04 != 0.21 there), PostgreSQL exactly; with whole cents stored, the slack lets no
# wrong amount through on either.
HALF_CENT = Decimal("0.005")
QUANTITY = {"max_digits": 12, "decimal_places": 3}


def _within_half_cent(name: str, left, right):
    """left == right, to within the half cent SQLite's float arithmetic needs."""
    return models.CheckConstraint(
        name=name,
        condition=Q(GreaterThanOrEqual(left, right - HALF_CENT))
        & Q(LessThanOrEqual(left, right + HALF_CENT)),
    )


def _choice_check(name: str, field: str, choices: type[models.TextChoices]):
    return models.CheckConstraint(name=name, condition=Q(**{f"{field}__in": choices.values}))


# --- Configuration (admin-editable) -----------------------------------------------------------


class VatRate(models.Model):
    """A VAT rate an invoice line may carry (Polish 23, 8, 5, 0 % and "zw", exempt, by default)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    percent = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    label = models.CharField(_("label"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-percent", "code"]
        verbose_name = _("VAT rate")
        constraints = [
            models.CheckConstraint(
                name="receivables_vat_rate_percent", condition=Q(percent__gte=0, percent__lte=100)
            )
        ]

    def __str__(self) -> str:
        return self.label


class DunningChannel(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class DunningLevel(models.Model):
    """One step of the collection ladder: how many days after the due date, and how."""

    Channel = DunningChannel

    rank = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    days_after_due = models.PositiveSmallIntegerField(_("days after the due date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    letter_text = models.TextField(_("letter text"), blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("dunning level")
        constraints = [
            _choice_check("receivables_dunning_channel_valid", "channel", DunningChannel),
            models.UniqueConstraint(
                fields=["days_after_due"], name="receivables_dunning_one_level_per_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Credit control ---------------------------------------------------------------------------


class CreditStatus(models.TextChoices):
    OK = "ok", _("OK")
    WATCH = "watch", _("Watch")
    HOLD = "hold", _("Hold")


class CreditProfile(models.Model):
    """An account's credit limit, default payment terms and credit status, and who set them."""

    Status = CreditStatus
    account_path = "account"

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="credit")
    credit_limit = models.DecimalField(
        _("credit limit"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("default payment terms (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Used when the invoice's contract says nothing; empty = company default."),
    )
    status = models.CharField(
        _("credit status"), max_length=8, choices=Status.choices, default=Status.OK
    )
    last_review = models.DateField(_("last review"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    reason = models.TextField(_("why"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MoneyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit profile")
        constraints = [
            _choice_check("receivables_credit_status_valid", "status", CreditStatus),
            models.CheckConstraint(
                name="receivables_credit_limit_not_negative",
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.credit_limit} {self.currency}"


class OverrideStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CreditOverride(models.Model):
    """A KAM's request to send an offer or confirm an order that the credit check blocked."""

    Status = OverrideStatus
    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="credit_overrides")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_overrides"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_overrides"
    )
    # The document's value and the reasons the check gave, frozen when asked: the director
    # decides on what was asked, and a bigger document later needs a new request.
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    blocked_because = models.TextField(_("blocked because"))
    reason = models.TextField(_("why it should go ahead"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = AccountScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("credit override")
        constraints = [
            _choice_check("receivables_override_status_valid", "status", OverrideStatus),
            models.CheckConstraint(
                name="receivables_override_one_document",
                condition=Q(offer__isnull=False, order__isnull=True)
                | Q(offer__isnull=True, order__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(status=OverrideStatus.PENDING),
                name="receivables_override_one_pending_per_offer",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status=OverrideStatus.PENDING),
                name="receivables_override_one_pending_per_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{_('Credit override')} {self.document_label}"

    @property
    def document_label(self) -> str:
        return str(self.offer) if self.offer_id else str(self.order)


class CreditProposal(models.Model):
    """A director's proposal of a new credit limit for an account, which finance decides."""

    Status = OverrideStatus
    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="credit_proposals")
    credit_limit = models.DecimalField(
        _("proposed credit limit"), validators=[MinValueValidator(0)], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    reason = models.TextField(_("why"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("credit limit proposal")
        constraints = [
            _choice_check("receivables_proposal_status_valid", "status", OverrideStatus),
            models.CheckConstraint(
                name="receivables_proposal_limit_not_negative", condition=Q(credit_limit__gte=0)
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status=OverrideStatus.PENDING),
                name="receivables_proposal_one_pending_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.credit_limit} {self.currency}"


# --- Invoices ---------------------------------------------------------------------------------


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited in full")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_INVOICE_STATUSES = [InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID]


class Invoice(models.Model):
    """A sales invoice to an account, with lines whose price, cost and VAT are frozen at issue.

    Overdue is never stored: it is the due date passed with an open amount left.
    """

    Status = InvoiceStatus
    account_path = "account"

    number = models.CharField(
        _("number"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("Another invoice already has this number.")},
        help_text=_("The accounting system's number; imports and the API match on it."),
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    # The document totals: sums of the lines, written once at issue (lines never change), so
    # aging over hundreds of thousands of invoices reads one row per invoice.
    net_total = models.DecimalField(_("net"), editable=False, **MONEY)
    vat_total = models.DecimalField(_("VAT"), editable=False, **MONEY)
    gross_total = models.DecimalField(_("gross"), editable=False, **MONEY)
    cost_total = models.DecimalField(_("cost"), editable=False, **MONEY)
    # Running totals of the credit notes and allocations, moved only by the services under a
    # row lock. They let the database itself refuse an over-allocation (the check constraints
    # below), whatever the code does; the ledger rows remain the record (selectors recompute
    # "as of" figures from them).
    credited_total = models.DecimalField(default=0, editable=False, **MONEY)
    paid_total = models.DecimalField(default=0, editable=False, **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    dunning_level = models.ForeignKey(
        DunningLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("dunning level reached"),
    )
    hold_until = models.DateField(_("collection on hold until"), null=True, blank=True)
    disputed = models.ForeignKey(
        Complaint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputed_invoices",
        verbose_name=_("disputed by complaint"),
    )
    note = models.TextField(_("note"), blank=True)
    reporting_rate, reporting_rate_day = reporting_rate_fields()
    # The KAM who owned the account on the issue date: plans and commissions credit them, so
    # handing the account over later never moves revenue already earned.
    credited_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_invoices",
        editable=False,
        verbose_name=_("credited to KAM"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MoneyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("invoice")
        constraints = [
            _choice_check("receivables_invoice_status_valid", "status", InvoiceStatus),
            models.CheckConstraint(
                name="receivables_invoice_due_after_issue",
                condition=Q(due_date__gte=F("issue_date")),
                violation_error_message=_("The due date cannot be before the issue date."),
            ),
            _within_half_cent(
                "receivables_invoice_totals_add_up",
                F("gross_total"),
                F("net_total") + F("vat_total"),
            ),
            models.CheckConstraint(
                name="receivables_invoice_gross_positive", condition=Q(gross_total__gt=0)
            ),
            models.CheckConstraint(
                name="receivables_invoice_not_over_credited",
                condition=Q(credited_total__gte=0, credited_total__lte=F("gross_total")),
            ),
            models.CheckConstraint(
                name="receivables_invoice_not_over_allocated",
                condition=Q(paid_total__gte=0)
                & Q(
                    LessThanOrEqual(
                        F("paid_total") + F("credited_total"), F("gross_total") + HALF_CENT
                    )
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["issue_date"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self):
        return self.gross_total - self.credited_total - self.paid_total


class InvoiceLine(models.Model):
    """A line of an invoice: what, how many, at what price, cost and VAT rate, frozen at issue."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    order_line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    description = models.CharField(_("description"), max_length=255)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(0)], **MONEY)
    unit_cost = models.DecimalField(_("unit cost"), default=0, **MONEY)
    vat_code = models.CharField(_("VAT"), max_length=8)
    vat_percent = models.DecimalField(max_digits=5, decimal_places=2)
    net_amount = models.DecimalField(_("net"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    gross_amount = models.DecimalField(_("gross"), **MONEY)
    cost_amount = models.DecimalField(_("cost"), **MONEY)

    class Meta:
        ordering = ["invoice", "pk"]
        verbose_name = _("invoice line")
        constraints = [
            models.CheckConstraint(
                name="receivables_invoice_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            _within_half_cent(
                "receivables_invoice_line_adds_up",
                F("gross_amount"),
                F("net_amount") + F("vat_amount"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} x {self.quantity}"


class CreditNoteReason(models.TextChoices):
    RETURN = "return", _("Return of goods")
    PRICE = "price", _("Price correction")
    OTHER = "other", _("Other")


class CreditNote(models.Model):
    """A correcting document that lowers what an invoice asks for (a return, a price correction).

    Its amounts are stored as positive numbers: how much it takes off the invoice.
    """

    Reason = CreditNoteReason
    account_path = "account"

    number = models.CharField(
        _("number"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("Another credit note already has this number.")},
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    # The invoice's account, kept here so access and aging need no join through the invoice.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credit_notes")
    issue_date = models.DateField(_("issue date"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    return_record = models.ForeignKey(
        Return, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    net_amount = models.DecimalField(_("net"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    gross_amount = models.DecimalField(_("gross"), **MONEY)
    cost_amount = models.DecimalField(_("cost taken back"), default=0, **MONEY)
    note = models.TextField(_("note"), blank=True)
    reporting_rate, reporting_rate_day = reporting_rate_fields()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MoneyQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("credit note")
        constraints = [
            _choice_check("receivables_credit_note_reason_valid", "reason", CreditNoteReason),
            models.CheckConstraint(
                name="receivables_credit_note_gross_positive", condition=Q(gross_amount__gt=0)
            ),
            _within_half_cent(
                "receivables_credit_note_adds_up",
                F("gross_amount"),
                F("net_amount") + F("vat_amount"),
            ),
            models.UniqueConstraint(
                fields=["return_record"],
                condition=Q(return_record__isnull=False),
                name="receivables_credit_note_one_per_return",
                violation_error_message=_("This return already has a credit note."),
            ),
        ]
        indexes = [models.Index(fields=["invoice", "issue_date"])]

    def __str__(self) -> str:
        return self.number


# --- Payments ---------------------------------------------------------------------------------


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported file")
    BANK = "bank", _("Bank statement (MT940)")
    API = "api", _("API")


class Payment(models.Model):
    """Money received from an account; what is not allocated to invoices is the account's credit."""

    Source = PaymentSource
    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    payer_reference = models.CharField(_("payer's reference"), max_length=255, blank=True)
    # The bank's or the accounting system's id of the transfer: a file imported twice adds
    # nothing.
    external_ref = models.CharField(
        _("external reference"), max_length=80, null=True, blank=True, unique=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    # Moved only by the services under a row lock; the constraint refuses an over-allocation.
    allocated_total = models.DecimalField(default=0, editable=False, **MONEY)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MoneyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("payment")
        constraints = [
            _choice_check("receivables_payment_source_valid", "source", PaymentSource),
            models.CheckConstraint(
                name="receivables_payment_amount_positive", condition=Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="receivables_payment_not_over_allocated",
                condition=Q(allocated_total__gte=0, allocated_total__lte=F("amount")),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "received_on"]),
            models.Index(fields=["received_on"]),
        ]

    def __str__(self) -> str:
        return f"{_('Payment')} {self.pk} ({self.amount} {self.currency})"

    @property
    def unallocated(self):
        return self.amount - self.allocated_total


class PaymentReversal(models.Model):
    """A payment that did not hold (a bounced transfer, a chargeback): the payment stays, and
    this entry undoes it from its date on."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="reversal")
    reversed_on = models.DateField(_("reversed on"))
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment reversal")

    def __str__(self) -> str:
        return f"{_('Reversal of')} {self.payment}"


class Allocation(models.Model):
    """A part of a payment applied to an invoice of the same account.

    Positive when applied; negative when a reversal or a credit note takes it back. The ledger
    is never edited, so the allocations of an invoice dated on or before a day are what had
    been paid of it that day.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), **MONEY)
    # The day the money counts against the invoice: the payment's date, or the day a reversal
    # or credit note took it back. "As of" figures filter on it.
    effective_on = models.DateField()
    # Days between the invoice's due date and `effective_on` (0 when on time), fixed when the
    # row is written since both dates are: payment behaviour is then one SUM over the ledger.
    days_late = models.PositiveIntegerField(default=0, editable=False)
    reversal = models.ForeignKey(
        PaymentReversal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_note = models.ForeignKey(
        CreditNote, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("allocation")
        constraints = [
            models.CheckConstraint(name="receivables_allocation_not_zero", condition=~Q(amount=0)),
            models.CheckConstraint(
                name="receivables_allocation_negative_only_when_taken_back",
                condition=Q(amount__gt=0, reversal__isnull=True, credit_note__isnull=True)
                | Q(amount__lt=0),
            ),
        ]
        indexes = [
            models.Index(fields=["invoice", "effective_on"]),
            models.Index(fields=["payment"]),
            models.Index(fields=["effective_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.amount} → {self.invoice}"


LEDGER_DAY_SUMS = ["invoiced", "paid", "paid_late_weight", "paid_on_time"]


class LedgerDay(models.Model):
    """The ledger summed by day, account and currency, for the payment behaviour beside the
    aging (DSO, days late, on-time share): what a year of allocations would otherwise sum.

    `invoiced`: the gross of the invoices issued that day and not cancelled; `paid`,
    `paid_late_weight` (amount x days late) and `paid_on_time` (amount with 0 days late): the
    allocations above zero effective that day, of payments not reversed. Rows with no account
    are the company's (the sums of every account's), so the whole company reads a year in a few
    hundred rows. Written in the very transaction that writes the ledger
    (receivables.services.ledger_days), so it is never stale, and "as of" any past day is exact
    (a cancellation or reversal takes its amounts back from the days they were counted on, as
    the ledger query left them out whenever they happened); `ledger_days_rebuild` recomputes it
    from the ledger (migration, bench loader, demo, repair)."""

    account_path = "account"

    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (account, day, currency) index serves it
    )
    day = models.DateField()
    currency = models.CharField(max_length=3)
    invoiced = models.DecimalField(default=Decimal("0.00"), **MONEY)
    paid = models.DecimalField(default=Decimal("0.00"), **MONEY)
    paid_late_weight = models.DecimalField(default=Decimal("0.00"), max_digits=20, decimal_places=2)
    paid_on_time = models.DecimalField(default=Decimal("0.00"), **MONEY)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger day")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "day", "currency"],
                condition=Q(account__isnull=False),
                name="receivables_ledgerday_account_day",
            ),
            models.UniqueConstraint(
                fields=["day", "currency"],
                condition=Q(account__isnull=True),
                name="receivables_ledgerday_company_day",
            ),
        ]
        indexes = [
            # A KAM's or a territory's year, read from the index alone (index-only scan; an
            # account's rows lie all over the table).
            models.Index(
                fields=["account", "day", "currency", *LEDGER_DAY_SUMS],
                condition=Q(account__isnull=False),
                name="receivables_ledgerday_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account or _('Company')} {self.day} {self.currency}"


# --- Collection -------------------------------------------------------------------------------


class CollectionKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter sent")
    PROMISE = "promise", _("Promise to pay")
    DISPUTE = "dispute", _("Dispute")
    HOLD = "hold", _("Hold")
    LEVEL = "level", _("Dunning level proposed")


class PromiseState(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class HoldState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class CollectionAction(models.Model):
    """Something done to collect an account's debt: a call, a letter, a promise, a dispute."""

    Kind = CollectionKind
    PromiseState = PromiseState
    HoldState = HoldState
    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="collection")
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="collection"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    level = models.ForeignKey(
        DunningLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    promised_on = models.DateField(_("promised payment date"), null=True, blank=True)
    promised_amount = models.DecimalField(_("promised amount"), null=True, blank=True, **MONEY)
    promise_state = models.CharField(max_length=8, choices=PromiseState.choices, blank=True)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hold_until = models.DateField(_("hold until"), null=True, blank=True)
    hold_state = models.CharField(max_length=10, choices=HoldState.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("collection action")
        constraints = [
            _choice_check("receivables_collection_kind_valid", "kind", CollectionKind),
            models.CheckConstraint(
                name="receivables_collection_promise_has_date_and_amount",
                condition=~Q(kind=CollectionKind.PROMISE)
                | Q(promised_on__isnull=False, promised_amount__gt=0),
            ),
            models.CheckConstraint(
                name="receivables_collection_hold_has_date",
                condition=~Q(kind=CollectionKind.HOLD) | Q(hold_until__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["invoice", "level"],
                condition=Q(kind=CollectionKind.LEVEL),
                name="receivables_collection_level_once_per_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "happened_on"]),
            models.Index(fields=["kind", "promise_state", "promised_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class BankLineStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for finance")
    MATCHED = "matched", _("Matched to invoices")
    ASSIGNED = "assigned", _("Assigned by hand")


class BankLine(models.Model):
    """A credit line of an imported bank statement (MT940): turned into a payment when its
    title names an invoice, else waiting in the queue for finance to say whose it is."""

    Status = BankLineStatus

    external_ref = models.CharField(max_length=120, unique=True)
    booked_on = models.DateField(_("booked on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    title = models.TextField(_("transfer title"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_line"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "booked_on", "pk"]
        verbose_name = _("bank statement line")
        constraints = [
            _choice_check("receivables_bank_line_status_valid", "status", BankLineStatus),
            models.CheckConstraint(
                name="receivables_bank_line_amount_positive", condition=Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="receivables_bank_line_waiting_has_no_payment",
                condition=Q(status=BankLineStatus.WAITING, payment__isnull=True)
                | (~Q(status=BankLineStatus.WAITING) & Q(payment__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.currency}: {self.title[:40]}"


class StatementAnswerKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed the balance")
    DISPUTED = "disputed", _("Disputed the balance")


class StatementAnswer(models.Model):
    """The client's answer to a statement of account: the balance confirmed, or disputed with
    the invoices it disputes. The balance is frozen as it stood on the statement's day."""

    Kind = StatementAnswerKind
    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="statement_answers")
    as_of = models.DateField(_("statement as of"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    balance = models.DecimalField(_("balance by our books"), **MONEY)
    answer = models.CharField(_("answer"), max_length=10, choices=Kind.choices)
    disputed_invoices = models.ManyToManyField(
        Invoice, blank=True, related_name="+", verbose_name=_("invoices disputed")
    )
    note = models.TextField(_("what they said"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("answer to a statement of account")
        constraints = [
            _choice_check("receivables_statement_answer_valid", "answer", StatementAnswerKind)
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.as_of}: {self.get_answer_display()}"
