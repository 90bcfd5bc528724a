"""Writes to users' own settings (preferences, API token) and saved views."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import ReminderDelivery, SavedView, User
from .selectors import saved_view_may_share
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


def saved_view_save(
    *, user: User, list_key: str, name: str, query: str, shared: bool = False
) -> tuple[SavedView, bool]:
    """Name the filters and sort `query` of the list `list_key` for `user`; a name they already
    use on that list is replaced. Returns the view and whether it is new.

    Only a sales director may share a view with their team ("a director for their KAMs"); a
    KAM's views are their own.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > SavedView.NAME_MAX:
        raise ValidationError(
            {
                "name": _("A view's name may be at most %(limit)d characters long.")
                % {"limit": SavedView.NAME_MAX}
            }
        )
    if len(query) > SavedView.QUERY_MAX:
        raise ValidationError({"name": _("These filters are too long to save as a view.")})
    shared = bool(shared) and saved_view_may_share(user)
    try:
        with transaction.atomic():
            view, created = SavedView.objects.update_or_create(
                owner=user,
                list_key=list_key,
                name=name,
                defaults={"query": query, "shared": shared},
            )
    except IntegrityError:  # the same name saved at the same moment in another tab
        view = SavedView.objects.get(owner=user, list_key=list_key, name=name)
        view.query, view.shared = query, shared
        view.save(update_fields=["query", "shared"])
        created = False
    return view, created


def saved_view_delete(*, user: User, view: SavedView) -> None:
    """Delete one of the user's own views (another's shared view is not theirs to delete)."""
    if view.owner_id != user.pk:
        raise ValidationError(_("Only the person who saved a view may delete it."))
    view.delete()
