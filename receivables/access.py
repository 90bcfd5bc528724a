"""Receivables' exceptions to the account scope (team.access).

Everyone reads the money of the accounts they may see: a KAM their own, a director the
territory's, finance and admins all. Only finance and admins create or change invoices, credit
notes, payments, allocations and credit limits. The sales side of an account (its KAM, the
director of its territory) and finance log collection actions; a director or finance decides a
credit override, never the person who asked for it.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Account
from team import access
from team.models import User

from .models import CreditOverride


def can_manage_money(user: User) -> bool:
    return user.is_authenticated and (user.is_finance or user.is_admin_role)


def check_can_manage_money(user: User) -> None:
    if not can_manage_money(user):
        raise PermissionDenied("Only finance records invoices, payments and credit limits.")


def can_log_collection(user: User, account: Account) -> bool:
    return can_manage_money(user) or access.account_can_edit(user, account)


def check_can_log_collection(user: User, account: Account) -> None:
    if not can_log_collection(user, account):
        raise PermissionDenied("You may read this account's money but not log collection on it.")


def can_propose_credit(user: User, account: Account) -> bool:
    """A director proposes a new limit for finance to set."""
    return user.is_director and access.account_can_edit(user, account)


def override_can_decide(user: User, override: CreditOverride) -> bool:
    if override.requested_by_id == user.pk:
        return False
    if can_manage_money(user):
        return True
    return user.is_director and override.account.territory_id == user.territory_id


def get_visible(model, user: User, pk, *, write: bool = False):
    """A record of `model` under an account: 404 outside scope, 403 on write unless finance."""
    obj = model.objects.get_visible(user, pk)
    if write:
        check_can_manage_money(user)
    return obj
