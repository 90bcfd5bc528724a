from django.contrib import admin

from core.admin import VersionedAdminMixin
from team.models import Role, User

from . import services
from .models import (
    Account,
    AccountEvent,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)


class FinancialsInline(admin.TabularInline):
    model = AccountFinancials
    extra = 0


@admin.register(Account)
class AccountAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tax_id", "tier", "status", "territory", "owner", "potential_amount"]
    list_filter = ["tier", "status", "territory", "segment"]
    search_fields = ["name", "legal_name", "tax_id"]
    list_select_related = ["territory", "owner"]
    autocomplete_fields = ["owner"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = User.objects.filter(role=Role.KAM)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    filter_horizontal = ["competitors"]
    inlines = [FinancialsInline]

    # The admin bypasses the services: its edits leave the same trail (AccountEvent) theirs do.
    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = Account.objects.select_related("owner", "territory").get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        services.account_admin_saved(actor=request.user, account=obj, before=before)

    def delete_model(self, request, obj):
        services.account_admin_deleted(actor=request.user, account=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for account in queryset:
            services.account_admin_deleted(actor=request.user, account=account)
        super().delete_queryset(request, queryset)


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AccountFinancials)
class AccountFinancialsAdmin(admin.ModelAdmin):
    list_display = ["account", "year", "revenue", "profit", "employees"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]


@admin.register(DossierNote)
class DossierNoteAdmin(admin.ModelAdmin):
    list_display = ["account", "noted_on", "source", "author"]
    list_filter = ["source"]
    list_select_related = ["account", "author"]
    autocomplete_fields = ["account", "author"]
    search_fields = ["text", "account__name"]


@admin.register(Contact)
class ContactAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "account", "position", "decision_role", "influence", "attitude"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a person to another account would leave their relations crossing accounts.
        return ["account"] if obj else []

    list_filter = ["decision_role", "attitude", "relationship_stage", "is_vip", "is_kol"]
    list_select_related = ["account"]
    search_fields = ["first_name", "last_name", "email", "account__name"]
    autocomplete_fields = ["account"]


@admin.register(ContactRelation)
class ContactRelationAdmin(admin.ModelAdmin):
    list_display = ["from_contact", "kind", "to_contact"]
    list_filter = ["kind"]
    list_select_related = ["from_contact", "to_contact"]
    autocomplete_fields = ["from_contact", "to_contact"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The trail is written by the services only: read here, never changed."""

    list_display = ["at", "account_name", "kind", "from_value", "to_value", "detail", "actor"]
    list_filter = ["kind"]
    search_fields = ["account_name"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
