"""Money: amounts in a currency, rounded in one place, never added across currencies.

Amounts are `Decimal` with a three-letter ISO 4217 currency code. Every computed amount
(an offer line's net price and total, a return's value, a weighted pipeline) passes through
`money_round` once, half up to the currency's minor unit, so the same input always gives the
same cents on every page, in the API and in exports. Totals are per currency:
`sum_by_currency` for a queryset, `Money` (which refuses to add two currencies, like Oscar's
`Price`) in Python.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Expression, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

DEFAULT_CURRENCY: str = getattr(settings, "DEFAULT_CURRENCY", "PLN")
CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CZK", "CHF"]
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]

validate_currency = RegexValidator(
    r"^[A-Z]{3}$", gettext_lazy("Use a three-letter ISO 4217 code, e.g. PLN.")
)

# Field options of every stored amount and percentage: `DecimalField(**MONEY)`.
MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}

# ISO 4217 minor units of the currencies that have other than two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "HUF": 2, "BHD": 3, "KWD": 3}


def money_round(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """`amount` rounded half up to the minor unit of `currency` (cents for PLN, EUR, ...)."""
    places = _MINOR_UNITS.get(currency, 2)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were to be added or compared."""


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency. `+`, `-` and `sum()` refuse to mix currencies."""

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self):
        object.__setattr__(self, "amount", Decimal(self.amount))

    def _same(self, other: "Money") -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} and {other.currency}.")

    def __add__(self, other):
        if other == 0:  # sum() starts from 0
            return self
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    __radd__ = __add__

    def __sub__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self):
        return Money(-self.amount, self.currency)

    def __lt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def rounded(self) -> "Money":
        return Money(money_round(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{money_round(self.amount, self.currency):,} {self.currency}"


def sum_by_currency(
    queryset: QuerySet, *, amount: str | Expression, currency: str = "currency"
) -> dict[str, Decimal]:
    """Totals of `amount` (a field path or an expression) per currency, in one grouped query.

    `{"PLN": Decimal("1200.00"), "EUR": Decimal("300.00")}`, ordered by currency; currencies
    without rows are absent, so an empty queryset gives `{}`.
    """
    rows = (
        queryset.order_by()
        .values(currency)
        .annotate(total=Sum(amount))
        .order_by(currency)
        .values_list(currency, "total")
    )
    return {code: money_round(total, code) for code, total in rows if total is not None}


def money_totals(amounts: Iterable[Money]) -> dict[str, Decimal]:
    """Amounts added per currency, for figures computed in Python."""
    totals: dict[str, Decimal] = {}
    for money in amounts:
        totals[money.currency] = totals.get(money.currency, Decimal(0)) + money.amount
    return {code: money_round(total, code) for code, total in sorted(totals.items())}


# Exchange rates ---------------------------------------------------------------------------

# A rate is looked for on the document's date, else on the last day before it that has one
# (NBP publishes on working days only), but never further back than this: an older rate is
# "missing", and the figure says so rather than guess.
RATE_LOOKBACK_DAYS = 7


def reporting_currency() -> str:
    return getattr(settings, "REPORTING_CURRENCY", DEFAULT_CURRENCY)


@dataclass(frozen=True, slots=True)
class RateUsed:
    currency: str
    quote_currency: str
    rate: Decimal  # 1 currency = rate quote_currency
    day: date


@dataclass(frozen=True, slots=True)
class Converted:
    """A figure in one currency, with the rates it was made with, or the currencies that had
    no rate (then `amount` is None: the figure cannot be given)."""

    amount: Decimal | None
    currency: str
    on: date
    rates: tuple[RateUsed, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.amount is not None


def _rates(currencies: Iterable[str], to: str, on: date) -> dict[str, RateUsed]:
    """The rate of each currency into `to` on `on` (or the last day before, within the
    lookback), direct or inverted; one query."""
    from .models import ExchangeRate

    wanted = set(currencies) - {to}
    if not wanted:
        return {}
    rows = (
        ExchangeRate.objects.filter(day__lte=on, day__gt=on - timedelta(days=RATE_LOOKBACK_DAYS))
        .filter(
            Q(currency__in=wanted, quote_currency=to) | Q(currency=to, quote_currency__in=wanted)
        )
        .order_by("-day")
        .values_list("currency", "quote_currency", "rate", "day")
    )
    found: dict[str, RateUsed] = {}
    for currency, quote, rate, day in rows:
        if currency == to:  # 1 to = rate quote, so 1 quote = 1/rate to
            code, value = quote, (Decimal(1) / rate)
        else:
            code, value = currency, rate
        if code not in found or day > found[code].day:
            found[code] = RateUsed(code, to, value, day)
    return found


def rate_to_reporting(currency: str, *, on: date) -> RateUsed | None:
    """The rate a document in `currency` dated `on` is converted into the reporting currency
    with (1 for the reporting currency itself), or None when the table has none: the document
    freezes it, as it freezes its prices, so a rate corrected later never moves its figure."""
    to = reporting_currency()
    if currency == to:
        return RateUsed(currency, to, Decimal(1), on)
    return _rates([currency], to, on).get(currency)


def reporting_rate_fields() -> tuple[models.DecimalField, models.DateField]:
    """A document's rate into the reporting currency and its day, frozen when the document is
    made (`freeze_reporting_rate`): one figure over several currencies converts each document
    at the rate it was made with. Empty while the rate table had no rate for its date."""
    return (
        models.DecimalField(
            gettext_lazy("rate to the reporting currency"),
            max_digits=18,
            decimal_places=8,
            null=True,
            blank=True,
            editable=False,
        ),
        models.DateField(gettext_lazy("date of that rate"), null=True, blank=True, editable=False),
    )


def freeze_reporting_rate(document, *, on: date) -> None:
    """Keep on `document` (with `currency` and `reporting_rate_fields`) the rate of `on`."""
    used = rate_to_reporting(document.currency, on=on)
    if used is not None:
        document.reporting_rate, document.reporting_rate_day = used.rate, used.day


def reporting_rates_fill(
    *, rates: Iterable[tuple[str, str, date]], documents: Iterable[tuple[QuerySet, str]]
) -> int:
    """Documents made while the table had no rate into the reporting currency for their date
    take the one entered or imported now (`rates`: currency, quote currency, day).
    `documents`: each kind's queryset and the lookup of its date ("issue_date",
    "created_at__date"). A frozen rate is never changed. Returns how many were filled."""
    to = reporting_currency()
    spans: dict[str, tuple[date, date]] = {}
    for currency, quote, day in rates:
        code = currency if quote == to else quote if currency == to else None
        if code is None:
            continue
        first, last = spans.get(code, (day, day))
        spans[code] = (min(first, day), max(last, day))
    filled = 0
    for queryset, day_lookup in documents:
        for code, (first, last) in spans.items():
            # A rate serves the documents of its day and of the lookback days after it.
            waiting = queryset.filter(
                currency=code,
                reporting_rate__isnull=True,
                **{
                    f"{day_lookup}__gte": first,
                    f"{day_lookup}__lt": last + timedelta(days=RATE_LOOKBACK_DAYS),
                },
            )
            for made in waiting.values_list(day_lookup, flat=True).distinct().order_by():
                used = rate_to_reporting(code, on=made)
                if used is not None:
                    filled += waiting.filter(**{day_lookup: made}).update(
                        reporting_rate=used.rate, reporting_rate_day=used.day
                    )
    return filled


def convert(amount: Decimal, currency: str, *, on: date, to: str | None = None) -> Converted:
    """`amount` in `currency` converted into `to` (the reporting currency) at the rate of the
    document's date `on`, rounded once; the rate used comes with it."""
    return convert_totals({currency: amount}, on=on, to=to)


def convert_totals(totals: dict[str, Decimal], *, on: date, to: str | None = None) -> Converted:
    """Per-currency totals (`sum_by_currency`, `money_totals`) as one figure in `to`, every
    currency at its rate on `on`. A currency without a rate makes the figure missing."""
    to = to or reporting_currency()
    rates = _rates(totals.keys(), to, on)
    missing = tuple(sorted(code for code in totals if code != to and code not in rates))
    used = tuple(rates[code] for code in sorted(rates))
    if missing:
        return Converted(None, to, on, used, missing)
    total = sum(
        (amount * (rates[code].rate if code != to else 1) for code, amount in totals.items()),
        Decimal(0),
    )
    return Converted(money_round(total, to), to, on, used)
