from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from rest_framework import mixins, viewsets

from team import access

from .. import services
from ..filters import (
    AccountFilterSet,
    ContactFilterSet,
    ContactRelationFilterSet,
    DossierNoteFilterSet,
)
from ..models import AccountFinancials
from .serializers import (
    AccountSerializer,
    ContactRelationSerializer,
    ContactSerializer,
    DossierNoteSerializer,
)


class ScopedObjectMixin:
    """Objects come from the access module: outside scope 404, read-only 403 on writes."""

    get_for_user = None

    def get_object(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return type(self).get_for_user(self.request.user, self.kwargs["pk"], write=write)


class AccountViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """Key clients visible to you. KAMs see their own, directors their territory."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    get_for_user = staticmethod(access.account_get_for_user)

    def get_queryset(self):
        return access.accounts_visible_to(self.request.user).prefetch_related(
            "competitors",
            Prefetch("financials", queryset=AccountFinancials.objects.order_by("-year")),
        )

    def perform_create(self, serializer):
        serializer.instance = services.account_create(
            actor=self.request.user,
            data=serializer.service_data(),
            competitors=serializer.validated_data.get("competitors", ()),
        )

    def perform_update(self, serializer):
        serializer.instance = services.account_update(
            actor=self.request.user,
            account=serializer.instance,
            data=serializer.service_data(),
            competitors=serializer.validated_data.get("competitors"),
        )

    def perform_destroy(self, instance):
        services.account_delete(actor=self.request.user, account=instance)


class DossierNoteViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """Dated observations on accounts. Not visible to finance."""

    serializer_class = DossierNoteSerializer
    filterset_class = DossierNoteFilterSet
    get_for_user = staticmethod(access.note_get_for_user)

    def get_queryset(self):
        return access.notes_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.note_create(
            actor=self.request.user, account=data.pop("account"), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("account", serializer.instance.account) != serializer.instance.account:
            raise DjangoValidationError({"account": "A note cannot move to another account."})
        serializer.instance = services.note_update(
            actor=self.request.user, note=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.note_delete(actor=self.request.user, note=instance)


class ContactViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """People at key clients."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    get_for_user = staticmethod(access.contact_get_for_user)

    def get_queryset(self):
        return access.contacts_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_create(
            actor=self.request.user, account=data.pop("account"), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("account", serializer.instance.account) != serializer.instance.account:
            raise DjangoValidationError({"account": "A contact cannot move to another account."})
        serializer.instance = services.contact_update(
            actor=self.request.user, contact=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.contact_delete(actor=self.request.user, contact=instance)


class ContactRelationViewSet(
    ScopedObjectMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Edges of the influence map. To change one, delete it and create another."""

    serializer_class = ContactRelationSerializer
    filterset_class = ContactRelationFilterSet
    get_for_user = staticmethod(access.contact_relation_get_for_user)

    def get_queryset(self):
        return access.contact_relations_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.contact_relation_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.contact_relation_delete(actor=self.request.user, relation=instance)
