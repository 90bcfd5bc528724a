"""Who sees and does what with commissions (the exceptions to team/access.py's account rule).

Statements, entries and disputes belong to a KAM, not to an account: a KAM sees their own, a
director those of their territory's KAMs, finance and admins all. Only finance (and admins)
calculate, close and pay periods, add adjustments and resolve disputes; only an admin reopens
a closed period; only the KAM a line is for disputes it. Schemes are read by everyone who signs
in. Outside scope is a 404. The predicates cost no queries once the user is loaded.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from team.access import NOTHING

from .models import CommissionEntry, Dispute, Statement


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
