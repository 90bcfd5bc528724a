from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportSubscription


class RequestOptionsForm(forms.Form):
    """What every report request may add to the kind's own parameters."""

    email_when_done = forms.BooleanField(label=_("E-mail me when it is ready"), required=False)


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=ReportSubscription.Frequency.choices
    )
