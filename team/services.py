"""Writes to users' own settings (preferences, API token)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import ReminderDelivery, User
from .timezones import zone_get


def user_preferences_update(
    *, user: User, time_zone: str, reminder_delivery: str, language: str | None = None
) -> User:
    """A user's own time zone, language and how they want reminders delivered."""
    if zone_get(time_zone) is None:
        raise ValidationError(
            {"time_zone": _("%(zone)r is not a known time zone.") % {"zone": time_zone}}
        )
    if reminder_delivery not in ReminderDelivery.values:
        raise ValidationError({"reminder_delivery": _("Choose how reminders reach you.")})
    fields = ["time_zone", "reminder_delivery"]
    if language:  # left out: unchanged
        if language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": _("Choose Polski or English.")})
        user.language = language
        fields.append("language")
    user.time_zone = time_zone
    user.reminder_delivery = reminder_delivery
    user.save(update_fields=fields)
    return user


def api_token_create(*, user: User) -> str:
    """A new API token for `user`, replacing any they had (the old one stops working at
    once). Returns the key: the page shows it once, so the user copies it then."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def api_token_revoke(*, user: User) -> bool:
    """Revoke `user`'s API token; whether they had one."""
    deleted, _per_model = Token.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_created_on(*, user: User):
    """When `user`'s current API token was made, or None if they have none."""
    return Token.objects.filter(user=user).values_list("created", flat=True).first()


def user_language_default(*, user: User, language: str) -> None:
    """On first sign-in a user who never chose a language keeps the browser's."""
    if not user.language and language in dict(settings.LANGUAGES):
        user.language = language
        user.save(update_fields=["language"])
