"""Who may see and change what: the one place that says it.

Every page, API endpoint, export and background task fetches accounts and everything under
them through these functions. A record outside the user's scope is a 404 (we do not confirm it
exists); a record the user may see but not change is a 403.

Scope by role:
- KAM: the accounts they own, read and write.
- Sales director: the accounts of their territory, read and write; may reassign them.
- Finance: every account, read-only, without private dossier notes or personal notes.
- Admin: everything.

Activities (visits, calls, tasks) follow their account, like dossier notes: private to sales, so
finance sees none. A KAM also sees the activities they own on other accounts (a task their
director assigned) and may change only their own; a director changes their territory's.
Notifications are their recipient's alone.

The predicates (`account_can_edit`, ...) cost no queries once the user and the account are
loaded, so list pages can call them per row.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account, Contact, ContactRelation, DossierNote
from activities.models import Activity, Notification

from .models import Role, User

_NOTHING = Q(pk__in=[])


def _account_scope(user: User, path: str = "", *, write: bool = False) -> Q:
    """The rows under accounts that `user` may see (or change, with `write`).

    `path` leads from the row to its account, e.g. "from_contact__account".
    """
    field = f"{path}__" if path else ""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_admin_role:
        return Q()
    if user.is_finance:
        return _NOTHING if write else Q()
    if user.is_director:
        return Q(**{f"{field}territory_id": user.territory_id})
    if user.is_kam:
        return Q(**{f"{field}owner_id": user.pk})
    return _NOTHING


def can_see_private_notes(user: User) -> bool:
    """Dossier notes and contacts' personal notes are trade secrets finance does not need."""
    return user.is_authenticated and not user.is_finance


def can_create_account(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.KAM, Role.DIRECTOR, Role.ADMIN}


def account_can_edit(user: User, account: Account) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return account.territory_id == user.territory_id
    if user.is_kam:
        return account.owner_id == user.pk
    return False


def account_can_reassign(user: User, account: Account) -> bool:
    """Moving an account to another KAM is the director's call (or an admin's)."""
    return user.is_admin_role or (user.is_director and account_can_edit(user, account))


def account_can_delete(user: User, account: Account) -> bool:
    """A KAM marks a client lost; deleting the record is for the director or an admin."""
    return account_can_reassign(user, account)


def accounts_visible_to(user: User) -> QuerySet[Account]:
    return Account.objects.filter(_account_scope(user)).select_related("owner", "territory")


def accounts_editable_by(user: User) -> QuerySet[Account]:
    return Account.objects.filter(_account_scope(user, write=True))


def account_get_for_user(user: User, pk: int, *, write: bool = False) -> Account:
    account = _get_or_404(accounts_visible_to(user), pk)
    if write and not account_can_edit(user, account):
        raise PermissionDenied("You may view this account but not change it.")
    return account


def owners_assignable_by(user: User) -> QuerySet[User]:
    """The KAMs `user` may make the owner of an account."""
    kams = User.objects.filter(role=Role.KAM, is_active=True).select_related("territory")
    if user.is_admin_role:
        return kams
    if user.is_director:
        return kams.filter(territory_id=user.territory_id)
    if user.is_kam:
        return kams.filter(pk=user.pk)
    return kams.none()


def notes_visible_to(user: User) -> QuerySet[DossierNote]:
    scope = _account_scope(user, "account") if can_see_private_notes(user) else _NOTHING
    return DossierNote.objects.filter(scope).select_related("author", "account")


def note_get_for_user(user: User, pk: int, *, write: bool = False) -> DossierNote:
    return _get_child_or_404(notes_visible_to(user), pk, user=user, write=write)


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(_account_scope(user, "account")).select_related("account")


def contacts_editable_by(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(_account_scope(user, "account", write=True))


def contact_get_for_user(user: User, pk: int, *, write: bool = False) -> Contact:
    return _get_child_or_404(contacts_visible_to(user), pk, user=user, write=write)


def contact_relations_visible_to(user: User) -> QuerySet[ContactRelation]:
    return ContactRelation.objects.filter(
        _account_scope(user, "from_contact__account")
    ).select_related("from_contact__account", "to_contact")


def contact_relation_get_for_user(user: User, pk: int, *, write: bool = False) -> ContactRelation:
    relation = _get_or_404(contact_relations_visible_to(user), pk)
    if write and not account_can_edit(user, relation.from_contact.account):
        raise PermissionDenied("You may view this relation but not change it.")
    return relation


def activities_visible_to(user: User) -> QuerySet[Activity]:
    if not can_see_private_notes(user):
        scope = _NOTHING
    else:
        scope = _account_scope(user, "account")
        if user.is_kam:
            scope |= Q(owner_id=user.pk)
    return Activity.objects.filter(scope).select_related("account", "owner")


def activity_can_edit(user: User, activity: Activity) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return activity.account.territory_id == user.territory_id
    if user.is_kam:
        return activity.owner_id == user.pk
    return False


def activity_get_for_user(user: User, pk: int, *, write: bool = False) -> Activity:
    activity = _get_or_404(activities_visible_to(user), pk)
    if write and not activity_can_edit(user, activity):
        raise PermissionDenied("You may view this activity but not change it.")
    return activity


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


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_get_for_user(user: User, pk: int) -> Notification:
    return _get_or_404(notifications_visible_to(user), pk)


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from None


def _get_child_or_404(queryset: QuerySet, pk, *, user: User, write: bool):
    obj = _get_or_404(queryset, pk)
    if write and not account_can_edit(user, obj.account):
        raise PermissionDenied(f"You may view this {obj._meta.verbose_name} but not change it.")
    return obj
