"""Who may see and change what: the rule, by role, in one place.

Scope by role:
- KAM: the accounts they own, read and write.
- Sales director: the accounts of their territory, read and write; may reassign them.
- Finance: every account, read-only, without private dossier notes or personal notes.
- Admin: everything.

Everything under an account (contacts, deals, offers, contracts, orders, activities, ...)
follows its account's scope: every account-scoped model's `objects.visible_to(user)`,
`.editable_by(user)` and `.get_for_user(user, pk, write=)` (core/access.py) apply
`account_scope` through the model's path to its account; `TeamConfig.ready` registers it.
Exceptions live in each app's `access.py` (activities: a KAM also sees the tasks assigned to
them; deals: who approves an offer). A record outside the user's scope is a 404 (we do not
confirm it exists); a record the user may see but not change is a 403.

The predicates (`account_can_edit`, `is_sales`, ...) cost no queries once the user and the
account are loaded, so list pages can call them per row. This module imports no other app.
"""

from django.db.models import Model, Q, QuerySet

from .models import Role, User

NOTHING = Q(pk__in=[])


def account_scope(user: User, path: str = "", *, write: bool = False) -> Q:
    """The rows under accounts that `user` may see (or change, with `write`).

    `path` leads from the row to its account, e.g. "from_contact__account".
    """
    field = f"{path}__" if path else ""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_admin_role:
        return Q()
    if user.is_finance:
        return NOTHING if write else Q()
    if user.is_director:
        return Q(**{f"{field}territory_id": user.territory_id})
    if user.is_kam:
        return Q(**{f"{field}owner_id": user.pk})
    return NOTHING


def is_sales(user: User) -> bool:
    """The sales team (KAMs, directors, admins): they see what is private to sales, such as
    dossier notes, contacts' personal notes and activities; finance does not."""
    return user.is_authenticated and user.role in {Role.KAM, Role.DIRECTOR, Role.ADMIN}


def can_create_account(user: User) -> bool:
    return is_sales(user)


def can_create_deal_records(user: User) -> bool:
    """Deals, offers, contracts, orders and complaints are made by the sales side."""
    return is_sales(user)


def account_can_edit(user: User, account: Model) -> bool:
    if user.is_admin_role:
        return True
    if user.is_director:
        return account.territory_id == user.territory_id
    if user.is_kam:
        return account.owner_id == user.pk
    return False


def account_can_reassign(user: User, account: Model) -> bool:
    """Moving an account to another KAM is the director's call (or an admin's)."""
    return user.is_admin_role or (user.is_director and account_can_edit(user, account))


def account_can_delete(user: User, account: Model) -> bool:
    """A KAM marks a client lost; deleting the record is for the director or an admin."""
    return account_can_reassign(user, account)


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


def owners_visible_to(user: User) -> QuerySet[User]:
    """The KAMs whose accounts `user` may see (to filter lists by owner)."""
    if user.is_finance:
        return User.objects.filter(role=Role.KAM).select_related("territory")
    return owners_assignable_by(user)
