"""What each kind of notification is called on the notifications page: the reminders (this
app's and deals') and the approval steps that deals announces (core/approvals.py)."""

from django.utils.translation import gettext_lazy as _

from deals.reminders import CONTRACT_ENDING, OFFER_EXPIRING
from deals.services import OFFER_APPROVED, OFFER_REJECTED, OFFER_SUBMITTED

from .reminders import (
    ACCOUNT_PAST_CADENCE,
    ACTIVITY_TOMORROW,
    CONTACT_BIRTHDAY,
    FOLLOW_UP_DUE,
    TASK_ASSIGNED,
)

KIND_LABELS = {
    OFFER_SUBMITTED: _("Offers to approve"),
    OFFER_APPROVED: _("Offers approved"),
    OFFER_REJECTED: _("Offers sent back"),
    TASK_ASSIGNED: _("Tasks assigned to you"),
    ACTIVITY_TOMORROW: _("Tomorrow's activities"),
    FOLLOW_UP_DUE: _("Follow-ups due"),
    ACCOUNT_PAST_CADENCE: _("Accounts past their cadence"),
    CONTACT_BIRTHDAY: _("Birthdays"),
    OFFER_EXPIRING: _("Offers running out"),
    CONTRACT_ENDING: _("Contracts ending"),
}
