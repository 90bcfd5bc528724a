"""API v1: health scores, in the reader's scope (`?account=`, `?month=YYYY-MM-01`)."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import ValidationError as BadRequest

from ..selectors import health_scores_for_listing
from .serializers import HealthScoreSerializer


class HealthScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every account's score month by month, with its components and their reasons."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = HealthScoreSerializer

    def get_queryset(self):
        queryset = health_scores_for_listing(user=self.request.user)
        params = self.request.query_params
        if account := params.get("account"):
            if not account.isdigit():
                raise BadRequest({"account": ["Give an account id."]})
            queryset = queryset.filter(account_id=int(account))
        if month := params.get("month"):
            try:
                day = parse_date(month)
            except (ValueError, ValidationError):
                day = None
            if day is None:
                raise BadRequest({"month": ["Give a month as YYYY-MM-01."]})
            queryset = queryset.filter(month=day.replace(day=1))
        return queryset
