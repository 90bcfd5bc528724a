from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedObjectMixin
from team import access

from .. import selectors, services
from ..access import products_visible_to
from ..filters import (
    ComplaintFilterSet,
    ContractFilterSet,
    DealFilterSet,
    ObligationFilterSet,
    OfferFilterSet,
    OfferLineFilterSet,
    OrderFilterSet,
    ProductFilterSet,
    ReturnFilterSet,
)
from ..models import Complaint, Contract, ContractObligation, Deal, Offer, OfferLine, Order, Return
from .serializers import (
    ComplaintSerializer,
    ContractSerializer,
    DealMoveSerializer,
    DealSerializer,
    DecisionSerializer,
    DeliverySerializer,
    ObligationSerializer,
    OfferLineSerializer,
    OfferSerializer,
    OrderSerializer,
    ProductSerializer,
    ResolveSerializer,
    ReturnSerializer,
    StatusSerializer,
)


class CanCreateDealRecords(permissions.BasePermission):
    """Finance reads deals and everything after them but changes nothing: 403 on any POST
    before its input is read. Other refusals come from the access module (404 / 403)."""

    message = _("Your role cannot change deals, offers, contracts, orders or complaints.")

    def has_permission(self, request, view):
        return request.method != "POST" or access.can_create_deal_records(request.user)


class DealsViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, CanCreateDealRecords]

    def get_object(self):
        # The access module answers 404 / 403; the list's queryset adds its totals.
        obj = super().get_object()
        return self.get_queryset().get(pk=obj.pk)

    def _status_action(self, request, move):
        """Parse `{"status": ...}`, move the object there with `move(obj, status)`."""
        obj = self.get_object()
        params = StatusSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._action_response(move(obj, params.validated_data["status"]))

    def _action_response(self, obj, serializer_class=None):
        """The object as its list shows it (with the list's annotations), after an action."""
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data)


class DealsModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    DealsViewSet,
):
    """List, read, create, change and delete, each through the access module and a service."""


class OnAccountMixin:
    """Records created on an account (given as `account`) and never moved off it."""

    create_service = None  # (actor, account, data)
    update_service = None  # (actor, <instance_kwarg>, data, version)
    instance_kwarg = ""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        obj = type(self).create_service(actor=self.request.user, account=account, data=data)
        serializer.instance = self.get_queryset().get(pk=obj.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("account", None)
        obj = type(self).update_service(
            actor=self.request.user,
            data=data,
            version=data.pop("version", None),
            **{self.instance_kwarg: serializer.instance},
        )
        serializer.instance = self.get_queryset().get(pk=obj.pk)


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The price list, for everyone signed in. Admins change it in /admin/."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet

    def get_queryset(self):
        return products_visible_to(self.request.user).order_by("sku")


class DealViewSet(
    DealsModelViewSet,
):
    """The pipeline. Changes carry the `version` read; stage moves go through `move`."""

    serializer_class = DealSerializer
    filterset_class = DealFilterSet
    get_for_user = staticmethod(Deal.objects.get_for_user)

    def get_queryset(self):
        return selectors.deals_for_listing(user=self.request.user).select_related("competitor")

    def perform_create(self, serializer):
        serializer.instance = services.deal_create(
            actor=self.request.user,
            account=serializer.validated_data["account"],
            data=serializer.service_data(),
        )

    def perform_update(self, serializer):
        serializer.instance = services.deal_update(
            actor=self.request.user,
            deal=serializer.instance,
            data=serializer.service_data(),
            version=serializer.validated_data["version"],
        )

    def perform_destroy(self, instance):
        services.deal_delete(actor=self.request.user, deal=instance)

    @extend_schema(request=DealMoveSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the deal to another stage (recorded in its stage history)."""
        deal = self.get_object()
        params = DealMoveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        deal = services.deal_move_stage(
            actor=request.user,
            deal=deal,
            to_stage=params.validated_data["stage"],
            lost_reason=params.validated_data["lost_reason"],
            from_stage=params.validated_data.get("from_stage"),
        )
        return self._action_response(deal)


class OfferViewSet(
    DealsModelViewSet,
):
    """Commercial offers with their lines and totals. Only drafts change; the status moves
    through the actions."""

    serializer_class = OfferSerializer
    filterset_class = OfferFilterSet
    get_for_user = staticmethod(Offer.objects.get_for_user)

    def get_queryset(self):
        return selectors.offers_for_listing(user=self.request.user).prefetch_related(
            "lines__product"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        deal, lines = data.pop("deal"), data.pop("lines", [])
        with transaction.atomic():
            offer = services.offer_create(actor=self.request.user, deal=deal, data=data)
            for line in lines:
                services.offer_line_add(actor=self.request.user, offer=offer, **line)
        serializer.instance = self.get_queryset().get(pk=offer.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("deal", None)
        offer = services.offer_update(actor=self.request.user, offer=serializer.instance, data=data)
        serializer.instance = self.get_queryset().get(pk=offer.pk)

    def perform_destroy(self, instance):
        services.offer_delete(actor=self.request.user, offer=instance)

    def _run(self, service, **kwargs):
        return self._action_response(
            service(actor=self.request.user, offer=self.get_object(), **kwargs)
        )

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send an offer that breaks the discount rule to the director (pending approval)."""
        return self._run(services.offer_submit)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take a pending offer back to draft."""
        return self._run(services.offer_withdraw)

    @extend_schema(request=DecisionSerializer, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The director approves a pending offer (with an optional comment)."""
        params = DecisionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._run(services.offer_approve, **params.validated_data)

    @extend_schema(request=DecisionSerializer, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The director sends a pending offer back to draft, with a comment saying why."""
        params = DecisionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._run(services.offer_send_back, **params.validated_data)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send to the client: a draft within the discount rule, or an approved offer."""
        return self._run(services.offer_send)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The client accepted the sent offer."""
        return self._run(services.offer_mark_accepted)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The client rejected the sent offer."""
        return self._run(services.offer_mark_declined)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def expire(self, request, pk=None):
        """The offer's validity ran out without an answer."""
        return self._run(services.offer_mark_expired)

    @extend_schema(request=None, responses={201: OfferSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """A new draft version copied from this one, re-priced from today's price list."""
        copy = services.offer_new_version(actor=request.user, offer=self.get_object())
        response = self._action_response(copy)
        response.status_code = 201
        return response


class OfferLineViewSet(
    DealsModelViewSet,
):
    """Lines of draft offers: priced on the server from the price list and the discount."""

    serializer_class = OfferLineSerializer
    filterset_class = OfferLineFilterSet
    get_for_user = staticmethod(OfferLine.objects.get_for_user)

    def get_queryset(self):
        return selectors.offer_lines_for_listing(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.offer_line_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        line = serializer.instance
        data = serializer.validated_data
        if data.get("product", line.product) != line.product:
            raise ValidationError(
                {"product": _("Remove the line and add another product instead.")}
            )
        serializer.instance = services.offer_line_update(
            actor=self.request.user,
            line=line,
            quantity=data.get("quantity", line.quantity),
            discount=data.get("discount", line.discount),
        )

    def perform_destroy(self, instance):
        services.offer_line_remove(actor=self.request.user, line=instance)


class ContractViewSet(
    OnAccountMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    DealsViewSet,
):
    """Contracts with their obligations. `?expiring_within=30|60|90` lists those ending soon."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    create_service = staticmethod(services.contract_create)
    update_service = staticmethod(services.contract_update)
    instance_kwarg = "contract"
    get_for_user = staticmethod(Contract.objects.get_for_user)

    def get_queryset(self):
        return selectors.contracts_for_listing(user=self.request.user).prefetch_related(
            "obligations"
        )

    @extend_schema(request=StatusSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the contract to another status (draft, active, expiring, expired, terminated)."""
        return self._status_action(
            request,
            lambda c, to: services.contract_move(actor=request.user, contract=c, to_status=to),
        )


class ObligationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    DealsViewSet,
):
    """What each side of a contract must do by when."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilterSet
    get_for_user = staticmethod(ContractObligation.objects.get_for_user)

    def get_queryset(self):
        return selectors.obligations_for_listing(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.obligation_add(
            actor=self.request.user, contract=data.pop("contract"), data=data
        )

    def perform_destroy(self, instance):
        services.obligation_delete(actor=self.request.user, obligation=instance)

    @extend_schema(request=None, responses=ObligationSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the obligation fulfilled today."""
        obligation = services.obligation_mark_done(actor=request.user, obligation=self.get_object())
        return self._action_response(obligation)


class OrderViewSet(
    OnAccountMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    DealsViewSet,
):
    """Orders of key clients, with lines; `is_late` when delivered after the promised date or
    the promised date has passed."""

    serializer_class = OrderSerializer
    filterset_class = OrderFilterSet
    update_service = staticmethod(services.order_update)
    instance_kwarg = "order"
    get_for_user = staticmethod(Order.objects.get_for_user)

    def get_queryset(self):
        return selectors.orders_for_listing(user=self.request.user).prefetch_related("lines")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        order = services.order_create(
            actor=self.request.user,
            account=data.pop("account"),
            lines=data.pop("lines", []),
            data=data,
        )
        serializer.instance = self.get_queryset().get(pk=order.pk)

    @extend_schema(request=StatusSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Confirm, ship or cancel the order."""
        return self._status_action(
            request, lambda o, to: services.order_move(actor=request.user, order=o, to_status=to)
        )

    @extend_schema(request=DeliverySerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """Mark the order delivered (today unless `delivered_date` says otherwise)."""
        order = self.get_object()
        params = DeliverySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        order = services.order_mark_delivered(
            actor=request.user,
            order=order,
            delivered_date=params.validated_data.get("delivered_date"),
        )
        return self._action_response(order)


class ReturnViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    DealsViewSet,
):
    """Goods returned or refused, with the reason and the value lost."""

    serializer_class = ReturnSerializer
    filterset_class = ReturnFilterSet
    get_for_user = staticmethod(Return.objects.get_for_user)

    def get_queryset(self):
        return selectors.returns_for_listing(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.return_record(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.return_delete(actor=self.request.user, item=instance)


class ComplaintViewSet(
    OnAccountMixin,
    DealsModelViewSet,
):
    """Complaints and conflicts with key clients."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet
    create_service = staticmethod(services.complaint_open)
    update_service = staticmethod(services.complaint_update)
    instance_kwarg = "complaint"
    get_for_user = staticmethod(Complaint.objects.get_for_user)

    def get_queryset(self):
        return selectors.complaints_for_listing(user=self.request.user)

    def perform_destroy(self, instance):
        services.complaint_delete(actor=self.request.user, complaint=instance)

    @extend_schema(request=StatusSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Start work on the complaint, or reopen it."""
        return self._status_action(
            request,
            lambda c, to: services.complaint_move(actor=request.user, complaint=c, to_status=to),
        )

    @extend_schema(request=ResolveSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the complaint, saying how."""
        complaint = self.get_object()
        params = ResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        complaint = services.complaint_resolve(
            actor=request.user, complaint=complaint, resolution=params.validated_data["resolution"]
        )
        return self._action_response(complaint)
