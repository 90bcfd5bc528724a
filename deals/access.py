"""Deals' exceptions to the access rule (team/access.py).

Deals, offers, contracts, orders, returns and complaints follow their account's scope: finance
reads them all (money is finance's business) and changes none. Offers that break the discount
rule are approved by the director of the offer owner's territory (or an admin). Products and
the price list are visible to everyone signed in; only admins change them.
"""

from django.db.models import Q, QuerySet

from team.access import account_can_edit, account_can_reassign
from team.models import User

from .models import Deal, Offer, Product


def deal_can_edit(user: User, deal: Deal) -> bool:
    return account_can_edit(user, deal.account)


def deal_can_delete(user: User, deal: Deal) -> bool:
    """A KAM marks a deal lost; deleting it is for the director or an admin."""
    return account_can_reassign(user, deal.account)


def offer_can_approve(user: User, offer: Offer) -> bool:
    """The director of the offer owner's territory (the one they report to), or an admin;
    never the owner of the deal, so nobody approves their own discount."""
    if offer.deal.owner_id == user.pk:
        return False
    if user.is_admin_role:
        return True
    owner = offer.deal.owner
    return user.is_director and (
        owner.reports_to_id == user.pk or owner.territory_id == user.territory_id
    )


def offers_awaiting_approval_by(user: User) -> QuerySet[Offer]:
    # Nobody approves an offer on their own deal (see offer_can_approve).
    pending = (
        Offer.objects.visible_to(user)
        .select_related("deal__account", "deal__owner")
        .filter(status=Offer.Status.PENDING_APPROVAL)
        .exclude(deal__owner_id=user.pk)
    )
    if user.is_admin_role:
        return pending
    if user.is_director:
        return pending.filter(
            Q(deal__owner__reports_to=user) | Q(deal__owner__territory_id=user.territory_id)
        )
    return pending.none()


def products_visible_to(user: User) -> QuerySet[Product]:
    """The price list: for everyone signed in."""
    products = Product.objects.select_related("category")
    return products if user.is_authenticated and user.is_active else products.none()
