from django.contrib import admin

from .models import ReportJob, ReportSubscription


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


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    """Seen and ended here; made by their subscriber on My reports (it checks the access)."""

    list_display = ["title", "kind", "user", "frequency", "last_sent_on"]
    list_filter = ["kind", "frequency"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
