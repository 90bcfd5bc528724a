"""API v1 for receivables: the same scope, filters and services as the pages."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, selectors, services
from ..filters import (
    CollectionActionFilterSet,
    CreditNoteFilterSet,
    InvoiceFilterSet,
    PaymentFilterSet,
)
from ..models import Allocation, CollectionAction, CreditNote, CreditProfile, Invoice, Payment
from .serializers import (
    AgingQuerySerializer,
    AgingSerializer,
    AllocateSerializer,
    CollectionActionSerializer,
    CreditNoteInputSerializer,
    CreditNoteSerializer,
    CreditProfileSerializer,
    InvoiceSerializer,
    InvoiceUpsertSerializer,
    PaymentSerializer,
    ReverseSerializer,
)


class FinanceWrites(permissions.BasePermission):
    """Only finance and admins change the money: 403 on any write before its input is read."""

    message = _("Only finance records invoices, payments, credit notes and credit limits.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or access.can_manage_money(request.user)


class MoneyViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, FinanceWrites]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _shown(self, obj, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MoneyViewSet):
    """Invoices with their lines. The accounting system pushes them with `upsert`."""

    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet

    def get_queryset(self):
        return (
            Invoice.objects.visible_to(self.request.user)
            .select_related("account")
            .prefetch_related("lines")
            .order_by("-issue_date", "-pk")
        )

    @extend_schema(request=InvoiceUpsertSerializer, responses=InvoiceSerializer)
    @action(detail=False, methods=["post"])
    def upsert(self, request):
        """Create the invoice of this number, or confirm it is already there unchanged (200).
        An issued invoice never changes: different content for a known number is a 409."""
        params = InvoiceUpsertSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        with transaction.atomic():
            existing = Invoice.objects.filter(number=data["number"]).first()
            if existing is not None:
                if not _same_invoice(existing, data):
                    return Response(
                        {
                            "detail": _(
                                "An invoice with this number exists with other content; "
                                "correct it with a credit note."
                            ),
                            "id": existing.pk,
                        },
                        status=status.HTTP_409_CONFLICT,
                    )
                return self._shown(existing)
            invoice = services.invoice_issue(
                actor=request.user,
                account=data["account"],
                number=data["number"],
                issue_date=data["issue_date"],
                due_date=data.get("due_date"),
                currency=data["currency"],
                note=data["note"],
                lines=[services.LineInput(**line) for line in data["lines"]],
            )
        return self._shown(invoice, status.HTTP_201_CREATED)


def _same_invoice(invoice: Invoice, data) -> bool:
    lines = [
        (line.description, line.quantity, line.unit_price, line.vat_code)
        for line in invoice.lines.order_by("pk")
    ]
    wanted = [
        (
            line["description"],
            Decimal(line["quantity"]),
            Decimal(line["unit_price"]),
            line["vat_code"],
        )
        for line in data["lines"]
    ]
    return (
        invoice.account_id == data["account"].pk
        and invoice.issue_date == data["issue_date"]
        and invoice.currency == data["currency"]
        and ("due_date" not in data or invoice.due_date == data["due_date"])
        and lines == wanted
    )


class CreditNoteViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, MoneyViewSet
):
    serializer_class = CreditNoteSerializer
    filterset_class = CreditNoteFilterSet

    def get_queryset(self):
        return CreditNote.objects.visible_to(self.request.user).order_by("-issue_date", "-pk")

    @extend_schema(request=CreditNoteInputSerializer, responses=CreditNoteSerializer)
    def create(self, request):
        params = CreditNoteInputSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        credit = services.credit_note_issue(actor=request.user, **params.validated_data)
        return self._shown(credit, status.HTTP_201_CREATED)


class PaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, MoneyViewSet
):
    """Payments with their allocations; `allocate` and `reverse` move the money."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet

    def get_queryset(self):
        return (
            Payment.objects.visible_to(self.request.user)
            .select_related("reversal")
            .prefetch_related(
                Prefetch("allocations", queryset=Allocation.objects.select_related("invoice"))
            )
            .order_by("-received_on", "-pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.payment_record(
            actor=self.request.user,
            account=data["account"],
            received_on=data["received_on"],
            amount=data["amount"],
            currency=data["currency"],
            payer_reference=data.get("payer_reference", ""),
            external_ref=data.get("external_ref"),
            source=Payment.Source.API,
            note=data.get("note", ""),
        )

    @extend_schema(request=AllocateSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        payment = Payment.objects.get_for_user(request.user, pk, write=True)
        params = AllocateSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        chosen = params.validated_data.get("allocations")
        services.payment_allocate(
            actor=request.user,
            payment=payment,
            allocations=None if chosen is None else [(a["invoice"], a["amount"]) for a in chosen],
        )
        return self._shown(payment)

    @extend_schema(request=ReverseSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        payment = Payment.objects.get_for_user(request.user, pk, write=True)
        params = ReverseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.payment_reverse(actor=request.user, payment=payment, **params.validated_data)
        return self._shown(payment)


class CreditProfileViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, MoneyViewSet
):
    """Credit limits, terms and status per account. POST sets them (one per account)."""

    serializer_class = CreditProfileSerializer

    def get_queryset(self):
        return CreditProfile.objects.visible_to(self.request.user).order_by("account__name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account, reason = data.pop("account"), data.pop("reason")
        serializer.instance = services.credit_profile_set(
            actor=self.request.user, account=account, data=data, reason=reason
        )


class CollectionActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Calls, letters, promises to pay, disputes and holds. The sales side and finance log
    them; the service refuses anyone else (403)."""

    serializer_class = CollectionActionSerializer
    filterset_class = CollectionActionFilterSet

    def get_queryset(self):
        return CollectionAction.objects.visible_to(self.request.user).order_by(
            "-happened_on", "-pk"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not access.can_log_collection(self.request.user, data["account"]):
            raise PermissionDenied(_("You may read this account's money but not log collection."))
        serializer.instance = services.collection_action_log(actor=self.request.user, **data)


class AgingView(APIView):
    """Aging as of a day (default today), per currency, optionally per account, KAM or
    territory: `?as_of=2026-06-30&group_by=kam`."""

    @extend_schema(parameters=[AgingQuerySerializer], responses=AgingSerializer)
    def get(self, request):
        params = AgingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        report = selectors.aging(
            invoices=Invoice.objects.visible_to(request.user),
            as_of=params.validated_data.get("as_of") or timezone.localdate(),
            group_by=params.validated_data.get("group_by") or None,
        )

        def shown(row):
            return {
                "key": row.key,
                "label": row.label,
                "currency": row.currency,
                "buckets": {
                    b.key: str(a) for b, a in zip(report.buckets, row.amounts, strict=True)
                },
                "total": str(row.total),
                "overdue": str(row.overdue),
            }

        return Response(
            {
                "as_of": report.as_of,
                "group_by": report.group_by,
                "buckets": [{"key": b.key, "label": b.label} for b in report.buckets],
                "rows": [shown(r) for r in report.rows],
                "totals": [shown(r) for r in report.totals],
            }
        )
