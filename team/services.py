"""Writes to users' own settings."""

from django.core.exceptions import ValidationError

from .models import ReminderDelivery, User
from .timezones import zone_get


def user_preferences_update(*, user: User, time_zone: str, reminder_delivery: str) -> User:
    """A user's own time zone and how they want reminders delivered."""
    if zone_get(time_zone) is None:
        raise ValidationError({"time_zone": f"{time_zone!r} is not a known time zone."})
    if reminder_delivery not in ReminderDelivery.values:
        raise ValidationError({"reminder_delivery": "Choose how reminders reach you."})
    user.time_zone = time_zone
    user.reminder_delivery = reminder_delivery
    user.save(update_fields=["time_zone", "reminder_delivery"])
    return user
