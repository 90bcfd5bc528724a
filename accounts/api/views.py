from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, permissions, viewsets

from core.api import ScopedObjectMixin
from team import access

from .. import services
from ..filters import (
    AccountFilterSet,
    ContactFilterSet,
    ContactRelationFilterSet,
    DossierNoteFilterSet,
)
from ..models import (
    Account,
    AccountFinancials,
    Contact,
    ContactRelation,
    DossierNote,
)
from .serializers import (
    ACCOUNT_ROW_COLUMNS,
    FINANCIALS_ROW_COLUMNS,
    AccountRowSerializer,
    AccountSerializer,
    ContactRelationSerializer,
    ContactSerializer,
    DossierNoteSerializer,
)


class CanCreateAccount(permissions.BasePermission):
    """Roles that cannot create accounts get a 403 before their input is read.

    Checked on the method, not the action, so OPTIONS does not offer them the create form.
    """

    message = _("Your role cannot create accounts.")

    def has_permission(self, request, view):
        return request.method != "POST" or access.can_create_account(request.user)


class AccountViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """Key clients visible to you. KAMs see their own, directors their territory."""

    permission_classes = [permissions.IsAuthenticated, CanCreateAccount]
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    get_for_user = staticmethod(Account.objects.select_related("owner", "territory").get_for_user)

    def get_queryset(self):
        return (
            Account.objects.visible_to(self.request.user)
            .select_related("owner", "territory")
            .prefetch_related(
                "competitors",
                Prefetch("financials", queryset=AccountFinancials.objects.order_by("-year")),
            )
        )

    # DRF's list, with the page read as plain rows and written by `AccountRowSerializer` (the
    # same JSON as `AccountSerializer`, without its per-field machinery); the same statements:
    # count, the page joined to owner and territory, competitors, financials. A comment, not
    # a docstring: drf-spectacular would publish a docstring as the operation's description.
    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = list(self.paginate_queryset(rows.values(*ACCOUNT_ROW_COLUMNS)))
        ids = [row["id"] for row in page]
        competitors, financials = {}, {}
        # In the prefetch's order: competitors by name, financials latest year first.
        for account_id, name in (
            Account.competitors.through.objects.filter(account_id__in=ids)
            .order_by("competitor__name")
            .values_list("account_id", "competitor__name")
        ):
            competitors.setdefault(account_id, []).append(name)
        for account_id, *year in (
            AccountFinancials.objects.filter(account_id__in=ids)
            .order_by("-year")
            .values_list("account_id", *FINANCIALS_ROW_COLUMNS)
        ):
            financials.setdefault(account_id, []).append(year)
        context = {"competitors": competitors, "financials": financials}
        return self.get_paginated_response(
            AccountRowSerializer(page, many=True, context=context).data
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
            version=serializer.validated_data.get("version"),
        )

    def perform_destroy(self, instance):
        services.account_delete(actor=self.request.user, account=instance)


class DossierNoteViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """Dated observations on accounts. Not visible to finance."""

    serializer_class = DossierNoteSerializer
    filterset_class = DossierNoteFilterSet
    get_for_user = staticmethod(DossierNote.objects.get_for_user)

    def get_queryset(self):
        return DossierNote.objects.visible_to(self.request.user).select_related("author", "account")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.note_create(
            actor=self.request.user, account=data.pop("account"), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("account", None)
        serializer.instance = services.note_update(
            actor=self.request.user, note=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.note_delete(actor=self.request.user, note=instance)


class ContactViewSet(ScopedObjectMixin, viewsets.ModelViewSet):
    """People at key clients."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    get_for_user = staticmethod(Contact.objects.get_for_user)

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related("account")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_create(
            actor=self.request.user, account=data.pop("account"), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("account", None)
        version = data.pop("version", None)
        serializer.instance = services.contact_update(
            actor=self.request.user, contact=serializer.instance, data=data, version=version
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
    get_for_user = staticmethod(ContactRelation.objects.get_for_user)

    def get_queryset(self):
        return ContactRelation.objects.visible_to(self.request.user).select_related(
            "from_contact__account", "to_contact"
        )

    def perform_create(self, serializer):
        serializer.instance = services.contact_relation_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.contact_relation_delete(actor=self.request.user, relation=instance)
