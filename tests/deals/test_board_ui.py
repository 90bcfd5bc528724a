"""The pipeline board as people use it: the offer gap on cards and deals, the "Move to"
control starting on the next stage, and moves by drag and drop (the same POST). Paged
columns: test_board_paging.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Deal
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory

BOARD = reverse("deals:board")


def test_show_more_is_scoped_and_checks_its_input(client, alice, bob_account):
    DealFactory(account=bob_account, stage=Deal.Stage.OFFER)
    client.force_login(alice)
    url = reverse("deals:board_column", args=["offer"])
    assert b"deal-card" not in client.get(url).content
    assert client.get(reverse("deals:board_column", args=["nonsense"])).status_code == 404
    assert client.post(url).status_code == 405


def test_card_and_deal_show_the_gap_to_the_latest_offer(client, alice, alice_account):
    deal = DealFactory(account=alice_account, amount=Decimal("1000.00"), stage=Deal.Stage.OFFER)
    OfferLineFactory(offer=OfferFactory(deal=deal, version=1), quantity=20, discount=0)
    latest = OfferFactory(deal=deal, version=2)
    OfferLineFactory(offer=latest, quantity=9, discount=0)  # 9 x 100.00 = 900.00
    client.force_login(alice)
    assert "Offer v2 900 (-100)" in client.get(BOARD).content.decode()
    page = client.get(reverse("deals:deal_detail", args=[deal.pk])).content.decode()
    assert "Latest offer (v2)" in page
    assert "-100.00 PLN" in page


def test_move_control_starts_on_the_next_stage(client, alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    client.force_login(alice)
    response = client.get(reverse("deals:deal_detail", args=[deal.pk]))
    assert response.context["move_form"]["stage"].value() == Deal.Stage.MEETING


def test_a_drop_on_another_column_moves_the_deal(client, alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    client.force_login(alice)
    # what the board's script posts when a card is dropped on Negotiation
    response = client.post(
        reverse("deals:deal_move", args=[deal.pk]),
        {"stage": "negotiation", "from_stage": "offer"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "moved to Negotiation" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.NEGOTIATION


@pytest.mark.parametrize("reason", ["", "Went with a competitor"])
def test_a_drop_on_lost_needs_the_reason(client, alice, alice_account, reason):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    client.force_login(alice)
    client.post(
        reverse("deals:deal_move", args=[deal.pk]),
        {"stage": "lost", "from_stage": "offer", "lost_reason": reason},
        headers={"HX-Request": "true"},
    )
    deal.refresh_from_db()
    assert deal.stage == (Deal.Stage.LOST if reason else Deal.Stage.OFFER)
