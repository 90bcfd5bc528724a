"""Activities' answers to lower apps' signals (core/signals.py); connected in
ActivitiesConfig.ready."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalEvent, approval_event
from core.signals import HandedOver, account_handed_over

from . import services
from .models import Activity, ActivityStatus


@receiver(account_handed_over, dispatch_uid="activities_planned_work_follows_the_account")
def planned_work_follows_the_account(*, account, from_user_id, to_user_id, actor, **kwargs):
    """The new owner takes over planned (and missed) visits and calls, so the calendar
    follows the account. Done work stays with whoever did it, and so do tasks a director
    assigned to someone."""
    count = Activity.objects.filter(
        account=account,
        owner_id=from_user_id,
        assigned_by__isnull=True,
        status__in=[ActivityStatus.PLANNED, ActivityStatus.MISSED],
    ).update(owner_id=to_user_id)
    return HandedOver(what=_("planned activities"), count=count)


@receiver(approval_event, dispatch_uid="activities_approval_steps_become_notifications")
def approval_notify(sender, *, event: ApprovalEvent, **kwargs) -> None:
    """A step of an approval loop (core/approvals.py) becomes a notification for the people it
    concerns, in the announcing service's transaction."""
    services.approval_notifications_create(event=event)
