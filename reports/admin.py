from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through their task and the retry button."""

    list_display = ["title", "kind", "requested_by", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "requested_by__username"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
