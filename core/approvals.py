"""The approval loop's hook: an app whose records wait for someone's approval (offers today;
credit overrides, plan changes and disputes later) announces each step with `approval_announce`;
whoever tells people about it (activities' notifications) listens to `approval_event`. The
announcing app never imports the listener, so the layers hold.

The signal is sent inside the announcing service's transaction: the notification is written
with the change it reports, or not at all.
"""

from dataclasses import dataclass

from django.dispatch import Signal

approval_event = Signal()


@dataclass(frozen=True)
class ApprovalEvent:
    """One step of an approval (submitted, approved, sent back) and whom to tell."""

    kind: str  # e.g. "offer_submitted"
    change_type: str  # what the step is recorded as, e.g. "offer_change"
    change_id: int  # that record's id: a step announced twice is told once
    recipient_ids: tuple[int, ...]
    title: str
    body: str
    url: str


def approval_announce(event: ApprovalEvent) -> None:
    approval_event.send(sender=ApprovalEvent, event=event)
