"""The columns of the activity log's export (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

ACTIVITY_COLUMNS = [
    Column(_("ID"), "pk"),
    Column(_("Starts"), "starts_at"),
    Column(_("Minutes"), "duration_minutes"),
    Column(_("Type"), lambda a: a.get_type_display()),
    Column(_("Account"), "account.name"),
    Column(_("Owner"), lambda a: str(a.owner)),
    Column(_("Status"), lambda a: a.get_status_display()),
    Column(_("Place"), "place"),
    Column(_("Purpose"), "purpose"),
    Column(_("Outcome"), "outcome"),
    Column(_("Next step"), "next_step"),
    Column(_("Next step due"), "next_step_due"),
]
