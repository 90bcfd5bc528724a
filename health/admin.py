from django.contrib import admin

from .models import HealthScore


@admin.register(HealthScore)
class HealthScoreAdmin(admin.ModelAdmin):
    list_display = ["account", "month", "score", "computed_at"]
    list_filter = ["month"]
    search_fields = ["account__name"]
    readonly_fields = [f.name for f in HealthScore._meta.fields]
