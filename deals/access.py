"""Deals' exceptions to the access rule (team/access.py).

Deals, offers, contracts, orders, returns and complaints follow their account's scope: finance
reads them all (money is finance's business) and changes none. Offers that break the discount
rule are approved by the director of the offer owner's territory (or an admin). Products and
the price list are visible to everyone signed in; only admins change them.
"""

from django.conf import settings
from django.db.models import Q, QuerySet

from team.access import account_can_edit, account_can_reassign
from team.models import Role, User

from .models import Deal, Offer, Order, Product


def deal_can_edit(user: User, deal: Deal) -> bool:
    return account_can_edit(user, deal.account)


def deal_can_delete(user: User, deal: Deal) -> bool:
    """A KAM marks a deal lost; deleting it is for the director or an admin."""
    return account_can_reassign(user, deal.account)


def _approves_for(
    user: User, *, owner: User, created_by_id: int, submitted_by_id: int | None = None
) -> bool:
    """The director of `owner`'s territory (the one they report to), or an admin; never
    `owner`, and (four eyes) never who wrote the record unless the setting says directors may,
    nor who submitted someone else's record for approval (the setting is about their own)."""
    if owner.pk == user.pk:
        return False
    if created_by_id == user.pk and not settings.DIRECTORS_MAY_APPROVE_OWN_OFFERS:
        return False
    if submitted_by_id == user.pk and created_by_id != user.pk:
        return False
    if user.is_admin_role:
        return True
    return user.is_director and (
        owner.reports_to_id == user.pk or owner.territory_id == user.territory_id
    )


def offer_can_approve(user: User, offer: Offer) -> bool:
    """Who approves an offer that breaks the discount rule: nobody on their own deal."""
    return _approves_for(
        user,
        owner=offer.deal.owner,
        created_by_id=offer.created_by_id,
        submitted_by_id=offer.submitted_by_id,
    )


def offer_approvers(offer: Offer) -> QuerySet[User]:
    """The directors told that `offer` waits for them: the one its owner reports to, else the
    directors of the owner's territory (admins may approve too, but are not told of each)."""
    owner = offer.deal.owner
    directors = User.objects.filter(role=Role.DIRECTOR, is_active=True).exclude(pk=owner.pk)
    if owner.reports_to_id:
        return directors.filter(pk=owner.reports_to_id)
    return directors.filter(territory_id=owner.territory_id)


def offers_awaiting_approval_by(user: User) -> QuerySet[Offer]:
    # Nobody approves an offer on their own deal (see offer_can_approve).
    pending = (
        Offer.objects.visible_to(user)
        .select_related("deal__account", "deal__owner")
        .filter(status=Offer.Status.PENDING_APPROVAL)
        .exclude(deal__owner_id=user.pk)
    )
    if not settings.DIRECTORS_MAY_APPROVE_OWN_OFFERS:
        pending = pending.exclude(created_by_id=user.pk)
    # Nor one they submitted for someone else (four eyes: see _approves_for).
    pending = pending.exclude(Q(submitted_by_id=user.pk) & ~Q(created_by_id=user.pk))
    if user.is_admin_role:
        return pending
    if user.is_director:
        return pending.filter(
            Q(deal__owner__reports_to=user) | Q(deal__owner__territory_id=user.territory_id)
        )
    return pending.none()


def order_can_approve_prices(user: User, order: Order) -> bool:
    """Who confirms an order priced below the discount rule: as for offers, never the owner
    of the account."""
    return _approves_for(user, owner=order.account.owner, created_by_id=order.created_by_id)


def products_visible_to(user: User) -> QuerySet[Product]:
    """The price list: for everyone signed in."""
    products = Product.objects.select_related("category")
    return products if user.is_authenticated and user.is_active else products.none()
