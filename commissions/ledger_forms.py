"""Forms of the commission ledger pages (periods, disputes)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this line?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept as an adjustment")), ("reject", _("Reject"))],
    )
    amount = forms.DecimalField(
        label=_("Adjustment amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Added to the KAM's next open period (negative to take back)."),
    )
    resolution = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("amount"):
            self.add_error("amount", _("Enter the amount to adjust by."))
        if data.get("decision") == "reject" and not (data.get("resolution") or "").strip():
            self.add_error("resolution", _("Say why the dispute is rejected."))
        return data
