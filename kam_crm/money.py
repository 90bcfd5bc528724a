"""Money: the one place amounts are rounded.

Amounts are `Decimal` with a three-letter ISO 4217 currency code. Every computed amount
(an offer line's net price and total, a return's value, a weighted pipeline) passes through
`money_round` once, half up to the currency's minor unit, so the same input always gives the
same cents on every page, in the API and in exports.
"""

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_CURRENCY = "PLN"
CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CZK", "CHF"]
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]

# ISO 4217 minor units of the currencies that have other than two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "HUF": 2, "BHD": 3, "KWD": 3}


def money_round(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """`amount` rounded half up to the minor unit of `currency` (cents for PLN, EUR, ...)."""
    places = _MINOR_UNITS.get(currency, 2)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
