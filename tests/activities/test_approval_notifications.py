"""The approval loop tells people: the director when an offer waits for them, the KAM when it
is approved or sent back (with the comment); each with a link to the offer."""

import pytest
from django.urls import reverse

from activities.models import Notification
from deals import services
from deals.models import Offer
from tests.deals.factories import DealFactory, DiscountLimitFactory, OfferLineFactory
from tests.factories import NotificationFactory


@pytest.fixture
def offer(alice_account):
    """A draft with a 30 % discount, above alice's 10 % limit: it needs dora's approval."""
    deal = DealFactory(account=alice_account, stage="offer", probability=40)
    offer = services.offer_create(actor=alice_account.owner, deal=deal)
    line = OfferLineFactory(offer=offer, discount=30)
    DiscountLimitFactory(category=line.product.category, tier="A", max_discount=10)
    return offer


def told(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_director_is_told_when_an_offer_waits(alice, dora, sam, offer):
    services.offer_submit(actor=alice, offer=offer)
    [notification] = told(dora)
    assert notification.kind == "offer_submitted"
    assert f"offer {offer.number}" in notification.title
    assert "discount" in notification.body.lower()
    assert notification.url == reverse("deals:offer_detail", args=[offer.pk])
    assert told(sam) == []
    assert told(alice) == []


def test_kam_is_told_of_the_approval(alice, dora, offer):
    services.offer_submit(actor=alice, offer=offer)
    seen = Offer.objects.get(pk=offer.pk)
    services.offer_approve(actor=dora, offer=seen, revision=seen.revision, comment="Fine.")
    [notification] = told(alice)
    assert notification.kind == "offer_approved"
    assert notification.body == "Fine."


def test_kam_is_told_why_it_was_sent_back_each_time(alice, dora, offer):
    for comment in ("Too deep a discount.", "Still too deep."):
        services.offer_submit(actor=alice, offer=Offer.objects.get(pk=offer.pk))
        seen = Offer.objects.get(pk=offer.pk)
        services.offer_send_back(actor=dora, offer=seen, revision=seen.revision, comment=comment)
    assert [(n.kind, n.body) for n in told(alice)] == [
        ("offer_rejected", "Too deep a discount."),
        ("offer_rejected", "Still too deep."),
    ]
    assert len(told(dora)) == 2  # told of both submissions, on the same day


def test_a_refused_step_tells_nobody(alice, dora, offer):
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        services.offer_approve(actor=dora, offer=offer, revision=offer.revision)
    assert told(alice) == [] and told(dora) == []


def test_notifications_page_filters_by_kind_and_read(client, alice):
    NotificationFactory(recipient=alice, kind="offer_approved", title="Approved one")
    NotificationFactory(recipient=alice, kind="task_assigned", title="A task")
    read = NotificationFactory(recipient=alice, kind="task_assigned", title="Old task")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(alice)
    url = reverse("activities:notifications")
    page = client.get(url).content.decode()
    assert "Offers approved" in page and "Tasks assigned to you" in page
    titles = [n.title for n in client.get(url, {"kind": "task_assigned"}).context["page"]]
    assert sorted(titles) == ["A task", "Old task"]
    unread = client.get(url, {"kind": "task_assigned", "unread": "true"}).context["page"]
    assert [n.title for n in unread] == ["A task"]


def test_notifications_page_refuses_post(client, alice):
    client.force_login(alice)
    assert client.post(reverse("activities:notifications")).status_code == 405
