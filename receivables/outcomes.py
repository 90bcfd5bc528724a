"""A promise to pay logged straight from the outcome of a visit or call (core/outcomes.py)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DATE_INPUT
from core.outcomes import OutcomePart

from .access import can_log_collection
from .forms import MONEY_INPUT
from .models import CollectionAction
from .services import collection_action_log


class PromiseToPayForm(forms.Form):
    promised_on = forms.DateField(
        label=gettext_lazy("They promised to pay by"), required=False, widget=DATE_INPUT
    )
    promised_amount = forms.DecimalField(
        label=gettext_lazy("Amount promised"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=MONEY_INPUT,
    )

    def clean(self):
        data = super().clean()
        on, amount = data.get("promised_on"), data.get("promised_amount")
        if on and amount is None:
            self.add_error("promised_amount", _("How much did they promise?"))
        if amount is not None and not on:
            self.add_error("promised_on", _("When did they promise to pay?"))
        return data


def record(*, actor, account, day, data):
    if not data.get("promised_on"):
        return None
    try:
        return collection_action_log(
            actor=actor,
            account=account,
            kind=CollectionAction.Kind.PROMISE,
            happened_on=min(day, timezone.localdate()),
            promised_on=data["promised_on"],
            promised_amount=data["promised_amount"],
            note=_("Promised during a visit or call."),
        )
    except ValidationError as error:
        raise ValidationError(error.messages) from None


OUTCOME_PARTS = [
    OutcomePart(
        prefix="promise",
        title=gettext_lazy("Promise to pay"),
        form=PromiseToPayForm,
        offers=can_log_collection,
        record=record,
    )
]
