"""Accounts' exceptions to the access rule (team/access.py): dossier notes are private to
sales, so finance sees none."""

from core.access import AccountScopedQuerySet
from team.access import NOTHING, is_sales


class DossierNoteQuerySet(AccountScopedQuerySet):
    def visible_to(self, user):
        return super().visible_to(user) if is_sales(user) else self.filter(NOTHING)
