"""Access to records under an account, as a queryset method per model (NetBox's `restrict`).

Every model under an account declares its path to the account and gets the scoped manager:

    class Deal(models.Model):
        account_path = "account"            # "" on Account itself, "deal__account", ...
        objects = AccountScopedQuerySet.as_manager()

    Deal.objects.visible_to(user)                      # what the user may see
    Deal.objects.editable_by(user)                     # what the user may change
    Deal.objects.select_related("owner").get_for_user(user, pk, write=True)
                                                       # 404 outside scope, 403 read-only

The rule itself (who sees which accounts, by role) is team's (`team/access.py`); core imports
no app, so team registers the rule with `register_access_rule` from its `AppConfig.ready`.
An app with an exception (activities: a KAM also sees the tasks assigned to them) subclasses
`AccountScopedQuerySet` in its own `access.py` and overrides `visible_to` or `can_edit`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AccessRule:
    """`scope(user, path, write=)`: a Q for the rows whose account (reached by `path`) the user
    may see or change; `can_edit(user, account)`: the same for one loaded account, no query."""

    scope: Callable[..., Q]
    can_edit: Callable[[Any, models.Model], bool]


_rule: AccessRule | None = None


def register_access_rule(*, scope: Callable[..., Q], can_edit: Callable) -> None:
    global _rule  # set once, at start-up, by team's AppConfig.ready
    _rule = AccessRule(scope=scope, can_edit=can_edit)


def access_rule() -> AccessRule:
    if _rule is None:
        raise ImproperlyConfigured("No access rule registered: is 'team' in INSTALLED_APPS?")
    return _rule


def account_of(obj: models.Model) -> models.Model:
    """The account `obj` lies under, by its model's `account_path`."""
    for name in filter(None, type(obj).account_path.split("__")):
        obj = getattr(obj, name)
    return obj


class AccountScopedQuerySet(models.QuerySet):
    """Rows under an account, filtered by the access rule through the model's `account_path`."""

    def _scope(self, user, *, write: bool) -> Q:
        return access_rule().scope(user, self.model.account_path, write=write)

    def visible_to(self, user) -> "AccountScopedQuerySet":
        return self.filter(self._scope(user, write=False))

    def editable_by(self, user) -> "AccountScopedQuerySet":
        return self.filter(self._scope(user, write=True))

    def can_edit(self, user, obj: models.Model) -> bool:
        """May `user` change `obj`, already loaded with its account (no query)."""
        return access_rule().can_edit(user, account_of(obj))

    def get_for_user(self, user, pk, *, write: bool = False) -> models.Model:
        """The row `pk` if `user` may see it, else 404 (also for a pk that is no id); with
        `write`, 403 if they may see but not change it."""
        queryset = self.visible_to(user)
        if self.model.account_path:
            queryset = queryset.select_related(self.model.account_path)
        name = self.model._meta.verbose_name
        try:
            obj = queryset.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError):
            raise Http404(f"No such {name}.") from None
        if write and not self.can_edit(user, obj):
            raise PermissionDenied(
                _("You may view this %(name)s but not change it.") % {"name": name}
            )
        return obj
