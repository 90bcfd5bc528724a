"""Admin: plans are read here; they change through the plans grid, which keeps their history."""

from django.contrib import admin

from . import admin_schemes  # noqa: F401 - schemes and the ledger (commissions ledger)
from .models import SalesPlan, SalesPlanChange


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SalesPlan)
class SalesPlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["kam", "month", "revenue_target", "margin_target", "new_clients_target"]
    list_filter = ["month"]
    list_select_related = ["kam"]


@admin.register(SalesPlanChange)
class SalesPlanChangeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["plan", "field", "old_value", "new_value", "changed_by", "changed_at"]
    list_select_related = ["plan__kam", "changed_by"]
