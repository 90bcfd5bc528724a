"""Writes to users' own settings and saved views."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import ReminderDelivery, SavedView, User
from .selectors import saved_view_may_share
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
