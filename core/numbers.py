"""Numbers and money as the user's language writes them, in one place.

Shown: `format_money(amount, currency)` with Babel's CLDR data ("1 234 567,89 zł" in Polish,
"PLN 1,234,567.89" in English), used by the `money` template filter (core/templatetags/
formatting.py) and `includes/money_totals.html`. Read: every form `DecimalField` accepts what
the user's language writes (a decimal comma in Polish, spaces between thousands) and refuses a
number that could be read two ways ("1.234,5" or "1,234" in English, "1.234" in Polish) with a
message, instead of guessing. Exports keep machine numbers (core/exports.py).
"""

import functools
import re
from decimal import Decimal

from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .money import money_round

_LOCALES = {"pl": "pl_PL", "en": "en_GB"}


def babel_locale(language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    return _LOCALES.get(language, "en_GB")


def format_money(amount, currency: str, *, places: int | None = None, language=None) -> str:
    """`amount` in `currency` written the user's way, rounded to the currency's minor unit
    (or to `places`)."""
    if amount is None or amount == "":
        return ""
    value = money_round(Decimal(amount), currency)
    locale = babel_locale(language)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format_currency(
        value,
        currency,
        locale=locale,
        format=_pattern(locale, "0" * places) if places is not None else _pattern(locale, None),
        currency_digits=places is None,
    )


@functools.cache
def _pattern(locale: str, digits: str | None) -> NumberPattern:
    """The locale's currency pattern, parsed once (a board or dashboard writes dozens of
    amounts); English names the currency by its code ("PLN 1,234.50", "EUR 80.00"), as an
    invoice does, Polish by its sign ("1 234,50 zł")."""
    from babel import Locale

    if locale.startswith("en"):
        pattern = "¤¤\u00a0#,##0.00"
    else:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    if digits is not None:
        decimals = f".{digits}" if digits else ""
        pattern = re.sub(r"[#,0]+(\.0+)?", "#,##0" + decimals, pattern, count=1)
    return parse_pattern(pattern)


def format_number(value, places: int = 2, language=None) -> str:
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    return format_decimal(
        Decimal(value).quantize(quantum), locale=babel_locale(language), format=_plain(places)
    )


@functools.cache
def _plain(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + (("." + "0" * places) if places else ""))


def decimal_comma(language: str | None = None) -> bool:
    return (language or translation.get_language() or "en").split("-")[0] == "pl"


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(text: str, language: str | None = None) -> str:
    """The text of a number as the user's language writes it, as "1234.5" for Decimal; raises
    ValidationError when it could be read two ways."""
    text = _SPACES.sub("", str(text).strip())
    if not text:
        return text
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:]
    if decimal_comma(language):
        if "." in text and "," in text:
            raise _ambiguous(text, language)
        if "." in text:
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # 1.234: thousands, or 1,234?
                raise _ambiguous(text, language)
            return sign + text
        return sign + text.replace(",", ".")
    if "," in text:
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,234,567.89
            return sign + text.replace(",", "")
        raise _ambiguous(text, language)
    return sign + text


def _ambiguous(text: str, language) -> ValidationError:
    if decimal_comma(language):
        message = _(
            "“%(value)s” could be read two ways: write it with a decimal comma and no dots, "
            "e.g. 1234,50."
        )
    else:
        message = _(
            "“%(value)s” could be read two ways: write it with a decimal point, e.g. 1234.50 "
            "(commas only between thousands)."
        )
    return ValidationError(message, code="ambiguous_number", params={"value": text})


def install_decimal_input() -> None:
    """Every form DecimalField (declared by hand or made from a model field) shows its value
    and reads input in the user's language: a text box with a decimal keyboard, not a browser
    number box that drops "12,5"."""
    if getattr(forms.DecimalField, "_kam_localized", False):
        return
    original_init = forms.DecimalField.__init__
    original_to_python = forms.DecimalField.to_python

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        original_init(self, *args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        if self.max_digits is not None:  # for app.js to warn while the limit is typed past
            self.widget.attrs.setdefault("data-max-digits", self.max_digits)
            self.widget.attrs.setdefault("data-decimal-places", self.decimal_places or 0)

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_number(value)
        return original_to_python(self, value)

    forms.DecimalField.__init__ = __init__
    forms.DecimalField.to_python = to_python
    forms.DecimalField._kam_localized = True
