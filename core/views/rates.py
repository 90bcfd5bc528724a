"""The exchange rates page: finance enters or imports rates, everyone reads them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..forms import DATE_INPUT, LocalizedDecimalField
from ..models import ExchangeRate
from ..money import CURRENCY_CHOICES, reporting_currency
from ..rates import may_enter_rates, rate_save, rates_import

SHOWN_RATES = 60


class RateForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=DATE_INPUT)
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=CURRENCY_CHOICES)
    rate = LocalizedDecimalField(
        label=gettext_lazy("Rate"),
        max_digits=18,
        decimal_places=6,
        help_text=gettext_lazy("What one unit of the currency costs in PLN, e.g. 4,2655."),
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=60, required=False)


class RateImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "An NBP table A archive (archiwum_tab_a_2026.csv) or the columns day, currency, rate."
        ),
    )


@require_http_methods(["GET", "POST"])
def rates(request):
    may_enter = may_enter_rates(request.user)
    form = RateForm(request.POST if "rate" in request.POST else None)
    upload = RateImportForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if request.method == "POST":
        if not may_enter:
            return render(request, "403.html", status=403)
        if form.is_bound and form.is_valid():
            try:
                rate_save(actor=request.user, quote_currency="PLN", **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Rate saved."))
                return redirect("rates")
        elif upload.is_bound and upload.is_valid():
            try:
                result = rates_import(
                    actor=request.user, content=upload.cleaned_data["file"].read()
                )
            except ValidationError as error:
                upload.add_error("file", error)
            else:
                if result.errors:
                    for error in result.errors[:20]:
                        upload.add_error("file", error)
                else:
                    messages.success(
                        request, _("%(count)s rates imported.") % {"count": result.saved}
                    )
                    return redirect("rates")
    shown = ExchangeRate.objects.select_related("entered_by").order_by("-day", "currency")
    return render(
        request,
        "core/rates.html",
        {
            "rates": shown[:SHOWN_RATES],
            "form": form,
            "upload": upload,
            "may_enter": may_enter,
            "reporting_currency": reporting_currency(),
        },
    )
