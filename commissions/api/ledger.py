"""API v1 for the commission ledger: schemes (read), periods (finance's actions), statements,
entries and disputes, scoped like the pages (commissions/access.py)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from .. import access
from ..models import (
    Bracket,
    CommissionEntry,
    CommissionPeriod,
    CommissionScheme,
    Dispute,
    MultiplierBand,
    SchemeVersion,
    Statement,
)
from ..selectors import statements as selectors
from ..services import periods as services


class CommissionBracketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bracket
        fields = ["lower", "upper", "rate"]


class CommissionMultiplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = MultiplierBand
        fields = ["lower", "upper", "factor"]


class CommissionVersionSerializer(serializers.ModelSerializer):
    brackets = CommissionBracketSerializer(many=True, read_only=True)
    multipliers = CommissionMultiplierSerializer(many=True, read_only=True)

    class Meta:
        model = SchemeVersion
        fields = [
            "id",
            "valid_from",
            "basis",
            "mode",
            "earned_on",
            "note",
            "brackets",
            "multipliers",
        ]


class CommissionSchemeSerializer(serializers.ModelSerializer):
    versions = CommissionVersionSerializer(many=True, read_only=True)

    class Meta:
        model = CommissionScheme
        fields = ["id", "code", "name", "currency", "is_default", "description", "versions"]


class CommissionPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommissionPeriod
        fields = ["id", "month", "status", "calculated_at", "closed_at", "closed_by"]


class CommissionStatementSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="period.month", read_only=True)
    kam_username = serializers.CharField(source="kam.username", read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id", "period", "month", "kam", "kam_username", "currency", "earned", "clawback",
            "adjustments", "total", "entry_count", "fulfilment", "multiplier",
        ]  # fmt: skip


class CommissionEntrySerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, default=None)
    customer = serializers.CharField(source="account.name", read_only=True, default=None)

    class Meta:
        model = CommissionEntry
        fields = [
            "id", "period", "kam", "kind", "source_key", "invoice", "invoice_number",
            "invoice_line", "allocation", "credit_note", "customer", "corrects",
            "scheme_version", "sale_key", "currency", "on_date", "base", "base_before", "slices",
            "share", "commission", "multiplier", "fulfilment", "amount", "note",
        ]  # fmt: skip


class CommissionDisputeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dispute
        fields = [
            "id", "entry", "raised_by", "reason", "status", "resolution", "resolved_by",
            "resolved_at", "adjustment", "created_at",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("entry", "reason")]


class CommissionResolveSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)


class CommissionReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommissionSchemeSerializer
    queryset = CommissionScheme.objects.prefetch_related(
        "versions__brackets", "versions__multipliers"
    ).order_by("name")


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Periods and their moves; finance and admins only (404 for everyone else)."""

    serializer_class = CommissionPeriodSerializer
    queryset = CommissionPeriod.objects.order_by("-month")

    def get_queryset(self):
        if not access.can_see_periods(self.request.user):
            raise Http404
        return super().get_queryset()

    def _move(self, request, service, **kwargs):
        period = self.get_object()
        period = service(actor=request.user, period=period, **kwargs)
        return Response(CommissionPeriodSerializer(period).data)

    @extend_schema(request=None, responses=CommissionPeriodSerializer)
    @action(detail=True, methods=["post"])
    def calculate(self, request, pk=None):
        return self._move(request, services.period_calculate)

    @extend_schema(request=None, responses=CommissionPeriodSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, services.period_close)

    @extend_schema(request=None, responses=CommissionPeriodSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._move(request, services.period_mark_paid)

    @extend_schema(request=CommissionReopenSerializer, responses=CommissionPeriodSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = CommissionReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._move(request, services.period_reopen, reason=data.validated_data["reason"])


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommissionStatementSerializer

    def get_queryset(self):
        queryset = selectors.statements_for(self.request.user)
        period = self.request.query_params.get("period")
        return queryset.filter(period_id=period) if period and period.isdigit() else queryset


class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommissionEntrySerializer

    def get_queryset(self):
        queryset = selectors.entries_for(self.request.user)
        for name in ("period", "kam"):
            value = self.request.query_params.get(name)
            if value and value.isdigit():
                queryset = queryset.filter(**{f"{name}_id": value})
        return queryset


class DisputeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CommissionDisputeSerializer

    def get_queryset(self):
        return selectors.disputes_for(
            self.request.user, status=self.request.query_params.get("status")
        )

    def create(self, request, *args, **kwargs):
        data = CommissionDisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = data.validated_data["entry"]
        entry = access.get_visible(
            access.entries_visible(request.user).select_related("period"), entry.pk
        )
        dispute = services.dispute_raise(
            actor=request.user, entry=entry, reason=data.validated_data["reason"]
        )
        return Response(CommissionDisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommissionResolveSerializer, responses=CommissionDisputeSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        if not access.can_resolve(request.user):
            raise PermissionDenied("Only finance resolves disputes.")
        dispute = self.get_object()
        data = CommissionResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.dispute_resolve(
            actor=request.user, dispute=dispute, **data.validated_data
        )
        return Response(CommissionDisputeSerializer(dispute).data)
