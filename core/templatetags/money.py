"""`{{ amount|money:currency }}` and `{% money amount currency places %}`: money in the
user's language (core.numbers.format_money): "1 234 567,89 zł" / "PLN 1,234,567.89"."""

from django import template

from ..numbers import format_money

register = template.Library()


def _places(places) -> int | None:
    """floatformat's "2g" / "0g" / 2 as a number of decimals (None: the currency's)."""
    if places in (None, ""):
        return None
    return int(str(places).rstrip("gu") or 0)


@register.filter(name="money")
def money_filter(amount, currency):
    return format_money(amount, currency)


@register.simple_tag(name="money")
def money_tag(amount, currency, places=None):
    return format_money(amount, currency, places=_places(places))


@register.inclusion_tag("includes/converted_total.html")
def converted_total(converted):
    """A converted figure with the rates it was made with, or why it cannot be given."""
    return {"converted": converted}
