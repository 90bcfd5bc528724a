"""Exchange rates: the one table of core, so deals, receivables and dashboards can all convert.

A rate says what one unit of `currency` cost in `quote_currency` on `day` (NBP table A: 1 EUR =
4.2655 PLN). Finance enters rates on the rates page or in the admin, or imports a CSV such as
the NBP table A the company downloads itself. Conversion is in `core.money.convert`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .money import CURRENCY_CHOICES, validate_currency


class ExchangeRate(models.Model):
    day = models.DateField(_("day"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, validators=[validate_currency]
    )
    quote_currency = models.CharField(
        _("in currency"),
        max_length=3,
        default="PLN",
        choices=CURRENCY_CHOICES,
        validators=[validate_currency],
        help_text=_("What one unit of the currency costs in this one."),
    )
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=6, validators=[MinValueValidator(0.000001)]
    )
    source = models.CharField(
        _("source"), max_length=60, blank=True, help_text=_("E.g. NBP table A 232/A/NBP/2026.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-day", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "currency", "quote_currency"], name="core_rate_one_per_day"
            ),
            models.CheckConstraint(name="core_rate_positive", condition=models.Q(rate__gt=0)),
            models.CheckConstraint(
                name="core_rate_two_currencies",
                condition=~models.Q(currency=models.F("quote_currency")),
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.quote_currency} ({self.day})"
