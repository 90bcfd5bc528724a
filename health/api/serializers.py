from rest_framework import serializers

from ..models import HealthScore


class HealthScoreSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = HealthScore
        fields = [
            "id",
            "account",
            "account_name",
            "month",
            "score",
            "revenue_trend",
            "share_of_wallet",
            "relationship",
            "payment",
            "service",
            "pipeline",
            "reasons",
            "weights",
            "computed_at",
        ]
        read_only_fields = fields
