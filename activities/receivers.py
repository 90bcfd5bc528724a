"""What activities does when a lower app announces something (hooks, not imports upward)."""

from kam_crm.approvals import ApprovalEvent

from . import services


def approval_notify(sender, *, event: ApprovalEvent, **kwargs) -> None:
    """A step of an approval loop becomes a notification for the people it concerns."""
    services.approval_notifications_create(event=event)
