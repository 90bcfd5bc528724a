"""`{{ record|label:"status" }}`: what `record.get_status_display` shows, from a table of the
field's choices made once per language instead of at every call (Django's `get_FOO_display`
builds a dict of every choice, translating each label, on each call: a page listing twenty
activities with their type and status spent a fifth of its timeline there)."""

from functools import lru_cache

from django import template
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=512)
def _choices(field, language: str | None) -> dict:
    """The field's choices with their labels in `language` (labels of other types kept)."""
    return {
        value: force_str(label, strings_only=True)
        for value, label in make_hashable(field.flatchoices)
    }


@register.filter
def label(record, field_name: str):
    field = record._meta.get_field(field_name)
    value = getattr(record, field.attname)
    return _choices(field, get_language()).get(make_hashable(value), value)
