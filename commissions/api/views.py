"""API v1 for plans, fulfilment and tier history: the same scope and services as the pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Account

from .. import access
from ..models import SalesPlan, TierChange
from ..selectors import fulfilment as f
from ..services.plans import PLAN_FIELDS, plan_cell_set
from .serializers import (
    FulfilmentQuerySerializer,
    FulfilmentSerializer,
    SalesPlanInputSerializer,
    SalesPlanSerializer,
    TierChangeSerializer,
)


class SalesPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly plans of the KAMs the user sees (`?kam=`, `?year=`). A director (or an admin)
    sets their KAMs' targets with POST: the month's plan is created or changed."""

    serializer_class = SalesPlanSerializer

    def get_queryset(self):
        plans = SalesPlan.objects.filter(
            kam__in=access.kams_visible_to(self.request.user)
        ).select_related("kam")
        kam, year = self.request.query_params.get("kam"), self.request.query_params.get("year")
        if kam:
            plans = plans.filter(kam_id=kam if kam.isdigit() else 0)
        if year:
            plans = plans.filter(month__year=year if year.isdigit() else 0)
        return plans.order_by("kam_id", "month")

    @extend_schema(request=SalesPlanInputSerializer, responses=SalesPlanSerializer)
    def create(self, request):
        params = SalesPlanInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kam = access.kam_for_planning(request.user, data["kam"])
        plan = None
        for field in PLAN_FIELDS:
            if field in data:
                plan = plan_cell_set(
                    actor=request.user,
                    kam=kam,
                    month=data["month"],
                    field=field,
                    value=data[field],
                    reason=data["reason"],
                )
        return Response(SalesPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class FulfilmentViewSet(viewsets.ViewSet):
    """Plan fulfilment per KAM: `?kam=&territory=&period=2026-Q3&basis=invoiced`."""

    @extend_schema(
        parameters=[FulfilmentQuerySerializer], responses=FulfilmentSerializer(many=True)
    )
    def list(self, request):
        params = FulfilmentQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            period = (
                f.period_parse(text=data["period"])
                if data.get("period")
                else f.period_of(day=timezone.localdate())
            )
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from None
        kams = access.kams_visible_to(request.user)
        if "kam" in data:
            kams = [access.kam_get_for_user(request.user, data["kam"]).pk]
        else:
            if "territory" in data:
                kams = kams.filter(territory_id=data["territory"])
            kams = list(kams.values_list("pk", flat=True))
        rows = f.fulfilment_by_kam(kam_ids=kams, start=period.start, end=period.end)
        basis = data.get("basis")
        result = []
        for row in rows:
            shaped = {
                "kam_id": row.kam_id,
                "name": row.name,
                "territory": row.territory,
                "period": period.key,
                "currency": row.currency,
                "revenue_target": row.revenue_target,
                "margin_target": row.margin_target,
                "new_clients_target": row.new_clients_target,
            }
            bases = (
                [basis] if basis else ["booked", "invoiced", "collected", "margin", "new_clients"]
            )
            shaped.update({name: getattr(row, name) for name in bases})
            shaped["ratio"] = getattr(row, f"{basis or 'invoiced'}_ratio")
            result.append(shaped)
        return Response(FulfilmentSerializer(result, many=True).data)


class TierChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Class changes of the accounts the user sees (`?account=`), newest first."""

    serializer_class = TierChangeSerializer

    def get_queryset(self):
        changes = TierChange.objects.filter(
            account__in=Account.objects.visible_to(self.request.user)
        ).select_related("account")
        account = self.request.query_params.get("account")
        if account:
            changes = changes.filter(account_id=account if account.isdigit() else 0)
        return changes.order_by("-changed_on", "-pk")
