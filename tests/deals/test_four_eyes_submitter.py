"""Four eyes: whoever submitted an offer for approval never approves it. A director who
submits a KAM's offer (written by the KAM) cannot then approve it, on the page, the API or the
queue; the director or admin above does. The DIRECTORS_MAY_APPROVE_OWN_OFFERS setting is about
offers a director wrote, so it does not open this gap."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from deals import services
from deals.models import Deal, Offer
from tests.deals.factories import DealFactory, DiscountLimitFactory, ProductFactory


@pytest.fixture
def submitted_by_dora(alice, dora, alice_account):
    cable = ProductFactory(list_price=D("100.00"), unit_cost=D("60.00"))
    DiscountLimitFactory(category=cable.category, tier=alice_account.tier, max_discount=D("15"))
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    offer = services.offer_create(actor=alice, deal=deal)  # written by the KAM
    services.offer_line_add(
        actor=alice, offer=offer, product=cable, quantity=D("10"), discount=D("30")
    )
    services.offer_submit(actor=dora, offer=Offer.objects.get(pk=offer.pk))  # submitted by dora
    return Offer.objects.get(pk=offer.pk)


def test_the_submitter_is_recorded_and_cannot_approve(submitted_by_dora, dora, adam):
    offer = submitted_by_dora
    assert offer.submitted_by == dora
    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=dora, offer=offer, revision=offer.revision)
    services.offer_approve(actor=adam, offer=offer, revision=offer.revision)
    assert Offer.objects.get(pk=offer.pk).decided_by == adam


def test_the_setting_for_own_offers_does_not_let_the_submitter_approve(
    settings, submitted_by_dora, dora
):
    settings.DIRECTORS_MAY_APPROVE_OWN_OFFERS = True
    offer = submitted_by_dora
    with pytest.raises(PermissionDenied):
        services.offer_approve(actor=dora, offer=offer, revision=offer.revision)


def test_the_submitter_has_no_approve_in_the_queue_or_the_api(
    client, api_as, submitted_by_dora, dora
):
    offer = submitted_by_dora
    client.force_login(dora)
    assert offer.number not in client.get("/offers/approvals/").content.decode()
    answer = api_as("dora").post(
        f"/api/v1/offers/{offer.pk}/approve/", {"revision": offer.revision}, format="json"
    )
    assert answer.status_code == 403
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING_APPROVAL


def test_withdrawing_forgets_the_submitter(submitted_by_dora, alice, dora):
    offer = services.offer_withdraw(actor=alice, offer=submitted_by_dora)
    assert offer.submitted_by is None
    services.offer_submit(actor=alice, offer=Offer.objects.get(pk=offer.pk))
    offer = Offer.objects.get(pk=offer.pk)
    assert offer.submitted_by == alice
    services.offer_approve(actor=dora, offer=offer, revision=offer.revision)
    assert Offer.objects.get(pk=offer.pk).decided_by == dora
