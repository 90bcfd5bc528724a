"""Commissions' exceptions to the access rule (team/access.py).

Plans, fulfilment and ABC:
- A KAM sees their own plan and fulfilment, never changes a plan.
- A sales director sees and sets the plans of the KAMs of their territory.
- Finance reads everyone's plans and fulfilment.
- An admin sees and sets all (picking the territory in the grid).
Accounts (the ABC classes, drill-down) follow the account scope. A KAM outside the user's
scope is a 404; a plan the user may read but not change is a 403.

Statements, entries and disputes belong to a KAM, not to an account: a KAM sees their own, a
director those of their territory's KAMs, finance and admins all. Only finance (and admins)
calculate, close and pay periods, add adjustments and resolve disputes; only an admin reopens
a closed period; only the KAM a line is for disputes it. Schemes are read by everyone who signs
in. Outside scope is a 404. The predicates cost no queries once the user is loaded.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from team import access
from team.access import NOTHING
from team.models import Role, User

from .models import CommissionEntry, Dispute, Statement


def kams_visible_to(user: User) -> QuerySet[User]:
    """The KAMs whose plans and fulfilment `user` may read."""
    kams = User.objects.filter(role=Role.KAM).select_related("territory")
    if not user.is_authenticated or not user.is_active:
        return kams.none()
    if user.is_admin_role or user.is_finance:
        return kams
    if user.is_director:
        return kams.filter(territory_id=user.territory_id)
    if user.is_kam:
        return kams.filter(pk=user.pk)
    return kams.none()


def can_plan(user: User) -> bool:
    """Directors set their KAMs' plans; admins anyone's."""
    return user.is_authenticated and (user.is_director or user.is_admin_role)


def kams_plannable_by(user: User) -> QuerySet[User]:
    return kams_visible_to(user) if can_plan(user) else User.objects.none()


def can_plan_kam(user: User, kam: User) -> bool:
    """Zero queries: the rule on the loaded users."""
    if user.is_admin_role:
        return True
    return user.is_director and kam.territory_id == user.territory_id


def kam_get_for_user(user: User, pk: int, *, write: bool = False) -> User:
    """The KAM `pk` if `user` may read their plan (404 otherwise; 403 if `write` and only
    reading is allowed)."""
    kam = kams_visible_to(user).filter(pk=pk).first()
    if kam is None:
        raise Http404("No such KAM.")
    if write and not can_plan_kam(user, kam):
        raise PermissionDenied("Only the director of their territory sets a KAM's plan.")
    return kam


def kam_for_planning(user: User, pk: int) -> User:
    """The KAM `pk` whose plan `user` is about to set: a person who is not a KAM is refused
    with a message (a plan is for KAMs), a KAM out of scope is a 404, a read-only one a 403."""
    if user.is_authenticated and User.objects.filter(pk=pk).exclude(role=Role.KAM).exists():
        raise ValidationError({"kam": _("This person is not a KAM: plans are set for KAMs only.")})
    return kam_get_for_user(user, pk, write=True)


def can_run_abc(user: User) -> bool:
    return user.is_authenticated and user.is_admin_role


def can_see_abc(user: User) -> bool:
    """The ABC page: everyone reads the classes of the accounts they see; concentration is for
    directors (their territory), finance and admins (the company)."""
    return user.is_authenticated and user.role in set(Role.values)


def can_see_concentration(user: User) -> bool:
    return user.is_authenticated and (user.is_director or user.is_finance or user.is_admin_role)


def can_override_tier(user: User, account) -> bool:
    """The director of the account's territory or an admin sets a tier by hand (accounts' rule
    for changing a tier)."""
    return access.account_can_reassign(user, account)


def check_can_override_tier(user: User, account) -> None:
    if not can_override_tier(user, account):
        raise PermissionDenied("Only a director or an admin sets an account's tier by hand.")


def kam_scope(user, path: str = "kam") -> Q:
    """The rows (reaching their KAM by `path`) that `user` may see."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_admin_role or user.is_finance:
        return Q()
    if user.is_director:
        return Q(**{f"{path}__territory_id": user.territory_id})
    if user.is_kam:
        return Q(**{f"{path}_id": user.pk})
    return NOTHING


def statements_visible(user) -> QuerySet[Statement]:
    return Statement.objects.filter(kam_scope(user))


def entries_visible(user) -> QuerySet[CommissionEntry]:
    return CommissionEntry.objects.filter(kam_scope(user))


def disputes_visible(user) -> QuerySet[Dispute]:
    return Dispute.objects.filter(kam_scope(user, "entry__kam"))


def get_visible(queryset: QuerySet, pk):
    """The row `pk` of an already scoped queryset, or 404 (also for a pk that is no id)."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Not found.")) from None


def can_run_periods(user) -> bool:
    return user.is_authenticated and (user.is_finance or user.is_admin_role)


def check_can_run_periods(user) -> None:
    if not can_run_periods(user):
        raise PermissionDenied(_("Only finance calculates, closes and corrects commissions."))


def can_resolve(user) -> bool:
    return can_run_periods(user)


def check_can_resolve(user) -> None:
    if not can_resolve(user):
        raise PermissionDenied(_("Only finance resolves disputes."))


def can_reopen(user) -> bool:
    return user.is_authenticated and user.is_admin_role


def can_dispute(user, entry) -> bool:
    return user.is_authenticated and user.is_kam and entry.kam_id == user.pk


def can_see_periods(user) -> bool:
    """The periods page (calculate, close, export) is finance's; others reach statements."""
    return can_run_periods(user)
