"""One FilterSet per listable model, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, OwnerFilter, StableOrderingFilterSet, YesNoFilter
from core.forms import DATE_INPUT
from core.pickers import PickerIdInput, PickerSelect
from team import access

from .models import OPEN_INVOICE_STATUSES, CollectionAction, CreditNote, Invoice, Payment


class _DropOwnerForKams:
    """A KAM sees only their own accounts: an owner filter would not narrow anything."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and request.user.is_kam:
            self.filters.pop("owner", None)


class InvoiceFilterSet(_DropOwnerForKams, StableOrderingFilterSet):
    q = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Number"))
    account = IdFilter(widget=PickerIdInput("accounts:pick", depends=("owner",)))
    owner = OwnerFilter(
        field_name="account__owner",
        owners=access.owners_visible_to,
        label=_("KAM"),
        widget=PickerSelect("pick_owners"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Invoice.Status.choices, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    open = YesNoFilter(method="filter_open", label=_("Open"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due from"), widget=DATE_INPUT
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due by"), widget=DATE_INPUT
    )
    amount_min = django_filters.NumberFilter(
        field_name="gross_total", lookup_expr="gte", label=_("Gross from")
    )
    amount_max = django_filters.NumberFilter(
        field_name="gross_total", lookup_expr="lte", label=_("Gross to")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("account__name", "account"),
            ("issue_date", "issued"),
            ("due_date", "due"),
            ("status", "status"),
            ("gross_total", "amount"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Invoice
        fields = []

    def filter_open(self, queryset, name, value):
        condition = Q(status__in=OPEN_INVOICE_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_INVOICE_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class PaymentFilterSet(_DropOwnerForKams, StableOrderingFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Reference"))
    account = IdFilter(widget=PickerIdInput("accounts:pick", depends=("owner",)))
    owner = OwnerFilter(
        field_name="account__owner",
        owners=access.owners_visible_to,
        label=_("KAM"),
        widget=PickerSelect("pick_owners"),
    )
    unallocated = YesNoFilter(method="filter_unallocated", label=_("Left to allocate"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received from"), widget=DATE_INPUT
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("Received by"), widget=DATE_INPUT
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("received_on", "received"),
            ("account__name", "account"),
            ("payer_reference", "reference"),
            ("amount", "amount"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Payment
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(payer_reference__icontains=value) | Q(external_ref__icontains=value)
        )

    def filter_unallocated(self, queryset, name, value):
        left = Q(allocated_total__lt=F("amount"), reversal__isnull=True)
        return queryset.filter(left) if value else queryset.exclude(left)


class CreditNoteFilterSet(StableOrderingFilterSet):
    account = IdFilter()
    invoice = IdFilter()

    class Meta:
        model = CreditNote
        fields = []


class CollectionActionFilterSet(StableOrderingFilterSet):
    account = IdFilter()
    invoice = IdFilter()
    kind = django_filters.MultipleChoiceFilter(choices=CollectionAction.Kind.choices)

    class Meta:
        model = CollectionAction
        fields = []
