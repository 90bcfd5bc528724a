"""Writes to users' own settings (preferences, API token)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

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


def api_token_create(*, user: User) -> str:
    """A new API token for `user`, replacing any they had (the old one stops working at
    once). Returns the key: the page shows it once, so the user copies it then."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def api_token_revoke(*, user: User) -> bool:
    """Revoke `user`'s API token; whether they had one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_created_on(*, user: User):
    """When `user`'s current API token was made, or None if they have none."""
    return Token.objects.filter(user=user).values_list("created", flat=True).first()
