"""Approvals that cannot be raced or stale: the discount rule is judged on the lines as they are
when the status moves, a decision names the revision it was made on, the KAM does not set the
tier the rule uses, nobody approves what they wrote, and orders cannot undercut the rule."""

import threading
from decimal import Decimal as D
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts import services as account_services
from accounts.models import Account
from core.concurrency import EditConflict
from deals import services
from deals.models import Deal, Offer, OfferLine, Order
from tests.deals.factories import DealFactory, DiscountLimitFactory, ProductFactory

TRIES = 8


@pytest.fixture
def cable(db):
    product = ProductFactory(
        sku="CAB-001", name="Cable", list_price=D("100.00"), unit_cost=D("60.00")
    )
    DiscountLimitFactory(category=product.category, tier="A", max_discount=D("15"))
    return product


@pytest.fixture
def tier_a(alice_account):
    assert alice_account.tier == "A"
    return alice_account


@pytest.fixture
def deal(tier_a):
    return DealFactory(account=tier_a, stage=Deal.Stage.OFFER, probability=40)


def _offer(actor, deal, cable, discount="5", quantity="10"):
    offer = services.offer_create(actor=actor, deal=deal)
    services.offer_line_add(
        actor=actor, offer=offer, product=cable, quantity=D(quantity), discount=D(discount)
    )
    return Offer.objects.get(pk=offer.pk)


def _at_once(*calls):
    """Run `calls` in threads of their own (each its own connection), released together."""
    start = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            start.wait(timeout=10)
            call()
        except (ValidationError, PermissionDenied):
            pass  # the loser of the race is refused: that is the point
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


# --- 1. Discount approval bypass --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_line_changed_while_the_offer_is_sent_never_goes_out_unapproved(
    requires_postgres, alice, deal, cable
):
    for _ in range(TRIES):
        offer = _offer(alice, deal, cable, discount="5")  # within tier A's 15 %
        line = OfferLine.objects.get(offer=offer)
        sender, editor = Offer.objects.get(pk=offer.pk), OfferLine.objects.get(pk=line.pk)

        _at_once(
            partial(services.offer_send, actor=alice, offer=sender),
            partial(
                services.offer_line_update,
                actor=alice,
                line=editor,
                quantity=D("10"),
                discount=D("90"),
            ),
        )

        offer.refresh_from_db()
        line.refresh_from_db()
        assert (offer.status, line.discount) in {
            (Offer.Status.SENT, D("5")),  # sent first: the change came too late, refused
            (Offer.Status.DRAFT, D("90")),  # changed first: 90 % is not sendable alone
        }


@pytest.mark.django_db(transaction=True)
def test_a_line_added_while_the_offer_is_sent_never_goes_out_unapproved(
    requires_postgres, alice, deal, cable
):
    for _ in range(TRIES):
        offer = _offer(alice, deal, cable, discount="5")
        sender, editor = Offer.objects.get(pk=offer.pk), Offer.objects.get(pk=offer.pk)

        _at_once(
            partial(services.offer_send, actor=alice, offer=sender),
            partial(
                services.offer_line_add,
                actor=alice,
                offer=editor,
                product=cable,
                quantity=D("1"),
                discount=D("90"),
            ),
        )

        offer.refresh_from_db()
        discounts = sorted(offer.lines.values_list("discount", flat=True))
        assert (offer.status, discounts) in [
            (Offer.Status.SENT, [D("5")]),
            (Offer.Status.DRAFT, [D("5"), D("90")]),
        ]


def test_a_sent_offer_refuses_a_change_made_from_a_copy_loaded_before_it_was_sent(
    alice, deal, cable
):
    offer = _offer(alice, deal, cable)
    stale_line = OfferLine.objects.select_related("offer").get(offer=offer)
    services.offer_send(actor=alice, offer=offer)

    with pytest.raises(ValidationError, match="can no longer change"):
        services.offer_line_update(actor=alice, line=stale_line, quantity=D("1"), discount=D("90"))
    with pytest.raises(ValidationError, match="can no longer change"):
        services.offer_line_remove(actor=alice, line=stale_line)

    assert list(offer.lines.values_list("discount", flat=True)) == [D("5")]


# --- 2. Stale approval ------------------------------------------------------------------------


def _withdrawn_repriced_and_resubmitted(alice, offer):
    """What the KAM does between the director opening the offer and deciding."""
    services.offer_withdraw(actor=alice, offer=offer)
    line = OfferLine.objects.get(offer=offer)
    services.offer_line_update(actor=alice, line=line, quantity=D("10"), discount=D("95"))
    services.offer_submit(actor=alice, offer=offer)


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decision_on_an_offer_changed_since_the_director_looked_is_refused(
    alice, dora, deal, cable, decision
):
    offer = _offer(alice, deal, cable, discount="20")
    services.offer_submit(actor=alice, offer=offer)
    seen = Offer.objects.get(pk=offer.pk).revision
    _withdrawn_repriced_and_resubmitted(alice, offer)

    decide = getattr(services, f"offer_{decision}")
    with pytest.raises(EditConflict) as conflict:
        decide(actor=dora, offer=offer, revision=seen, comment="Fine at 20 %")

    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING_APPROVAL
    assert offer.decided_by is None
    assert conflict.value.current_version == offer.revision > seen


def test_the_api_answers_a_stale_approval_with_409_and_the_current_revision(
    api_as, alice, deal, cable
):
    offer = _offer(alice, deal, cable, discount="20")
    services.offer_submit(actor=alice, offer=offer)
    seen = api_as("dora").get(f"/api/v1/offers/{offer.pk}/").json()["revision"]
    _withdrawn_repriced_and_resubmitted(alice, offer)

    response = api_as("dora").post(
        f"/api/v1/offers/{offer.pk}/approve/", {"revision": seen}, format="json"
    )
    without = api_as("dora").post(f"/api/v1/offers/{offer.pk}/approve/", {}, format="json")

    offer.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["current_version"] == offer.revision
    assert without.status_code == 400
    assert "revision" in without.json()
    assert offer.status == Offer.Status.PENDING_APPROVAL


def test_the_page_shows_a_stale_approval_refused_and_keeps_the_comment(
    client, alice, dora, deal, cable
):
    offer = _offer(alice, deal, cable, discount="20")
    services.offer_submit(actor=alice, offer=offer)
    client.force_login(dora)
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    seen = Offer.objects.get(pk=offer.pk).revision
    assert f'name="revision" value="{seen}"' in page
    _withdrawn_repriced_and_resubmitted(alice, offer)

    response = client.post(
        f"/offers/{offer.pk}/approve/", {"revision": seen, "comment": "Fine at 20 %"}
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened it" in body
    assert "Fine at 20 %" in body
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING_APPROVAL


def test_the_page_approves_the_revision_the_director_saw(client, alice, dora, deal, cable):
    offer = _offer(alice, deal, cable, discount="20")
    services.offer_submit(actor=alice, offer=offer)
    client.force_login(dora)

    response = client.post(
        f"/offers/{offer.pk}/approve/",
        {"revision": Offer.objects.get(pk=offer.pk).revision, "comment": ""},
    )

    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.APPROVED


# --- 3. The tier the rule is judged by --------------------------------------------------------


def test_a_kam_cannot_change_their_clients_tier(alice, alice_account):
    with pytest.raises(ValidationError, match="tier"):
        account_services.account_update(actor=alice, account=alice_account, data={"tier": "C"})
    assert Account.objects.get(pk=alice_account.pk).tier == "A"


def test_a_kam_creates_accounts_at_the_default_tier_only(alice):
    with pytest.raises(ValidationError, match="tier"):
        account_services.account_create(actor=alice, data={"name": "Gamma", "tier": "A"})


def test_the_api_refuses_a_kams_tier_change(api_as, alice_account):
    response = api_as("alice").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"tier": "C"}, format="json"
    )
    assert response.status_code == 400
    assert "tier" in response.json()
    assert Account.objects.get(pk=alice_account.pk).tier == "A"


def test_the_account_form_does_not_let_a_kam_change_the_tier(client, alice, alice_account):
    client.force_login(alice)
    page = client.get(f"/accounts/{alice_account.pk}/edit/").content.decode()
    assert 'name="tier"' in page and "disabled" in page.split('name="tier"')[1].split(">")[0]


def test_the_director_changes_the_tier(dora, alice_account):
    account_services.account_update(actor=dora, account=alice_account, data={"tier": "B"})
    assert Account.objects.get(pk=alice_account.pk).tier == "B"


def test_the_offer_records_the_tier_and_limits_it_was_sent_under(
    client, alice, deal, cable, tier_a
):
    offer = _offer(alice, deal, cable, discount="10")
    services.offer_send(actor=alice, offer=offer)
    Account.objects.filter(pk=tier_a.pk).update(tier="C")  # later changes leave the record

    offer.refresh_from_db()
    assert offer.checked_tier == "A"
    assert "discount up to 15 %" in offer.checked_limits
    client.force_login(alice)
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Judged by the discount rule for tier A when sent" in page


def test_the_offer_records_the_tier_it_was_submitted_under(alice, deal, cable):
    offer = _offer(alice, deal, cable, discount="30")
    services.offer_submit(actor=alice, offer=offer)
    offer.refresh_from_db()
    assert (offer.checked_tier, offer.checked_limits.startswith(cable.category.name)) == (
        "A",
        True,
    )


# --- 4. Four eyes -----------------------------------------------------------------------------


def _directors_own_offer(dora, deal, cable):
    offer = _offer(dora, deal, cable, discount="30")  # on alice's deal, written by dora
    services.offer_submit(actor=dora, offer=offer)
    return Offer.objects.get(pk=offer.pk)


def test_a_director_does_not_approve_an_offer_they_wrote(dora, adam, deal, cable):
    offer = _directors_own_offer(dora, deal, cable)

    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=dora, offer=offer, revision=offer.revision)
    services.offer_approve(actor=adam, offer=offer, revision=offer.revision)

    assert Offer.objects.get(pk=offer.pk).decided_by == adam


def test_a_setting_lets_directors_approve_their_own_offers(settings, dora, deal, cable):
    settings.DIRECTORS_MAY_APPROVE_OWN_OFFERS = True
    offer = _directors_own_offer(dora, deal, cable)

    services.offer_approve(actor=dora, offer=offer, revision=offer.revision)

    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.APPROVED


def test_the_approval_queue_leaves_out_the_directors_own_offers(client, dora, deal, cable):
    offer = _directors_own_offer(dora, deal, cable)
    client.force_login(dora)
    assert offer.number not in client.get("/offers/approvals/").content.decode()


# --- 5. Orders priced below the rule ----------------------------------------------------------


def _order(actor, account, cable, unit_price):
    return services.order_create(
        actor=actor,
        account=account,
        data={"requested_date": "2026-12-20", "currency": "PLN"},
        lines=[{"product": cable, "quantity": D("1000"), "unit_price": D(unit_price)}],
    )


def test_an_order_below_the_rule_is_not_confirmed_by_the_kam_alone(alice, tier_a, cable):
    order = _order(alice, tier_a, cable, "0.00")

    with pytest.raises(ValidationError, match="below what the discount rule allows") as refused:
        services.order_move(actor=alice, order=order, to_status=Order.Status.CONFIRMED)

    assert "discount 100 % is above the 15 %" in str(refused.value)
    assert Order.objects.get(pk=order.pk).status == Order.Status.RECEIVED


def test_the_director_confirms_an_order_below_the_rule_and_is_recorded(alice, dora, tier_a, cable):
    order = _order(alice, tier_a, cable, "80.00")

    services.order_move(actor=dora, order=order, to_status=Order.Status.CONFIRMED)

    order.refresh_from_db()
    assert (order.status, order.prices_approved_by) == (Order.Status.CONFIRMED, dora)


def test_an_order_within_the_rule_is_confirmed_by_the_kam(alice, tier_a, cable):
    order = _order(alice, tier_a, cable, "90.00")  # 10 % off, tier A may have 15 %

    services.order_move(actor=alice, order=order, to_status=Order.Status.CONFIRMED)

    order.refresh_from_db()
    assert (order.status, order.prices_approved_by) == (Order.Status.CONFIRMED, None)


def test_an_order_at_an_accepted_offers_prices_is_confirmed_by_the_kam(
    alice, dora, deal, cable, tier_a
):
    offer = _offer(alice, deal, cable, discount="30")
    services.offer_submit(actor=alice, offer=offer)
    services.offer_approve(
        actor=dora, offer=offer, revision=Offer.objects.get(pk=offer.pk).revision
    )
    services.offer_send(actor=alice, offer=offer)
    services.offer_mark_accepted(actor=alice, offer=offer)
    at_offer, below_offer = (
        _order(alice, tier_a, cable, "70.00"),
        _order(alice, tier_a, cable, "69"),
    )

    services.order_move(actor=alice, order=at_offer, to_status=Order.Status.CONFIRMED)
    with pytest.raises(ValidationError, match="no accepted offer gave them"):
        services.order_move(actor=alice, order=below_offer, to_status=Order.Status.CONFIRMED)

    assert Order.objects.get(pk=at_offer.pk).status == Order.Status.CONFIRMED


def test_the_api_refuses_a_kams_order_below_the_rule_with_the_reason(api_as, alice, tier_a, cable):
    order = _order(alice, tier_a, cable, "0.00")

    response = api_as("alice").post(
        f"/api/v1/orders/{order.pk}/status/", {"status": "confirmed"}, format="json"
    )

    assert response.status_code == 400
    assert "discount rule" in response.json()["non_field_errors"][0]
