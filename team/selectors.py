"""Reads for team's own records."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import SavedView, User


def saved_view_team(user: User) -> Q:
    """Whose shared views `user` is offered: the people of their territory (a director and
    their KAMs), or, without a territory (finance, administrators), those of their role."""
    if user.territory_id:
        return Q(owner__territory_id=user.territory_id)
    return Q(owner__territory__isnull=True, owner__role=user.role)


def saved_view_may_share(user: User) -> bool:
    """Who may share a view with their team: a director (with their KAMs), an administrator."""
    return user.is_director or user.is_admin_role


def saved_views_visible_to(user: User) -> QuerySet[SavedView]:
    """A user's own views and the views shared with their team."""
    if not user.is_authenticated:
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True) & saved_view_team(user))


@dataclass(frozen=True)
class SavedViewLink:
    pk: int
    name: str
    query: str
    mine: bool
    shared: bool
    owner: str
    current: bool


@dataclass(frozen=True)
class SavedViews:
    """The saved views menu of one list page: what to save (`list_key`, `query`) and the views
    to pick from."""

    list_key: str
    query: str
    views: list[SavedViewLink]
    may_share: bool

    @property
    def current(self) -> SavedViewLink | None:
        return next((view for view in self.views if view.current), None)


def saved_views_for_list(*, user: User, list_key: str, query: str) -> SavedViews:
    """The views of the list `list_key` the user may pick, theirs first; one query."""
    rows = (
        saved_views_visible_to(user)
        .filter(list_key=list_key)
        .select_related("owner")
        .order_by("name", "pk")
    )
    views = [
        SavedViewLink(
            pk=row.pk,
            name=row.name,
            query=row.query,
            mine=row.owner_id == user.pk,
            shared=row.shared,
            owner=str(row.owner),
            current=row.query == query,
        )
        for row in rows
    ]
    views.sort(key=lambda view: not view.mine)
    return SavedViews(
        list_key=list_key, query=query, views=views, may_share=saved_view_may_share(user)
    )
