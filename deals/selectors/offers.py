"""Reads for offers: the discount rule check, the offer page, the approvals queue."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    QuerySet,
)

from core.history import HistoryEntry, history_entries
from core.money import money_round
from team.models import User

from .. import pricing
from ..access import deal_can_edit, offer_can_approve, offers_awaiting_approval_by
from ..models import (
    OFFER_REVISABLE,
    DiscountLimit,
    Offer,
    OfferLine,
    OfferStatus,
    Order,
)
from .common import MONEY_FIELD, _money_sum


def _offers_with_totals(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    return queryset.annotate(
        total=_money_sum("lines__line_total"),
        cost=_money_sum("lines__line_cost"),
        line_count=Count("lines"),
    ).annotate(margin=ExpressionWrapper(F("total") - F("cost"), output_field=MONEY_FIELD))


def _category_limits(*, categories: set[int], tier: str) -> dict[int, Decimal]:
    return dict(
        DiscountLimit.objects.filter(category_id__in=categories, tier=tier).values_list(
            "category_id", "max_discount"
        )
    )


def _rule_lines(*, lines: list[OfferLine], tier: str) -> list[pricing.RuleLine]:
    limits = _category_limits(categories={line.product.category_id for line in lines}, tier=tier)
    return [
        pricing.RuleLine(
            label=f"{line.product.sku} {line.product.name}",
            category=line.product.category.name,
            discount=line.discount,
            max_discount=limits.get(line.product.category_id, line.product.category.max_discount),
            margin_floor=line.product.category.margin_floor,
            line_total=line.line_total,
            line_cost=line.line_cost,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class RuleCheck:
    """The discount rule applied to an offer's lines as they are now."""

    tier: str  # the client's tier the limits are taken for
    limits: list[str]  # the limits of each category on the offer
    breaches: list[str]  # why it needs a director's approval (empty: it doesn't)


def offer_rule_check(*, offer: Offer) -> RuleCheck:
    """Judge `offer` by today's discount rule, for its client's tier as stored now."""
    lines = list(offer.lines.select_related("product__category"))
    tier = offer.deal.account.tier
    rule_lines = _rule_lines(lines=lines, tier=tier)
    return RuleCheck(
        tier=tier,
        limits=pricing.rule_limits(lines=rule_lines),
        breaches=pricing.rule_breaches(lines=rule_lines, tier=tier),
    )


def order_price_breaches(*, order: Order) -> list[str]:
    """Why the order's prices need an approver: lines below what the discount rule allows for
    the client's tier, unless an accepted offer of this account gave that price."""
    lines = [
        line
        for line in order.lines.select_related("product__category")
        if line.unit_price < line.product.list_price
    ]
    if not lines:
        return []
    # The lowest accepted price of each product wins: it comes last in the ordering.
    offered = dict(
        OfferLine.objects.filter(
            offer__deal__account_id=order.account_id,
            offer__status=OfferStatus.ACCEPTED,
            offer__currency=order.currency,
            product__in=[line.product_id for line in lines],
        )
        .order_by("-net_price")
        .values_list("product_id", "net_price")
    )
    lines = [
        line
        for line in lines
        if line.product_id not in offered or line.unit_price < offered[line.product_id]
    ]
    tier = order.account.tier
    limits = _category_limits(categories={line.product.category_id for line in lines}, tier=tier)
    rule_lines = [
        pricing.RuleLine(
            label=f"{line.product.sku} {line.product.name}",
            category=line.product.category.name,
            discount=pricing.discount_of(price=line.unit_price, list_price=line.product.list_price),
            max_discount=limits.get(line.product.category_id, line.product.category.max_discount),
            margin_floor=line.product.category.margin_floor,
            line_total=line.line_total,
            line_cost=money_round(line.quantity * line.product.unit_cost, order.currency),
        )
        for line in lines
    ]
    return pricing.rule_breaches(lines=rule_lines, tier=tier)


@dataclass(frozen=True)
class OfferRow:
    line: OfferLine
    max_discount: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    over_limit: bool
    under_floor: bool


@dataclass(frozen=True)
class OfferPage:
    offer: Offer
    rows: list[OfferRow]
    total: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    list_total: Decimal
    breaches: list[str]
    versions: list[Offer]
    history: list[HistoryEntry]
    can_edit: bool  # may change this draft's lines and terms
    can_act: bool  # may submit, send, withdraw, close or revise (the KAM's side)
    can_approve: bool
    can_revise: bool


def offer_page(*, user: User, offer: Offer) -> OfferPage:
    """The offer with its lines, margins and rule check, the deal's other versions and the
    history. Five queries after the access check."""
    offer = Offer.objects.select_related(
        "deal__account", "deal__owner", "created_by", "decided_by"
    ).get(pk=offer.pk)
    lines = list(offer.lines.select_related("product__category"))
    tier = offer.deal.account.tier
    rule_lines = _rule_lines(lines=lines, tier=tier)
    rows = []
    for line, rule in zip(lines, rule_lines, strict=True):
        percent = pricing.margin_percent(total=line.line_total, cost=line.line_cost)
        rows.append(
            OfferRow(
                line=line,
                max_discount=rule.max_discount,
                margin=line.line_total - line.line_cost,
                margin_percent=percent,
                over_limit=line.discount > rule.max_discount,
                under_floor=(line.line_total - line.line_cost) * 100
                < rule.margin_floor * line.line_total,
            )
        )
    total = sum((line.line_total for line in lines), Decimal(0))
    cost = sum((line.line_cost for line in lines), Decimal(0))
    list_total = sum(
        (money_round(line.quantity * line.list_price, offer.currency) for line in lines), Decimal(0)
    )
    can_act = deal_can_edit(user, offer.deal)
    return OfferPage(
        offer=offer,
        rows=rows,
        total=total,
        cost=cost,
        margin=total - cost,
        margin_percent=pricing.margin_percent(total=total, cost=cost),
        list_total=list_total,
        breaches=pricing.rule_breaches(lines=rule_lines, tier=tier),
        versions=list(
            _offers_with_totals(Offer.objects.filter(deal_id=offer.deal_id)).order_by("-version")
        ),
        history=history_entries(instance=offer),
        can_edit=can_act and offer.status == OfferStatus.DRAFT,
        can_act=can_act,
        can_approve=offer.status == OfferStatus.PENDING_APPROVAL and offer_can_approve(user, offer),
        can_revise=can_act and offer.status in OFFER_REVISABLE and offer.deal.is_open,
    )


def offers_for_listing(*, user: User) -> QuerySet[Offer]:
    return _offers_with_totals(
        Offer.objects.visible_to(user).select_related("deal__account", "deal__owner")
    ).order_by("-pk")


def approvals_queue(*, user: User) -> QuerySet[Offer]:
    """Offers waiting for `user`'s approval, oldest first, with totals and margin."""
    return _offers_with_totals(
        offers_awaiting_approval_by(user).select_related("created_by")
    ).order_by("submitted_at", "pk")


def offer_lines_for_listing(*, user: User) -> QuerySet[OfferLine]:
    return (
        OfferLine.objects.visible_to(user)
        .select_related("offer__deal__account", "product")
        .order_by("offer_id", "pk")
    )
