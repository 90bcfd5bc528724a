"""Admin plumbing shared by every app, and core's own exchange rates."""

from django.contrib import admin
from django.db import transaction

from .models import ExchangeRate


class ReadOnlyAdminMixin:
    """Shown, never changed in the admin: the services own these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionedAdminMixin:
    """An edit made in the admin moves the record's `version` too (core.concurrency), so a
    page or API client holding the version from before it is refused on save rather than
    writing the old values back over the admin's change."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            stored = type(obj)._base_manager.select_for_update().filter(pk=obj.pk)
            obj.version = (stored.values_list("version", flat=True).first() or 0) + 1
            return super().save_model(request, obj, form, change)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["day", "currency", "rate", "quote_currency", "source", "entered_by"]
    list_filter = ["currency", "quote_currency"]
    date_hierarchy = "day"
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
