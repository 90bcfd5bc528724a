from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedAdminMixin

from .models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStageChange,
    DiscountLimit,
    Offer,
    OfferLine,
    Order,
    OrderLine,
    Product,
    ProductCategory,
    Return,
)


class DiscountLimitInline(admin.TabularInline):
    """The category's row of the discount matrix: one limit per client tier."""

    model = DiscountLimit
    extra = 0
    max_num = 3


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "max_discount", "margin_floor"]
    search_fields = ["name"]
    inlines = [DiscountLimitInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "sku",
        "name",
        "category",
        "unit",
        "list_price",
        "unit_cost",
        "currency",
        "is_active",
    ]
    list_filter = ["category", "is_active", "currency"]
    list_select_related = ["category"]
    search_fields = ["sku", "name"]


@admin.register(DiscountLimit)
class DiscountLimitAdmin(admin.ModelAdmin):
    list_display = ["category", "tier", "max_discount"]
    list_filter = ["tier", "category"]
    list_select_related = ["category"]


class StageChangeInline(admin.TabularInline):
    """The stage history, read-only: it is written by deal_move_stage, never by hand."""

    model = DealStageChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "account",
        "owner",
        "stage",
        "amount",
        "probability",
        "expected_close_date",
    ]
    list_filter = ["stage"]
    list_select_related = ["account", "owner"]
    search_fields = ["title", "account__name"]
    autocomplete_fields = ["account", "owner"]
    inlines = [StageChangeInline]


class OfferLineInline(admin.TabularInline):
    model = OfferLine
    extra = 0
    readonly_fields = ["list_price", "unit_cost", "net_price", "line_total", "line_cost"]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "deal", "status", "valid_until", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["deal", "decided_by"]
    inlines = [OfferLineInline]


class ObligationInline(admin.TabularInline):
    model = ContractObligation
    extra = 0


@admin.register(Contract)
class ContractAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "account", "status", "start_date", "end_date", "value", "renewal"]
    list_filter = ["status", "renewal"]
    list_select_related = ["account"]
    search_fields = ["number", "account__name"]
    inlines = [ObligationInline]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(Order)
class OrderAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "account",
        "status",
        "requested_date",
        "promised_date",
        "delivered_date",
    ]
    list_filter = ["status"]
    list_select_related = ["account"]
    inlines = [OrderLineInline]


@admin.register(Return)
class ReturnAdmin(admin.ModelAdmin):
    list_display = ["__str__", "returned_on", "reason", "value"]
    list_filter = ["reason"]


@admin.register(Complaint)
class ComplaintAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "account", "severity", "status", "opened_on"]
    list_filter = ["severity", "status"]
    list_select_related = ["account"]
