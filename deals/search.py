"""What the global search finds among deals, offers, contracts and orders (see
core/search.py)."""

import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import (
    GROUP_SIZE,
    SearchGroup,
    SearchHit,
    SearchQuery,
    hits_and_more,
    text_group,
    text_match,
)
from team.models import User

from .models import Contract, Deal, Offer, Order

# An offer's number is its deal's id and its version: "1234-v2" (or the deal id alone).
OFFER_NUMBER = re.compile(r"^#?(\d{1,11})(?:-v(\d{1,4}))?$", re.IGNORECASE)


def search_groups(*, user: User, query: SearchQuery) -> list[SearchGroup]:
    """Deals by title, offers by number, contracts by number, orders by number or the
    client's reference. At most four queries (none for offers unless it looks like a number)."""
    return [
        _deals(user, query),
        _offers(user, query),
        _contracts(user, query),
        _orders(user, query),
    ]


def _deals(user: User, query: SearchQuery) -> SearchGroup:
    return text_group(
        kind=_("Deals"),
        queryset=Deal.objects.select_related("account", "owner")
        .visible_to(user)
        .order_by("-updated_at", "-pk"),
        fields=["title"],
        query=query,
        hit=lambda deal: SearchHit(
            label=deal.title,
            detail=f"{deal.account.name} · {deal.get_stage_display()}",
            url=reverse("deals:deal_detail", args=[deal.pk]),
        ),
        more_url=reverse("deals:deal_list"),
    )


def _offers(user: User, query: SearchQuery) -> SearchGroup:
    match = OFFER_NUMBER.match(query.text)
    if not match:
        return SearchGroup(kind=_("Offers"), hits=[])
    condition = Q(deal_id=int(match[1]))
    if match[2]:
        condition &= Q(version=int(match[2]))
    rows = list(
        Offer.objects.select_related("deal__account", "deal__owner")
        .visible_to(user)
        .filter(condition)
        .order_by("-version")[: GROUP_SIZE + 1]
    )
    hits, _more = hits_and_more(
        rows,
        lambda offer: SearchHit(
            label=str(offer),
            detail=f"{offer.deal.title} · {offer.get_status_display()}",
            url=reverse("deals:offer_detail", args=[offer.pk]),
        ),
    )
    return SearchGroup(kind=_("Offers"), hits=hits)


def _contracts(user: User, query: SearchQuery) -> SearchGroup:
    return text_group(
        kind=_("Contracts"),
        queryset=Contract.objects.select_related("account")
        .visible_to(user)
        .order_by("-end_date", "-pk"),
        fields=["number"],
        query=query,
        hit=lambda contract: SearchHit(
            label=contract.number,
            detail=f"{contract.account.name} · {contract.get_status_display()}",
            url=reverse("deals:contract_detail", args=[contract.pk]),
        ),
        more_url=reverse("deals:contract_list"),
    )


def _orders(user: User, query: SearchQuery) -> SearchGroup:
    condition = text_match(["reference"], query)
    if query.number is not None:
        condition |= Q(pk=query.number)
    rows = list(
        Order.objects.select_related("account")
        .visible_to(user)
        .filter(condition)
        .order_by("-requested_date", "-pk")[: GROUP_SIZE + 1]
    )
    hits, _more = hits_and_more(
        rows,
        lambda order: SearchHit(
            label=str(order),
            detail=" · ".join(
                part
                for part in (order.reference, order.account.name, order.get_status_display())
                if part
            ),
            url=reverse("deals:order_detail", args=[order.pk]),
        ),
    )
    return SearchGroup(kind=_("Orders"), hits=hits)
