from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import SavedView, Territory, User


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "territory", "reports_to"]
    list_filter = ["role", "territory", "is_active"]
    list_select_related = ["territory", "reports_to"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Sales organisation"), {"fields": ("role", "territory", "reports_to", "time_zone")}),
        (_("Reminders and language"), {"fields": ("reminder_delivery", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Sales organisation"), {"fields": ("role", "territory", "reports_to")}),
    )


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "list_key", "owner", "shared", "created_at"]
    list_filter = ["shared", "list_key"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
