from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, CalendarFeed, ContactCadence, Notification


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["starts_at", "type", "account", "owner", "status", "assigned_by"]
    list_filter = ["type", "status"]
    list_select_related = ["account", "owner", "assigned_by"]
    search_fields = ["account__name", "purpose", "outcome", "next_step"]
    autocomplete_fields = ["account", "owner", "assigned_by", "contacts"]
    raw_id_fields = ["follow_up_of"]
    date_hierarchy = "starts_at"


@admin.register(ContactCadence)
class ContactCadenceAdmin(admin.ModelAdmin):
    list_display = ["tier", "days"]
    list_editable = ["days"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "occasion", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    exclude = ["token"]  # the secret is the user's; regenerate it from their settings page
    raw_id_fields = ["user"]
