"""Receivables' exceptions to the access rule (team/access.py).

Everyone reads the money of the accounts they may see: a KAM their own, a director the
territory's, finance and admins all (the account scope, through each model's `account_path`).
Only finance and admins create or change invoices, credit notes, payments, allocations and
credit limits. The sales side of an account (its KAM, the director of its territory) and
finance log collection actions. A director of the territory or finance decides a credit
override, never the person who asked for it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.access import AccountScopedQuerySet, account_of
from team import access
from team.models import User


def can_manage_money(user: User) -> bool:
    return user.is_authenticated and (user.is_finance or user.is_admin_role)


def check_can_manage_money(user: User) -> None:
    if not can_manage_money(user):
        raise PermissionDenied(_("Only finance records invoices, payments and credit limits."))


def can_log_collection(user: User, account) -> bool:
    return can_manage_money(user) or access.account_can_edit(user, account)


def check_can_log_collection(user: User, account) -> None:
    if not can_log_collection(user, account):
        raise PermissionDenied(_("You may read this account's money but not log collection on it."))


def override_can_decide(user: User, override) -> bool:
    if override.requested_by_id == user.pk:
        return False
    if can_manage_money(user):
        return True
    return user.is_director and override.account.territory_id == user.territory_id


def proposal_can_make(user: User, account) -> bool:
    """A director proposes a credit limit for an account of their territory (admins too)."""
    if not user.is_authenticated:
        return False
    if user.is_admin_role:
        return True
    return user.is_director and account.territory_id == user.territory_id


class MoneyQuerySet(AccountScopedQuerySet):
    """Invoices, credit notes, payments, credit limits: read in the account's scope, changed
    only by finance and admins (a KAM's write is a 403, not the account rule's yes)."""

    def editable_by(self, user):
        return self.visible_to(user) if can_manage_money(user) else self.none()

    def can_edit(self, user, obj) -> bool:
        return can_manage_money(user)


class CollectionQuerySet(AccountScopedQuerySet):
    """Collection actions: the sales side of the account and finance log them."""

    def editable_by(self, user):
        return self.visible_to(user) if can_manage_money(user) else super().editable_by(user)

    def can_edit(self, user, obj) -> bool:
        return can_log_collection(user, account_of(obj))
