"""One FilterSet per listable model, shared by the pages and the API."""

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import IdFilter, OwnerFilter, SearchFilter, StableOrderingFilterSet
from core.forms import DATE_INPUT
from team import access

from .models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    Offer,
    OfferLine,
    Order,
    Product,
    ProductCategory,
    Return,
)
from .selectors import EXPIRY_WINDOWS, contracts_expiring, late_condition


@extend_schema_field(OpenApiTypes.INT)
class DaysFilter(django_filters.TypedChoiceFilter):
    """A number of days out of a fixed set."""


class _DropOwnerForKams:
    """A KAM's list holds only their own accounts' records: an owner filter would not narrow it."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and request.user.is_kam:
            self.filters.pop("owner", None)


class DealFilterSet(_DropOwnerForKams, StableOrderingFilterSet):
    q = SearchFilter(fields=["title", "account__name"])
    stage = django_filters.MultipleChoiceFilter(
        choices=Deal.Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = OwnerFilter(owners=access.owners_visible_to)
    account = IdFilter()
    close_after = django_filters.DateFilter(
        field_name="expected_close_date", lookup_expr="gte", label="Closes from", widget=DATE_INPUT
    )
    close_before = django_filters.DateFilter(
        field_name="expected_close_date", lookup_expr="lte", label="Closes by", widget=DATE_INPUT
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", label="Amount from"
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label="Amount to"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("amount", "amount"),
            ("probability", "probability"),
            ("expected_close_date", "close"),
            ("updated_at", "updated"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Deal
        fields = [
            "q",
            "stage",
            "owner",
            "account",
            "close_after",
            "close_before",
            "amount_min",
            "amount_max",
        ]


class OfferFilterSet(StableOrderingFilterSet):
    deal = IdFilter()
    account = IdFilter(field_name="deal__account")
    status = django_filters.MultipleChoiceFilter(choices=Offer.Status.choices)

    class Meta:
        model = Offer
        fields = ["deal", "account", "status"]


class OfferLineFilterSet(StableOrderingFilterSet):
    offer = IdFilter()

    class Meta:
        model = OfferLine
        fields = ["offer"]


class ContractFilterSet(StableOrderingFilterSet):
    q = SearchFilter(fields=["number", "account__name"])
    account = IdFilter()
    deal = IdFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=Contract.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    expiring_within = DaysFilter(
        choices=[(str(d), f"next {d} days") for d in EXPIRY_WINDOWS],
        coerce=int,
        method="expiring",
        label="Ends within",
    )

    class Meta:
        model = Contract
        fields = ["q", "account", "deal", "status", "expiring_within"]

    def expiring(self, queryset, name, value):
        return contracts_expiring(queryset, days=value) if value else queryset


class ObligationFilterSet(StableOrderingFilterSet):
    contract = IdFilter()
    open = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", label="Not done"
    )

    class Meta:
        model = ContractObligation
        fields = ["contract", "party", "kind", "open"]


class OrderFilterSet(StableOrderingFilterSet):
    account = IdFilter()
    contract = IdFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=Order.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    late = django_filters.BooleanFilter(method="lateness", label="Late")
    requested_after = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="gte", widget=DATE_INPUT
    )
    requested_before = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = Order
        fields = ["account", "contract", "status", "late", "requested_after", "requested_before"]

    def lateness(self, queryset, name, value):
        if value is None:
            return queryset
        condition = late_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ReturnFilterSet(StableOrderingFilterSet):
    account = IdFilter(field_name="order_line__order__account")
    order = IdFilter(field_name="order_line__order")
    product = IdFilter(field_name="order_line__product")
    reason = django_filters.MultipleChoiceFilter(choices=Return.Reason.choices)
    returned_after = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="gte", widget=DATE_INPUT
    )
    returned_before = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = Return
        fields = ["account", "order", "product", "reason", "returned_after", "returned_before"]


class ComplaintFilterSet(StableOrderingFilterSet):
    account = IdFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=Complaint.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = django_filters.MultipleChoiceFilter(choices=Complaint.Severity.choices)

    class Meta:
        model = Complaint
        fields = ["account", "status", "severity"]


class ProductFilterSet(StableOrderingFilterSet):
    q = SearchFilter(fields=["sku", "name"])
    category = django_filters.ModelChoiceFilter(queryset=ProductCategory.objects.all())
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Product
        fields = ["q", "category", "is_active", "currency"]
