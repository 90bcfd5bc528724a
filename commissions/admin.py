"""Admin: plans are read here; they change through the plans grid, which keeps their history."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from . import admin_schemes  # noqa: F401 - schemes and the ledger (commissions ledger)
from .models import (
    AbcRun,
    AccountClass,
    Concentration,
    SalesPlan,
    SalesPlanChange,
    TierChange,
    TierOverride,
)


@admin.register(SalesPlan)
class SalesPlanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kam", "month", "revenue_target", "margin_target", "new_clients_target"]
    list_filter = ["month"]
    list_select_related = ["kam"]


@admin.register(SalesPlanChange)
class SalesPlanChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "field", "old_value", "new_value", "changed_by", "changed_at"]
    list_select_related = ["plan__kam", "changed_by"]


# plans: the ABC results are written by the classification run and the account page.
@admin.register(AbcRun)
class AbcRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["as_of", "ran_at", "ran_by", "accounts", "changes", "total_revenue"]


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "changed_on", "from_tier", "to_tier", "share", "rank", "source"]
    list_filter = ["source", "to_tier"]
    list_select_related = ["account"]


@admin.register(TierOverride)
class TierOverrideAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "tier", "expires_on", "set_by", "lifted_at", "reason"]
    list_select_related = ["account", "set_by"]


@admin.register(AccountClass)
class AccountClassAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "computed", "rank", "share", "cumulative_share", "revenue"]
    list_filter = ["computed"]
    list_select_related = ["account"]


@admin.register(Concentration)
class ConcentrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["month", "territory", "currency", "accounts", "top1_share", "total_revenue"]
    list_filter = ["territory"]
    list_select_related = ["territory"]
