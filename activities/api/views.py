from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Contact
from core.api import ScopedObjectMixin

from .. import services
from ..filters import ActivityFilterSet, NotificationFilterSet
from ..models import Activity, Notification
from ..selectors import activities_for_listing, notifications_for_listing
from .serializers import (
    ActivityCompleteSerializer,
    ActivitySerializer,
    NotificationSerializer,
    ReadAllSerializer,
)


class ActivityViewSet(
    ScopedObjectMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Visits, calls and tasks you may see. Plan with POST, move or edit a planned one with
    PATCH, record the outcome with `complete`, call it off with `cancel`. Times are UTC."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    get_for_user = staticmethod(Activity.objects.get_for_user)

    def get_queryset(self):
        return activities_for_listing(user=self.request.user).prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.only("id", "account_id"))
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.activity_plan(
            actor=self.request.user,
            owner=data.pop("owner", self.request.user),
            account=data.pop("account"),
            contacts=data.pop("contacts", ()),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("account", None)
        data.pop("owner", None)
        contacts = data.pop("contacts", None)
        serializer.instance = services.activity_update(
            actor=self.request.user, activity=serializer.instance, data=data, contacts=contacts
        )

    @extend_schema(request=ActivityCompleteSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        activity = self.get_object()
        payload = ActivityCompleteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        activity = services.activity_complete(
            actor=request.user, activity=activity, **payload.validated_data
        )
        return Response(ActivitySerializer(activity, context={"request": request}).data)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        activity = services.activity_cancel(actor=request.user, activity=self.get_object())
        return Response(ActivitySerializer(activity, context={"request": request}).data)


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own reminders and messages, newest first. `?unread=true` for the unread ones."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        return notifications_for_listing(user=self.request.user)

    def get_object(self):
        return Notification.objects.get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            user=request.user, notification=self.get_object()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        return Response({"marked_read": count}, status=status.HTTP_200_OK)
