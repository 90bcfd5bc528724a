"""Forms of the plans pages: they parse input; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTier
from core.forms import DATE_INPUT

FIELD_CHOICES = [
    ("revenue_target", _("Revenue")),
    ("margin_target", _("Margin")),
    ("new_clients_target", _("New active clients")),
]


class YearPlanForm(forms.Form):
    """Spread a yearly figure over the months, or copy last year's plan with a change."""

    SPREAD, COPY = "spread", "copy"

    kam = forms.TypedChoiceField(label=_("KAM"), coerce=int)
    action = forms.ChoiceField(
        label=_("What"),
        choices=[(SPREAD, _("Spread a yearly figure")), (COPY, _("Copy last year's plan"))],
    )
    field = forms.ChoiceField(label=_("Target"), choices=FIELD_CHOICES, required=False)
    total = forms.DecimalField(label=_("Yearly figure"), required=False, max_digits=16)
    method = forms.ChoiceField(
        label=_("Spread"),
        choices=[("seasonal", _("By last year's seasonality")), ("even", _("Evenly"))],
        required=False,
    )
    percent = forms.DecimalField(label=_("Change (%)"), required=False, max_digits=7)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(self, *args, kams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kam"].choices = [(kam.pk, str(kam)) for kam in kams]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.SPREAD:
            if data.get("total") is None:
                self.add_error("total", _("Type the yearly figure to spread."))
            if not data.get("field"):
                self.add_error("field", _("Choose the target to spread."))
        if data.get("action") == self.COPY and data.get("percent") is None:
            self.add_error("percent", _("Type the change, e.g. 5 for +5 % (0 for the same)."))
        return data


class TierOverrideForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=AccountTier.choices)
    expires_on = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Why"), max_length=300)
