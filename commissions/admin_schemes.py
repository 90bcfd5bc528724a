"""Admin for commission schemes (admins edit them here; everyone reads them on the schemes
page) and read-only views of the ledger. Imported by admin.py."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ReadOnlyAdminMixin

from .models import (
    Bracket,
    CommissionEntry,
    CommissionPeriod,
    CommissionScheme,
    Dispute,
    InvoiceCancellation,
    MultiplierBand,
    PeriodEvent,
    SchemeAssignment,
    SchemeVersion,
    Statement,
)
from .services.schemes import brackets_validate, multipliers_validate


class _TableFormSet(forms.BaseInlineFormSet):
    """Validates the whole table at once: no gap, no overlap, in order."""

    validate = staticmethod(brackets_validate)
    value = "rate"

    def clean(self):
        super().clean()
        rows = [
            (f.cleaned_data["lower"], f.cleaned_data.get("upper"), f.cleaned_data[self.value])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not rows and self.value == "factor":
            return
        try:
            self.validate(rows)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class BracketFormSet(_TableFormSet):
    validate = staticmethod(brackets_validate)
    value = "rate"


class MultiplierFormSet(_TableFormSet):
    validate = staticmethod(multipliers_validate)
    value = "factor"


class BracketInline(admin.TabularInline):
    model = Bracket
    formset = BracketFormSet
    extra = 0


class MultiplierInline(admin.TabularInline):
    model = MultiplierBand
    formset = MultiplierFormSet
    extra = 0


class VersionInline(admin.TabularInline):
    model = SchemeVersion
    extra = 0
    fields = ["valid_from", "basis", "mode", "earned_on", "note"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommissionScheme)
class CommissionSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "currency", "is_default"]
    inlines = [VersionInline]


@admin.register(SchemeVersion)
class SchemeVersionAdmin(admin.ModelAdmin):
    list_display = ["scheme", "valid_from", "basis", "mode", "earned_on"]
    list_filter = ["scheme"]
    inlines = [BracketInline, MultiplierInline]

    def _used(self, obj) -> bool:
        return obj is not None and CommissionEntry.objects.filter(scheme_version=obj).exists()

    def has_change_permission(self, request, obj=None):
        # A version that has earned commission stays as it was: add a new version instead,
        # valid from the day the change applies.
        return super().has_change_permission(request, obj) and not self._used(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._used(obj)


@admin.register(SchemeAssignment)
class SchemeAssignmentAdmin(admin.ModelAdmin):
    list_display = ["scheme", "kam", "territory", "valid_from"]
    list_select_related = ["scheme", "kam", "territory"]


@admin.register(CommissionPeriod)
class CommissionPeriodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["month", "status", "calculated_at", "closed_at", "closed_by"]


@admin.register(PeriodEvent)
class PeriodEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "action", "actor", "reason", "at"]
    list_select_related = ["period", "actor"]


@admin.register(CommissionEntry)
class CommissionEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "kam", "kind", "source_key", "amount", "currency"]
    list_filter = ["kind", "period"]
    list_select_related = ["period", "kam"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "kam", "currency", "total"]
    list_select_related = ["period", "kam"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "raised_by", "status", "created_at"]
    list_select_related = ["entry", "raised_by"]


@admin.register(InvoiceCancellation)
class InvoiceCancellationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["invoice", "on_date", "created_at"]
    list_select_related = ["invoice"]
