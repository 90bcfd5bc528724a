"""Regressions from the review: closed deals stay closed, inactive products are not ordered,
returns are not dated ahead, nobody approves their own offer, and far dates do not break the
returns analysis."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from deals import services
from deals.access import offer_can_approve, offers_awaiting_approval_by
from deals.models import Deal, Offer, Order, OrderLine
from tests.deals.factories import (
    DealFactory,
    OfferFactory,
    OfferLineFactory,
    OrderLineFactory,
    ProductFactory,
)


@pytest.fixture
def kam(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def won_deal(alice_account):
    return DealFactory(
        account=alice_account, stage=Deal.Stage.WON, probability=100, next_step="Invoice"
    )


def offer_on(deal, status):
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
    "approve": services.offer_approve,
    "accept": services.offer_mark_accepted,
    "decline": services.offer_mark_rejected,
    "expire": services.offer_mark_expired,
}


@pytest.mark.parametrize("stage", [Deal.Stage.WON, Deal.Stage.LOST])
@pytest.mark.parametrize(("move", "status", "actor"), OFFER_MOVES)
def test_an_offer_on_a_closed_deal_no_longer_moves(
    personas, alice_account, stage, move, status, actor
):
    deal = DealFactory(account=alice_account, stage=stage, probability=0)
    offer = offer_on(deal, status)

    with pytest.raises(ValidationError, match="no longer move"):
        SERVICES[move](actor=personas[actor], offer=offer)

    offer.refresh_from_db()
    assert offer.status == status


def test_the_api_refuses_to_send_an_offer_on_a_lost_deal(api_as, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.LOST, probability=0)
    offer = offer_on(deal, Offer.Status.APPROVED)

    response = api_as("alice").post(f"/api/v1/offers/{offer.pk}/send/")

    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.status == Offer.Status.APPROVED


def test_an_offer_on_an_open_deal_still_moves(alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.NEGOTIATION, probability=60)
    offer = offer_on(deal, Offer.Status.SENT)

    assert services.offer_mark_accepted(actor=alice, offer=offer).status == "accepted"


def _edit_form(deal, **changes):
    data = {
        "title": deal.title,
        "amount": str(deal.amount),
        "currency": deal.currency,
        "probability": deal.probability,
        "expected_close_date": str(deal.expected_close_date),
        "next_step": deal.next_step,
        "version": deal.version,
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "99999.00"), ("probability", "50"), ("expected_close_date", "2030-01-01")],
)
def test_a_won_deals_figures_cannot_be_edited_on_the_page(kam, won_deal, field, value):
    response = kam.post(
        reverse("deals:deal_edit", args=[won_deal.pk]), _edit_form(won_deal, **{field: value})
    )

    assert field in response.context["form"].errors
    before = (won_deal.amount, won_deal.probability, won_deal.expected_close_date)
    won_deal.refresh_from_db()
    assert (won_deal.amount, won_deal.probability, won_deal.expected_close_date) == before


def test_a_won_deals_next_step_can_still_be_edited_on_the_page(kam, won_deal):
    response = kam.post(
        reverse("deals:deal_edit", args=[won_deal.pk]),
        _edit_form(won_deal, next_step="Send a thank-you note"),
    )

    assert response.status_code == 302
    won_deal.refresh_from_db()
    assert won_deal.next_step == "Send a thank-you note"


def test_the_api_refuses_to_change_a_won_deals_amount_and_probability(api_as, won_deal):
    response = api_as("alice").patch(
        f"/api/v1/deals/{won_deal.pk}/",
        {"amount": "1.00", "probability": 20, "version": won_deal.version},
        format="json",
    )

    assert response.status_code == 400
    assert {"amount", "probability"} <= set(response.json())
    won_deal.refresh_from_db()
    assert (won_deal.amount, won_deal.probability) == (D("50000.00"), 100)


def test_a_director_cannot_give_a_lost_deal_to_another_kam(dora, bob, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.LOST, probability=0)

    with pytest.raises(ValidationError) as error:
        services.deal_update(actor=dora, deal=deal, data={"owner": bob}, version=deal.version)

    assert "owner" in error.value.message_dict


def test_the_api_still_changes_a_won_deals_next_step(api_as, won_deal):
    response = api_as("alice").patch(
        f"/api/v1/deals/{won_deal.pk}/",
        {"next_step": "Plan the rollout", "version": won_deal.version},
        format="json",
    )

    assert response.status_code == 200
    won_deal.refresh_from_db()
    assert won_deal.next_step == "Plan the rollout"


def test_the_api_refuses_an_order_line_for_an_inactive_product(api_as, alice_account):
    retired = ProductFactory(is_active=False)

    response = api_as("alice").post(
        "/api/v1/orders/",
        {
            "account": alice_account.pk,
            "currency": "PLN",
            "requested_date": str(timezone.localdate() + timedelta(days=7)),
            "lines": [{"product": retired.pk, "quantity": "1"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "product" in response.json()
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_an_order_line_for_an_inactive_product_cannot_be_added(alice, alice_account):
    line = OrderLineFactory(order__account=alice_account)
    retired = ProductFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        services.order_line_add(actor=alice, order=line.order, product=retired, quantity=D("1"))

    assert "product" in error.value.message_dict


def test_the_api_refuses_a_return_dated_in_the_future(api_as, alice_account):
    line = OrderLineFactory(order__account=alice_account, order__status=Order.Status.DELIVERED)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = api_as("alice").post(
        "/api/v1/returns/",
        {
            "order_line": line.pk,
            "quantity": "1",
            "reason": "quality",
            "returned_on": str(tomorrow),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "returned_on" in response.json()
    assert not line.returns.exists()


def test_a_return_dated_today_is_recorded(alice, alice_account):
    line = OrderLineFactory(order__account=alice_account, order__status=Order.Status.DELIVERED)

    item = services.return_record(
        actor=alice,
        order_line=line,
        quantity=D("1"),
        reason="quality",
        returned_on=timezone.localdate(),
    )

    assert item.returned_on == timezone.localdate()


@pytest.mark.parametrize("approver", ["dora", "adam"])
def test_nobody_approves_an_offer_on_their_own_deal(personas, alice_account, approver):
    user = personas[approver]
    deal = DealFactory(account=alice_account, owner=user, stage=Deal.Stage.OFFER, probability=40)
    offer = offer_on(deal, Offer.Status.PENDING_APPROVAL)

    assert not offer_can_approve(user, offer)
    assert offer not in offers_awaiting_approval_by(user)
    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=user, offer=offer)


def test_the_director_still_approves_their_kams_offer(dora, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    offer = offer_on(deal, Offer.Status.PENDING_APPROVAL)

    assert services.offer_approve(actor=dora, offer=offer).status == "approved"


def test_the_returns_analysis_of_the_first_day_of_the_calendar_opens(kam):
    response = kam.get(reverse("deals:returns_analysis"), {"end": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["analysis"].start == date.min
