"""Number limits said in plain words: "at most 999,999,999,999.99", not "no more than 14
digits in total", on every form, model and API decimal field.

`install_plain_number_messages` (CoreConfig.ready) puts it in place once, as the date window
is (core/dates.py): Django's model and form decimal fields build their `DecimalValidator`
from `django.core.validators` when they are created, and DRF's decimal field checks the
digits in `validate_precision`, which DRF documents as the method to override.
"""

from decimal import Decimal

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DIGIT_CODES = ("max_digits", "max_whole_digits")


def largest_decimal(max_digits: int, decimal_places: int) -> Decimal:
    """The largest number with `max_digits` digits, `decimal_places` of them after the point."""
    whole = max(max_digits - decimal_places, 0)
    return Decimal(
        f"{'9' * whole or '0'}.{'9' * decimal_places}" if decimal_places else "9" * whole
    )


def decimal_limit_message(code: str, *, max_digits: int | None, decimal_places: int | None) -> str:
    """What to tell a person whose number broke the limit `code` of a decimal field."""
    if code in DIGIT_CODES and max_digits is not None:
        largest = largest_decimal(max_digits, decimal_places or 0)
        return _("Enter a number of at most %(largest)s.") % {
            "largest": number_format(largest, decimal_places or 0, force_grouping=True)
        }
    if code == "max_decimal_places":
        if not decimal_places:
            return _("Enter a whole number, without decimals.")
        return _("Use at most %(places)d digits after the decimal point.") % {
            "places": decimal_places
        }
    return _("Enter a number.")


class PlainDecimalValidator(validators.DecimalValidator):
    """Django's, with its messages in plain words."""

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            message = decimal_limit_message(
                error.code, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
            raise ValidationError(message, code=error.code, params={"value": value}) from None


def _drf_validate_precision(original):
    def validate_precision(self, value):
        from rest_framework.exceptions import ValidationError as APIValidationError

        try:
            return original(self, value)
        except APIValidationError as error:
            codes = error.get_codes()
            code = codes[0] if isinstance(codes, list) and codes else "invalid"
            message = decimal_limit_message(
                code, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
            raise APIValidationError(message, code=code) from None

    validate_precision.plain_messages = True
    return validate_precision


def install_plain_number_messages() -> None:
    from rest_framework import serializers

    validators.DecimalValidator = PlainDecimalValidator
    field = serializers.DecimalField
    if not getattr(field.validate_precision, "plain_messages", False):
        field.validate_precision = _drf_validate_precision(field.validate_precision)
    # DRF's own words for a number typed too long to read ("String value too large").
    for number_field in (serializers.DecimalField, serializers.IntegerField):
        number_field.default_error_messages = {
            **number_field.default_error_messages,
            "max_string_length": gettext_lazy("That number is too long; enter a shorter one."),
        }
