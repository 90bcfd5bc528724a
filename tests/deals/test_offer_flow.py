"""Offers through their statuses: the discount rule, the director's approval (never of one's own
deal), versions, and offers that stop moving once their deal is closed."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deals import services
from deals.access import offer_can_approve, offers_awaiting_approval_by
from deals.models import Deal, Offer
from tests.deals.factories import (
    DealFactory,
    DiscountLimitFactory,
    OfferFactory,
    OfferLineFactory,
    ProductFactory,
)


@pytest.fixture
def deal(alice_account):
    return DealFactory(account=alice_account, stage="offer", probability=40)


@pytest.fixture
def cable(db):
    product = ProductFactory(
        sku="CAB-001", name="Cable", list_price=D("100.00"), unit_cost=D("60.00")
    )
    DiscountLimitFactory(category=product.category, tier="A", max_discount=D("15"))
    return product


def _seen(offer) -> int:
    """The revision a director opening the offer now would see."""
    return Offer.objects.get(pk=offer.pk).revision


def _offer_with(alice, deal, cable, discount):
    offer = services.offer_create(actor=alice, deal=deal)
    services.offer_line_add(
        actor=alice, offer=offer, product=cable, quantity=D("10"), discount=D(discount)
    )
    return offer


def test_line_prices_are_computed_on_the_server_from_the_price_list(alice, deal, cable):
    offer = services.offer_create(actor=alice, deal=deal)
    line = services.offer_line_add(
        actor=alice, offer=offer, product=cable, quantity=D("3"), discount=D("12.5")
    )
    assert (line.list_price, line.net_price, line.line_total, line.line_cost) == (
        D("100.00"),
        D("87.50"),
        D("262.50"),
        D("180.00"),
    )


def test_offer_within_the_rule_is_sent_without_approval(alice, deal, cable):
    offer = _offer_with(alice, deal, cable, "15")  # tier A limit is 15 %
    services.offer_send(actor=alice, offer=offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    assert offer.sent_at is not None


def test_offer_over_the_limit_cannot_be_sent_and_waits_for_the_director(alice, dora, deal, cable):
    offer = _offer_with(alice, deal, cable, "25")
    with pytest.raises(ValidationError, match="approval"):
        services.offer_send(actor=alice, offer=offer)
    services.offer_submit(actor=alice, offer=offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING_APPROVAL
    assert "discount 25 % is above the 15 %" in offer.approval_reason


def test_category_default_applies_to_tiers_the_matrix_has_no_row_for(alice, bob, cable):
    deal = DealFactory(account__owner=alice, account__tier="C")
    offer = _offer_with(alice, deal, cable, "12")  # category default is 10 %
    with pytest.raises(ValidationError):
        services.offer_send(actor=alice, offer=offer)


def test_a_line_under_the_margin_floor_needs_approval_even_without_discount(alice, deal):
    thin = ProductFactory(list_price=D("100.00"), unit_cost=D("95.00"))
    offer = services.offer_create(actor=alice, deal=deal)
    services.offer_line_add(
        actor=alice, offer=offer, product=thin, quantity=D("1"), discount=D("0")
    )
    services.offer_submit(actor=alice, offer=offer)
    assert "below the 10 % floor" in Offer.objects.get(pk=offer.pk).approval_reason


def test_director_of_the_territory_approves_and_it_is_recorded(alice, dora, deal, cable):
    offer = _offer_with(alice, deal, cable, "25")
    services.offer_submit(actor=alice, offer=offer)
    services.offer_approve(
        actor=dora, offer=offer, revision=_seen(offer), comment="Strategic client"
    )
    offer.refresh_from_db()
    assert (offer.status, offer.decided_by, offer.decision_comment) == (
        Offer.Status.APPROVED,
        dora,
        "Strategic client",
    )
    assert offer.decided_at is not None
    services.offer_send(actor=alice, offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


@pytest.mark.parametrize("approver", ["alice", "bob", "sam", "fiona"])
def test_only_the_director_or_an_admin_approves(personas, deal, cable, approver):
    offer = _offer_with(personas["alice"], deal, cable, "25")
    services.offer_submit(actor=personas["alice"], offer=offer)
    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=personas[approver], offer=offer, revision=_seen(offer))
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING_APPROVAL


def test_rejection_needs_a_comment_and_returns_the_offer_to_draft(alice, dora, deal, cable):
    offer = _offer_with(alice, deal, cable, "25")
    services.offer_submit(actor=alice, offer=offer)
    with pytest.raises(ValidationError, match="why"):
        services.offer_send_back(actor=dora, offer=offer, revision=_seen(offer), comment="  ")
    services.offer_send_back(actor=dora, offer=offer, revision=_seen(offer), comment="Max 18 %")
    offer.refresh_from_db()
    assert (offer.status, offer.decision_comment, offer.decided_by) == ("draft", "Max 18 %", dora)


def test_a_sent_offer_is_immutable_and_a_new_version_copies_it(alice, deal, cable):
    offer = _offer_with(alice, deal, cable, "5")
    services.offer_send(actor=alice, offer=offer)
    line = offer.lines.get()
    with pytest.raises(ValidationError, match="new version"):
        services.offer_line_update(actor=alice, line=line, quantity=D("99"), discount=D("1"))
    with pytest.raises(ValidationError, match="new version"):
        services.offer_update(actor=alice, offer=offer, data={"terms": "changed"})
    copy = services.offer_new_version(actor=alice, offer=offer)
    assert (copy.version, copy.status) == (2, Offer.Status.DRAFT)
    assert [(li.product_id, li.quantity, li.discount) for li in copy.lines.all()] == [
        (cable.pk, D("10.000"), D("5.00"))
    ]
    line.refresh_from_db()
    assert line.quantity == D("10")
    assert list(deal.offers.values_list("version", "status")) == [(2, "draft"), (1, "sent")]


def test_illegal_moves_are_refused_with_a_clear_message(alice, deal, cable):
    offer = _offer_with(alice, deal, cable, "5")
    with pytest.raises(ValidationError, match="cannot go from Draft to Accepted"):
        services.offer_mark_accepted(actor=alice, offer=offer)


def test_an_empty_offer_cannot_be_sent(alice, deal):
    offer = services.offer_create(actor=alice, deal=deal)
    with pytest.raises(ValidationError, match="at least one line"):
        services.offer_send(actor=alice, offer=offer)


def test_offer_history_records_who_changed_the_status(alice, dora, deal, cable):
    offer = _offer_with(alice, deal, cable, "25")
    services.offer_submit(actor=alice, offer=offer)
    services.offer_approve(actor=dora, offer=offer, revision=_seen(offer))
    statuses = list(offer.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "pending_approval", "approved"]


def _offer_on(deal, status):
    """An offer already in `status`, with one line at 40 % off."""
    offer = OfferFactory(deal=deal, status=status)
    OfferLineFactory(offer=offer, discount=D("40"))
    return offer


OFFER_MOVES = [
    ("submit", Offer.Status.DRAFT, "alice"),
    ("send", Offer.Status.DRAFT, "alice"),
    ("approve", Offer.Status.PENDING_APPROVAL, "dora"),
    ("accept", Offer.Status.SENT, "alice"),
    ("decline", Offer.Status.SENT, "alice"),
    ("expire", Offer.Status.SENT, "alice"),
]
SERVICES = {
    "submit": services.offer_submit,
    "send": services.offer_send,
    "approve": lambda **kw: services.offer_approve(revision=_seen(kw["offer"]), **kw),
    "accept": services.offer_mark_accepted,
    "decline": services.offer_mark_declined,
    "expire": services.offer_mark_expired,
}


@pytest.mark.parametrize("stage", [Deal.Stage.WON, Deal.Stage.LOST])
@pytest.mark.parametrize(("move", "status", "actor"), OFFER_MOVES)
def test_an_offer_on_a_closed_deal_no_longer_moves(
    personas, alice_account, stage, move, status, actor
):
    deal = DealFactory(account=alice_account, stage=stage, probability=0)
    offer = _offer_on(deal, status)

    with pytest.raises(ValidationError, match="no longer move"):
        SERVICES[move](actor=personas[actor], offer=offer)

    offer.refresh_from_db()
    assert offer.status == status


def test_the_api_refuses_to_send_an_offer_on_a_lost_deal(api_as, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.LOST, probability=0)
    offer = _offer_on(deal, Offer.Status.APPROVED)

    response = api_as("alice").post(f"/api/v1/offers/{offer.pk}/send/")

    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.status == Offer.Status.APPROVED


def test_an_offer_on_an_open_deal_still_moves(alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.NEGOTIATION, probability=60)
    offer = _offer_on(deal, Offer.Status.SENT)

    assert services.offer_mark_accepted(actor=alice, offer=offer).status == "accepted"


@pytest.mark.parametrize("approver", ["dora", "adam"])
def test_nobody_approves_an_offer_on_their_own_deal(personas, alice_account, approver):
    user = personas[approver]
    deal = DealFactory(account=alice_account, owner=user, stage=Deal.Stage.OFFER, probability=40)
    offer = _offer_on(deal, Offer.Status.PENDING_APPROVAL)

    assert not offer_can_approve(user, offer)
    assert offer not in offers_awaiting_approval_by(user)
    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=user, offer=offer, revision=_seen(offer))


def test_the_director_still_approves_their_kams_offer(dora, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    offer = _offer_on(deal, Offer.Status.PENDING_APPROVAL)

    assert (
        services.offer_approve(actor=dora, offer=offer, revision=_seen(offer)).status == "approved"
    )
