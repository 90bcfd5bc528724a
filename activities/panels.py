"""Activities' section of the account page, the timeline (core/panels.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.panels import BOTTOM, Panel

from .forms import ActivityLogForm
from .selectors import TimelineQuery, account_activity


def account_panels(request, account):
    activity = account_activity(
        user=request.user,
        account=account,
        zone=timezone.get_current_timezone(),
        query=TimelineQuery.from_params(request.GET),
    )
    if not activity.visible:
        return
    log_form = ActivityLogForm(account=account, user=request.user) if activity.can_log else None
    yield Panel(
        title=_("Timeline"),
        template="activities/partials/account_activity.html",
        context={"activity": activity, "log_form": log_form},
        order=10,
        slot=BOTTOM,
        anchor="timeline",
    )
