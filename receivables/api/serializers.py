"""Shapes of the receivables API. Output serializers show; input serializers parse. Writes go
through the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Account
from core.api import ScopedPrimaryKeyField as _ScopedField
from core.money import CURRENCY_CHOICES
from deals.models import Complaint

from ..models import (
    Allocation,
    CollectionAction,
    CreditNote,
    CreditProfile,
    Invoice,
    InvoiceLine,
    Payment,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(_ScopedField):
    """A record id among those the user may see (typed for the schema in plain serializers)."""


MONEY_READ = {**MONEY, "read_only": True}


def _invoices_in_scope(user):
    return Invoice.objects.visible_to(user)


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "product",
            "order_line",
            "description",
            "quantity",
            "unit_price",
            "unit_cost",
            "vat_code",
            "vat_percent",
            "net_amount",
            "vat_amount",
            "gross_amount",
            "cost_amount",
        ]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    open_amount = serializers.DecimalField(**MONEY_READ)
    is_overdue = serializers.SerializerMethodField()
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "account",
            "account_name",
            "order",
            "contract",
            "issue_date",
            "due_date",
            "currency",
            "net_total",
            "vat_total",
            "gross_total",
            "credited_total",
            "paid_total",
            "open_amount",
            "status",
            "is_overdue",
            "dunning_level",
            "hold_until",
            "disputed",
            "lines",
        ]
        read_only_fields = fields

    def get_is_overdue(self, invoice) -> bool:
        return invoice.open_amount > 0 and invoice.due_date < self.context["today"]


class LineInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=255)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(**MONEY)
    unit_cost = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    vat_code = serializers.CharField(max_length=8)


class InvoiceUpsertSerializer(serializers.Serializer):
    """An invoice pushed by the accounting system: matched on its number."""

    number = serializers.CharField(max_length=40)
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    issue_date = serializers.DateField()
    due_date = serializers.DateField(required=False)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    lines = LineInputSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CreditNoteSerializer(serializers.ModelSerializer):
    invoice = ScopedPrimaryKeyField(_invoices_in_scope)

    class Meta:
        model = CreditNote
        fields = [
            "id",
            "number",
            "invoice",
            "account",
            "issue_date",
            "reason",
            "return_record",
            "currency",
            "net_amount",
            "vat_amount",
            "gross_amount",
            "cost_amount",
            "note",
        ]
        read_only_fields = [
            "account",
            "return_record",
            "currency",
            "vat_amount",
            "gross_amount",
            "cost_amount",
        ]
        extra_kwargs = {"number": {"required": False, "allow_blank": True}}


class CreditNoteInputSerializer(serializers.Serializer):
    invoice = ScopedPrimaryKeyField(_invoices_in_scope)
    number = serializers.CharField(max_length=40, required=False, default="")
    issue_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=CreditNote.Reason.choices)
    net_amount = serializers.DecimalField(**MONEY)
    vat_code = serializers.CharField(max_length=8, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AllocationSerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "invoice",
            "invoice_number",
            "amount",
            "effective_on",
            "days_late",
            "reversal",
            "credit_note",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    unallocated = serializers.SerializerMethodField()
    reversed_on = serializers.DateField(source="reversal.reversed_on", read_only=True, default=None)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "account",
            "received_on",
            "amount",
            "currency",
            "payer_reference",
            "external_ref",
            "source",
            "allocated_total",
            "unallocated",
            "reversed_on",
            "note",
            "allocations",
        ]
        read_only_fields = ["source", "allocated_total"]

    def get_unallocated(self, payment) -> str:
        has_reversal = hasattr(payment, "reversal")
        return str(0 if has_reversal else payment.unallocated)


class AllocateItemSerializer(serializers.Serializer):
    invoice = ScopedPrimaryKeyField(_invoices_in_scope)
    amount = serializers.DecimalField(**MONEY)


class AllocateSerializer(serializers.Serializer):
    allocations = AllocateItemSerializer(
        many=True, required=False, help_text=_("Leave out to allocate oldest due first.")
    )


class ReverseSerializer(serializers.Serializer):
    reversed_on = serializers.DateField()
    reason = serializers.CharField(max_length=255)


class CreditProfileSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    reason = serializers.CharField(help_text=_("Why the terms change (kept in the history)."))

    class Meta:
        model = CreditProfile
        fields = [
            "id",
            "account",
            "credit_limit",
            "currency",
            "payment_terms_days",
            "status",
            "last_review",
            "next_review",
            "reason",
            "set_by",
            "updated_at",
        ]
        read_only_fields = ["set_by", "updated_at"]


class CollectionActionSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    invoice = ScopedPrimaryKeyField(_invoices_in_scope, required=False, allow_null=True)
    complaint = ScopedPrimaryKeyField(Complaint.objects.visible_to, required=False, allow_null=True)

    class Meta:
        model = CollectionAction
        fields = [
            "id",
            "account",
            "invoice",
            "kind",
            "happened_on",
            "note",
            "level",
            "promised_on",
            "promised_amount",
            "promise_state",
            "complaint",
            "hold_until",
            "hold_state",
            "by",
            "created_at",
        ]
        read_only_fields = ["level", "promise_state", "hold_state", "by", "created_at"]


class AgingQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)
    group_by = serializers.ChoiceField(
        choices=["account", "kam", "territory"], required=False, allow_blank=True
    )


class AgingRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    currency = serializers.CharField()
    buckets = serializers.DictField(child=serializers.DecimalField(**MONEY))
    total = serializers.DecimalField(**MONEY)
    overdue = serializers.DecimalField(**MONEY)


class AgingBucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class AgingSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    group_by = serializers.CharField(allow_null=True)
    buckets = AgingBucketSerializer(many=True)
    rows = AgingRowSerializer(many=True)
    totals = AgingRowSerializer(many=True)
