"""The "History" section of a page: who changed what and when, from django-simple-history."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

HISTORY_SHOWN = 20
# Bookkeeping that changes with every save: showing it would bury the real changes.
NOT_SHOWN = {"version", "updated_at"}
_KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class Change:
    field: str  # the field's verbose name
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # created / changed / deleted
    changes: list[Change]


def history_entries(*, instance: Model, limit: int = HISTORY_SHOWN) -> list[HistoryEntry]:
    """The latest `limit` versions of `instance`, newest first, each with what it changed.

    One query: the versions (one more than shown, to diff the oldest shown) with their users.
    Foreign keys are compared by id and shown as "changed", without a query per value.
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=NOT_SHOWN)
            changes = [_change(instance, c.field, c.old, c.new) for c in delta.changes]
        user = newer.history_user
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=str(user) if user else _("system"),
                kind=_KIND.get(newer.history_type, newer.history_type),
                changes=changes,
            )
        )
    return entries


def _change(instance: Model, name: str, old, new) -> Change:
    field = instance._meta.get_field(name)
    if field.is_relation:
        return Change(field=str(field.verbose_name), old="", new=_("changed"))
    return Change(field=str(field.verbose_name), old=_shown(field, old), new=_shown(field, new))


def _shown(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    # As the pages show them: in the user's time zone, to the minute, not "…56.27+00:00".
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return str(value)
