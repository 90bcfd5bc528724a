"""Activities' exceptions to the access rule (team/access.py).

Activities (visits, calls, tasks) follow their account like dossier notes: private to sales,
so finance sees none. A KAM also sees the activities they own on other accounts (a task their
director assigned) and may change only their own; a director changes their territory's.
Notifications are their recipient's alone.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from core.access import AccountScopedQuerySet
from team.access import NOTHING, is_sales
from team.models import Role, User


class ActivityQuerySet(AccountScopedQuerySet):
    def visible_to(self, user):
        if not is_sales(user):
            return self.filter(NOTHING)
        scope = self._scope(user, write=False)
        if user.is_kam:
            scope |= Q(owner_id=user.pk)
        return self.filter(scope)

    def can_edit(self, user, activity) -> bool:
        return activity_can_edit(user, activity)


def activity_can_edit(user: User, activity) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return activity.account.territory_id == user.territory_id
    if user.is_kam:
        return activity.owner_id == user.pk
    return False


def activity_owners_for(user: User) -> QuerySet[User]:
    """Whose planner `user` may open and plan in: their own, or also their KAMs'."""
    if user.is_kam:
        return User.objects.filter(pk=user.pk)
    if user.is_director:
        return User.objects.filter(
            Q(role=Role.KAM, is_active=True, territory_id=user.territory_id) | Q(pk=user.pk)
        )
    if user.is_admin_role:
        return User.objects.filter(role=Role.KAM, is_active=True)
    return User.objects.none()


class NotificationQuerySet(QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def get_for_user(self, user, pk):
        try:
            return self.visible_to(user).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404("No such notification.") from None
