"""API shapes of plans, fulfilment and tier history."""

from rest_framework import serializers

from ..models import SalesPlan, TierChange
from ..services.plans import PLAN_FIELDS


class SalesPlanSerializer(serializers.ModelSerializer):
    kam_name = serializers.CharField(source="kam.__str__", read_only=True)

    class Meta:
        model = SalesPlan
        fields = [
            "id",
            "kam",
            "kam_name",
            "month",
            "currency",
            "revenue_target",
            "margin_target",
            "new_clients_target",
            "updated_at",
        ]
        read_only_fields = fields


class SalesPlanInputSerializer(serializers.Serializer):
    """Set some targets of one KAM's month; each changed cell is kept with `reason`."""

    kam = serializers.IntegerField()
    month = serializers.DateField(help_text="Any day of the month; the plan is for the month.")
    revenue_target = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    margin_target = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    new_clients_target = serializers.IntegerField(required=False)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

    def validate(self, data):
        if not any(field in data for field in PLAN_FIELDS):
            raise serializers.ValidationError(
                "Give at least one of revenue_target, margin_target, new_clients_target."
            )
        return data


class FulfilmentQuerySerializer(serializers.Serializer):
    kam = serializers.IntegerField(required=False)
    territory = serializers.IntegerField(required=False)
    period = serializers.CharField(required=False, help_text="2026, 2026-Q3 or 2026-09.")
    basis = serializers.ChoiceField(
        choices=["booked", "invoiced", "collected", "margin", "new_clients"], required=False
    )


class FulfilmentSerializer(serializers.Serializer):
    kam = serializers.IntegerField(source="kam_id")
    name = serializers.CharField()
    territory = serializers.CharField()
    period = serializers.CharField()
    currency = serializers.CharField()
    revenue_target = serializers.DecimalField(max_digits=16, decimal_places=2)
    margin_target = serializers.DecimalField(max_digits=16, decimal_places=2)
    new_clients_target = serializers.IntegerField()
    booked = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    invoiced = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    collected = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    margin = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    new_clients = serializers.IntegerField(required=False)
    ratio = serializers.DecimalField(
        max_digits=9,
        decimal_places=1,
        allow_null=True,
        required=False,
        help_text="Per cent of the target on the chosen basis (invoiced without one).",
    )


class TierChangeSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    # Plain letters (A, B, C): the tier's choice set already has its name in the schema.
    from_tier = serializers.CharField(read_only=True)
    to_tier = serializers.CharField(read_only=True)

    class Meta:
        model = TierChange
        fields = [
            "id",
            "account",
            "account_name",
            "changed_on",
            "from_tier",
            "to_tier",
            "share",
            "rank",
            "source",
            "note",
        ]
        read_only_fields = fields
