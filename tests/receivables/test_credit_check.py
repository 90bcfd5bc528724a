"""The credit check at every way to send an offer or confirm an order, the override asked by the
KAM and decided by the director or finance, exposure and the credit picture."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deals import services as deals_services
from deals.credit import CreditBlocked
from deals.models import Offer, Order
from receivables import selectors, services
from receivables.models import CreditOverride
from tests.deals.factories import (
    DealFactory,
    OfferFactory,
    OfferLineFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
)

D = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def limited(fiona, alice_account):
    """Alice's account with a 10,000 PLN limit."""
    return services.credit_profile_set(
        actor=fiona, account=alice_account, data={"credit_limit": D("10000.00")}, reason="Review"
    )


def offer_of(account, total: str, *, status=Offer.Status.DRAFT) -> Offer:
    offer = OfferFactory(deal=DealFactory(account=account, stage="offer"), status=status)
    product = ProductFactory(list_price=D(total), unit_cost=D(0))
    OfferLineFactory(offer=offer, product=product, quantity=D(1), discount=D(0))
    return offer


def order_of(account, total: str) -> Order:
    order = OrderFactory(account=account, status=Order.Status.RECEIVED)
    OrderLineFactory(order=order, quantity=D(1), unit_price=D(total))
    return order


def test_exposure_counts_open_invoices_orders_and_live_offers(fiona, alice_account, issue, limited):
    issue(
        alice_account, "1000.00", issued=TODAY - timedelta(days=40), due=TODAY - timedelta(days=10)
    )
    issue(alice_account, "500.00", issued=TODAY, due=TODAY + timedelta(days=30))
    order_of(alice_account, "300.00")
    offer_of(alice_account, "200.00", status=Offer.Status.SENT)
    offer_of(alice_account, "999.00", status=Offer.Status.DRAFT)  # not committed: left out
    exposure = selectors.exposure(account=alice_account, currency="PLN")
    assert (exposure.overdue, exposure.not_due, exposure.orders, exposure.offers) == (
        D("1000.00"),
        D("500.00"),
        D("300.00"),
        D("200.00"),
    )
    assert exposure.total == D("2000.00")
    assert "overdue=true" in exposure.components[1].url


def test_an_offer_over_the_limit_is_not_sent(alice, alice_account, limited):
    offer = offer_of(alice_account, "10000.01")
    with pytest.raises(CreditBlocked) as error:
        deals_services.offer_send(actor=alice, offer=offer)
    assert "over the credit limit" in str(error.value)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_an_offer_within_the_limit_is_sent(alice, alice_account, limited):
    offer = offer_of(alice_account, "10000.00")
    deals_services.offer_send(actor=alice, offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_an_account_on_hold_cannot_be_sent_anything(fiona, alice, alice_account):
    services.credit_profile_set(
        actor=fiona, account=alice_account, data={"status": "hold"}, reason="Unpaid since June"
    )
    with pytest.raises(CreditBlocked, match="on credit hold"):
        deals_services.offer_send(actor=alice, offer=offer_of(alice_account, "1.00"))


def test_an_invoice_long_overdue_blocks_even_without_a_limit(alice, alice_account, issue):
    issue(alice_account, "5.00", issued=TODAY - timedelta(days=70), due=TODAY - timedelta(days=31))
    with pytest.raises(CreditBlocked, match="31 days overdue"):
        deals_services.offer_send(actor=alice, offer=offer_of(alice_account, "1.00"))


def test_an_approved_offer_is_checked_when_sent(alice, alice_account, limited):
    offer = offer_of(alice_account, "20000.00", status=Offer.Status.APPROVED)
    with pytest.raises(CreditBlocked):
        deals_services.offer_send(actor=alice, offer=offer)


def test_a_new_version_needs_its_own_check_and_override(alice, dora, alice_account, limited):
    offer = offer_of(alice_account, "20000.00")
    services.credit_override_request(actor=alice, offer=offer, reason="Strategic client")
    services.credit_override_decide(actor=dora, override=CreditOverride.objects.get(), approve=True)
    deals_services.offer_send(actor=alice, offer=offer)
    copy = deals_services.offer_new_version(actor=alice, offer=Offer.objects.get(pk=offer.pk))
    with pytest.raises(CreditBlocked):
        deals_services.offer_send(actor=alice, offer=copy)


def test_order_confirmation_is_checked_without_counting_the_order_twice(
    alice, alice_account, limited
):
    fits = order_of(alice_account, "6000.00")
    deals_services.order_move(actor=alice, order=fits, to_status=Order.Status.CONFIRMED)
    too_much = order_of(alice_account, "4000.01")
    with pytest.raises(CreditBlocked):
        deals_services.order_move(actor=alice, order=too_much, to_status=Order.Status.CONFIRMED)
    assert Order.objects.get(pk=too_much.pk).status == Order.Status.RECEIVED


def test_the_api_goes_through_the_same_check(api_as, alice_account, limited):
    offer = offer_of(alice_account, "10000.01")
    response = api_as("alice").post(f"/api/v1/offers/{offer.pk}/send/")
    assert response.status_code == 400
    assert "credit limit" in str(response.json())
    order = order_of(alice_account, "10000.01")
    response = api_as("alice").post(
        f"/api/v1/orders/{order.pk}/status/", {"status": "confirmed"}, format="json"
    )
    assert response.status_code == 400


def test_override_asked_by_the_kam_and_approved_by_the_director_lets_it_through(
    alice, dora, alice_account, limited
):
    offer = offer_of(alice_account, "15000.00")
    override = services.credit_override_request(
        actor=alice, offer=offer, reason="They pay in 7 days"
    )
    assert override.status == CreditOverride.Status.PENDING
    assert "over the credit limit" in override.blocked_because
    assert list(selectors.overrides_awaiting(dora)) == [override]
    with pytest.raises(PermissionDenied):
        services.credit_override_decide(actor=alice, override=override, approve=True)
    services.credit_override_decide(actor=dora, override=override, approve=True, comment="OK")
    deals_services.offer_send(actor=alice, offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT
    assert CreditOverride.history.filter(id=override.pk).count() == 2  # asked, decided


def test_a_rejected_override_keeps_the_block_and_needs_a_comment(
    alice, fiona, alice_account, limited
):
    offer = offer_of(alice_account, "15000.00")
    override = services.credit_override_request(actor=alice, offer=offer, reason="Please")
    with pytest.raises(ValidationError):
        services.credit_override_decide(actor=fiona, override=override, approve=False)
    services.credit_override_decide(
        actor=fiona, override=override, approve=False, comment="Pay the old ones first"
    )
    with pytest.raises(CreditBlocked):
        deals_services.offer_send(actor=alice, offer=offer)


def test_a_director_of_another_territory_cannot_decide(alice, sam, alice_account, limited):
    offer = offer_of(alice_account, "15000.00")
    override = services.credit_override_request(actor=alice, offer=offer, reason="Please")
    assert list(selectors.overrides_awaiting(sam)) == []
    with pytest.raises(PermissionDenied):
        services.credit_override_decide(actor=sam, override=override, approve=True)


def test_an_override_is_refused_when_nothing_blocks(alice, alice_account, limited):
    with pytest.raises(ValidationError, match="no override is needed"):
        services.credit_override_request(
            actor=alice, offer=offer_of(alice_account, "5.00"), reason="Just in case"
        )


def test_an_override_approved_for_less_does_not_cover_a_bigger_document(
    alice, dora, alice_account, limited
):
    order = order_of(alice_account, "12000.00")
    override = services.credit_override_request(actor=alice, order=order, reason="Season")
    services.credit_override_decide(actor=dora, override=override, approve=True)
    deals_services.order_line_add(actor=alice, order=order, product=ProductFactory(), quantity=D(1))
    with pytest.raises(CreditBlocked):
        deals_services.order_move(actor=alice, order=order, to_status=Order.Status.CONFIRMED)


def test_the_picture_says_which_invoices_would_free_headroom(alice_account, issue, limited):
    issue(
        alice_account,
        "6000.00",
        number="FV/1",
        issued=TODAY - timedelta(days=20),
        due=TODAY - timedelta(days=5),
    )
    issue(
        alice_account,
        "3000.00",
        number="FV/2",
        issued=TODAY - timedelta(days=10),
        due=TODAY + timedelta(days=5),
    )
    issue(
        alice_account,
        "1000.00",
        number="FV/3",
        issued=TODAY - timedelta(days=5),
        due=TODAY + timedelta(days=25),
    )
    offer = offer_of(alice_account, "4000.00")
    picture = selectors.credit_picture(
        account=alice_account, amount=D("4000.00"), currency="PLN", offer=offer
    )
    assert picture.available_after == D("-4000.00") and picture.light == "red"
    assert picture.freeing.numbers == ["FV/1"]
    assert picture.freeing.amount == D("6000.00")


def test_only_finance_sets_limits_and_each_change_is_kept(fiona, alice, dora, alice_account):
    with pytest.raises(PermissionDenied):
        services.credit_profile_set(
            actor=dora, account=alice_account, data={"credit_limit": D(1)}, reason="x"
        )
    with pytest.raises(ValidationError):
        services.credit_profile_set(
            actor=fiona, account=alice_account, data={"credit_limit": D(1)}, reason=" "
        )
    profile = services.credit_profile_set(
        actor=fiona, account=alice_account, data={"credit_limit": D(5)}, reason="First"
    )
    services.credit_profile_set(
        actor=fiona, account=alice_account, data={"credit_limit": D(9)}, reason="Raised"
    )
    reasons = list(
        profile.history.order_by("history_id").values_list("history_change_reason", "credit_limit")
    )
    assert reasons == [("First", D("5.00")), ("Raised", D("9.00"))]
