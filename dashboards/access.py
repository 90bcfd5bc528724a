"""Who sees which dashboard, and whose figures (the rule by role is team/access.py's; this
module only resolves the territory or KAM a dashboard is about).

- Cockpit: a director, for their own territory; an admin, for the territory they pick.
- KAM dashboard: a KAM, their own; a director, a KAM of their territory; an admin, any KAM.
- Finance dashboard: finance and admins (the money side, company-wide).
Anything else is a 404, so an edited URL confirms nothing.
"""

from django.http import Http404

from team.models import Role, Territory, User

from .selectors.common import Scope


def home_for(user: User) -> str:
    """The URL name of the dashboard `user` lands on after logging in."""
    if user.is_director or user.is_admin_role:
        return "dashboards:cockpit"
    if user.is_kam:
        return "dashboards:kam"
    if user.is_finance:
        return "dashboards:finance"
    return "accounts:list"


def _id(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value)
    if not text.isdigit():
        raise Http404("No such territory.")
    return int(text)


def cockpit_scope(user: User, territory_id=None) -> Scope:
    """The territory whose cockpit `user` sees: 404 for a territory not theirs."""
    wanted = _id(territory_id)
    if user.is_director:
        if user.territory_id is None or (wanted is not None and wanted != user.territory_id):
            raise Http404("No such territory.")
        territory = user.territory
    elif user.is_admin_role:
        territories = Territory.objects.order_by("name", "pk")
        territory = (
            territories.filter(pk=wanted).first() if wanted is not None else territories.first()
        )
        if territory is None:
            raise Http404("No such territory.")
    else:
        raise Http404("No cockpit for this role.")
    kams = list(
        User.objects.filter(role=Role.KAM, territory=territory, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
    )
    return Scope(user=user, territory=territory, kams=kams)


def kam_for(user: User, kam_id=None) -> User:
    """The KAM whose dashboard `user` sees: themselves, or (director, admin) one in scope."""
    wanted = _id(kam_id)
    if user.is_kam and wanted in (None, user.pk):
        return user
    if wanted is None or not (user.is_director or user.is_admin_role):
        raise Http404("No such KAM.")
    kams = User.objects.filter(role=Role.KAM, pk=wanted)
    if user.is_director:
        kams = kams.filter(territory_id=user.territory_id)
    kam = kams.first()
    if kam is None:
        raise Http404("No such KAM.")
    return kam


def can_see_finance(user: User) -> bool:
    return user.is_finance or user.is_admin_role
