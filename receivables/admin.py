"""Admin: VAT rates and dunning levels are configured here; the money ledger is shown read-only
(it changes only through the services, which keep its totals and audit trail)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import (
    Allocation,
    BankLine,
    CollectionAction,
    CreditNote,
    CreditOverride,
    CreditProfile,
    CreditProposal,
    DunningLevel,
    Invoice,
    InvoiceLine,
    LedgerDay,
    Payment,
    PaymentReversal,
    StatementAnswer,
    VatRate,
)


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "percent", "is_active"]
    list_editable = ["is_active"]


@admin.register(DunningLevel)
class DunningLevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "name", "days_after_due", "channel"]
    ordering = ["rank"]


class InvoiceLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InvoiceLine
    extra = 0


class AllocationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Allocation
    fk_name = "payment"
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "account", "issue_date", "due_date", "gross_total", "status"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "account__name"]
    list_select_related = ["account"]
    inlines = [InvoiceLineInline]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "invoice", "issue_date", "gross_amount", "reason"]
    list_select_related = ["invoice"]
    search_fields = ["number", "invoice__number"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "account", "received_on", "amount", "currency", "allocated_total"]
    list_select_related = ["account"]
    search_fields = ["payer_reference", "external_ref", "account__name"]
    inlines = [AllocationInline]


@admin.register(PaymentReversal)
class PaymentReversalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["payment", "reversed_on", "reason"]


@admin.register(CreditProfile)
class CreditProfileAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["account", "credit_limit", "currency", "status", "next_review", "set_by"]
    list_select_related = ["account", "set_by"]
    list_filter = ["status"]


@admin.register(CreditOverride)
class CreditOverrideAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["account", "amount", "status", "requested_by", "decided_by"]
    list_select_related = ["account", "requested_by", "decided_by"]
    list_filter = ["status"]


@admin.register(CollectionAction)
class CollectionActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "invoice", "kind", "happened_on", "by"]
    list_select_related = ["account", "invoice", "by"]
    list_filter = ["kind", "promise_state"]


@admin.register(BankLine)
class BankLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["booked_on", "amount", "currency", "status", "title"]
    list_filter = ["status"]


@admin.register(CreditProposal)
class CreditProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "credit_limit", "currency", "status", "proposed_by", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["account", "proposed_by", "decided_by"]


@admin.register(StatementAnswer)
class StatementAnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "as_of", "answer", "balance", "currency", "recorded_by"]
    list_filter = ["answer"]
    list_select_related = ["account", "recorded_by"]


@admin.register(LedgerDay)
class LedgerDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger's day sums, kept by the services (a repair is `ledger_days_rebuild`)."""

    list_display = ["day", "account", "currency", "invoiced", "paid", "paid_on_time"]
    list_filter = ["currency"]
    list_select_related = ["account"]
    date_hierarchy = "day"
