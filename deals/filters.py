"""One FilterSet per listable model, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import (
    ANY,
    IdFilter,
    OwnerFilter,
    SearchFilter,
    StableOrderingFilterSet,
    YesNoFilter,
)
from core.forms import DATE_INPUT
from core.i18n import lazy_message
from core.pickers import PickerIdInput, PickerSelect
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
    owner = OwnerFilter(owners=access.owners_visible_to, widget=PickerSelect("pick_owners"))
    account = IdFilter(widget=PickerIdInput("accounts:pick"))
    close_after = django_filters.DateFilter(
        field_name="expected_close_date",
        lookup_expr="gte",
        label=_("Closes from"),
        widget=DATE_INPUT,
    )
    close_before = django_filters.DateFilter(
        field_name="expected_close_date", lookup_expr="lte", label=_("Closes by"), widget=DATE_INPUT
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", label=_("Amount from")
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label=_("Amount to")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("amount", "amount"),
            ("probability", "probability"),
            ("expected_close_date", "close"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
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
    status = django_filters.MultipleChoiceFilter(
        choices=Offer.Status.choices, widget=forms.CheckboxSelectMultiple
    )

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
    account = IdFilter(widget=PickerIdInput("accounts:pick"))
    deal = IdFilter(widget=PickerIdInput("deals:pick_deals", depends=("account",)))
    status = django_filters.MultipleChoiceFilter(
        choices=Contract.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    expiring_within = DaysFilter(
        choices=[
            ("", ANY),
            *((str(d), lazy_message(_("next %(days)d days"), days=d)) for d in EXPIRY_WINDOWS),
        ],
        coerce=int,
        method="expiring",
        label=_("Ends within"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("account__name", "account"),
            ("status", "status"),
            ("end_date", "end"),
            ("value", "value"),
            ("payment_terms_days", "payment"),
            ("renewal", "renewal"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Contract
        fields = ["q", "account", "deal", "status", "expiring_within"]

    def expiring(self, queryset, name, value):
        return contracts_expiring(queryset, days=value) if value else queryset


class ObligationFilterSet(StableOrderingFilterSet):
    contract = IdFilter()
    open = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", label=_("Not done")
    )

    class Meta:
        model = ContractObligation
        fields = ["contract", "party", "kind", "open"]


class OrderFilterSet(StableOrderingFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    account = IdFilter(widget=PickerIdInput("accounts:pick"))
    contract = IdFilter(widget=PickerIdInput("deals:pick_contracts", depends=("account",)))
    status = django_filters.MultipleChoiceFilter(
        choices=Order.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    late = YesNoFilter(method="lateness", label=_("Late"))
    requested_after = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="gte", label=_("Requested from"), widget=DATE_INPUT
    )
    requested_before = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="lte", label=_("Requested by"), widget=DATE_INPUT
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("pk", "number"),
            ("account__name", "account"),
            ("status", "status"),
            ("requested_date", "requested"),
            ("promised_date", "promised"),
            ("total", "total"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Order
        fields = [
            "q",
            "account",
            "contract",
            "status",
            "late",
            "requested_after",
            "requested_before",
        ]

    def search(self, queryset, name, value):
        """By order number, the client's reference or the account's name."""
        value = value.strip().lstrip("#")
        if not value:
            return queryset
        condition = Q(reference__icontains=value) | Q(account__name__icontains=value)
        if value.isdigit() and len(value) < 12:
            condition |= Q(pk=int(value))
        return queryset.filter(condition)

    def lateness(self, queryset, name, value):
        if value is None:
            return queryset
        condition = late_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ReturnFilterSet(StableOrderingFilterSet):
    account = IdFilter(
        field_name="order_line__order__account", widget=PickerIdInput("accounts:pick")
    )
    order = IdFilter(
        field_name="order_line__order",
        widget=PickerIdInput("deals:pick_orders", depends=("account",)),
    )
    product = IdFilter(
        field_name="order_line__product", widget=PickerIdInput("deals:pick_products")
    )
    reason = django_filters.MultipleChoiceFilter(
        choices=Return.Reason.choices, widget=forms.CheckboxSelectMultiple
    )
    returned_after = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="gte", label=_("Returned from"), widget=DATE_INPUT
    )
    returned_before = django_filters.DateFilter(
        field_name="returned_on", lookup_expr="lte", label=_("Returned by"), widget=DATE_INPUT
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("returned_on", "date"),
            ("order_line__order__account__name", "account"),
            ("order_line__product__name", "product"),
            ("quantity", "quantity"),
            ("reason", "reason"),
            ("value", "value"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Return
        fields = ["account", "order", "product", "reason", "returned_after", "returned_before"]


class ComplaintFilterSet(StableOrderingFilterSet):
    account = IdFilter(widget=PickerIdInput("accounts:pick"))
    status = django_filters.MultipleChoiceFilter(
        choices=Complaint.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = django_filters.MultipleChoiceFilter(
        choices=Complaint.Severity.choices, widget=forms.CheckboxSelectMultiple
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("opened_on", "opened"),
            ("subject", "subject"),
            ("account__name", "account"),
            ("severity", "severity"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Complaint
        fields = ["account", "status", "severity"]


class ProductFilterSet(StableOrderingFilterSet):
    q = SearchFilter(fields=["sku", "name"])
    category = django_filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), empty_label=ANY
    )
    is_active = YesNoFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("sku", "sku"),
            ("name", "name"),
            ("category__name", "category"),
            ("list_price", "price"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Product
        fields = ["q", "category", "is_active", "currency"]
