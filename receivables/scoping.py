"""The account scope applied to receivables' querysets (team.access says who sees which account)."""

from django.db.models import QuerySet
from django.http import Http404

from team import access


class ScopedQuerySet(QuerySet):
    """`visible_to(user)`: the rows under the accounts `user` may see, via `account_path`."""

    def visible_to(self, user):
        return self.filter(access._account_scope(user, self.model.account_path))

    def get_visible(self, user, pk):
        try:
            return self.visible_to(user).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404(f"No such {self.model._meta.verbose_name}.") from None
