"""A hold the KAM asks for waits for finance, who approves or refuses it; an approved hold
keeps the invoice out of dunning until its date and then expires by itself."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Notification
from activities.services import reminders_create
from receivables import services
from receivables.models import CollectionAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(alice, alice_account, issue):
    today = timezone.localdate()
    invoice = issue(
        alice_account, "500.00", issued=today - timedelta(days=40), due=today - timedelta(days=20)
    )
    hold = services.collection_action_log(
        actor=alice,
        account=alice_account,
        invoice=invoice,
        kind="hold",
        happened_on=today,
        hold_until=today + timedelta(days=14),
        note="Client's board signs on the 10th.",
    )
    return hold


def test_a_kams_hold_waits_for_finance_and_does_not_stop_dunning_yet(asked):
    assert asked.hold_state == "requested"
    asked.invoice.refresh_from_db()
    assert asked.invoice.hold_until is None


def test_finance_approves_the_hold_and_dunning_leaves_the_invoice_alone_until_then(
    fiona, asked, adam
):
    services.collection_hold_decide(actor=fiona, action=asked, approve=True)

    asked.refresh_from_db()
    asked.invoice.refresh_from_db()
    assert asked.hold_state == "approved" and asked.invoice.hold_until == asked.hold_until
    today = timezone.localdate()
    assert services.dunning_run(today=today)["moved"] == 0
    # After the date, the hold has expired by itself: the invoice is chased again.
    assert services.dunning_run(today=asked.hold_until + timedelta(days=1))["moved"] == 1


def test_finance_refuses_the_hold(fiona, asked):
    services.collection_hold_decide(actor=fiona, action=asked, approve=False)

    asked.refresh_from_db()
    asked.invoice.refresh_from_db()
    assert asked.hold_state == "refused" and asked.invoice.hold_until is None


def test_a_hold_is_decided_once(fiona, asked):
    services.collection_hold_decide(actor=fiona, action=asked, approve=False)
    with pytest.raises(ValidationError):
        services.collection_hold_decide(actor=fiona, action=asked, approve=True)


def test_the_kam_or_the_director_cannot_approve_a_hold(alice, dora, asked):
    for user in (alice, dora):
        with pytest.raises(PermissionDenied):
            services.collection_hold_decide(actor=user, action=asked, approve=True)


def test_finance_is_reminded_of_a_hold_waiting(fiona, alice, asked):
    reminders_create(now=timezone.now())

    assert Notification.objects.filter(recipient=fiona, kind="hold_requested").count() == 1
    assert not Notification.objects.filter(recipient=alice, kind="hold_requested").exists()


def test_finance_decides_from_the_credit_page_and_the_invoice_page(client, fiona, asked):
    client.force_login(fiona)
    url = reverse("receivables:hold_decide", args=[asked.pk, "approve"])

    assert url in client.get(reverse("receivables:credit_list")).content.decode()
    assert (
        url
        in client.get(
            reverse("receivables:invoice_detail", args=[asked.invoice_id])
        ).content.decode()
    )
    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    assert CollectionAction.objects.get(pk=asked.pk).hold_state == "approved"


def test_a_kam_posting_the_decision_is_refused_with_a_message(client, alice, asked):
    client.force_login(alice)

    response = client.post(reverse("receivables:hold_decide", args=[asked.pk, "approve"]))

    assert response.status_code == 403
    assert CollectionAction.objects.get(pk=asked.pk).hold_state == "requested"


def test_an_outsider_gets_a_404(client, charlie, asked):
    client.force_login(charlie)

    assert (
        client.post(reverse("receivables:hold_decide", args=[asked.pk, "approve"])).status_code
        == 404
    )
    assert (
        client.post(reverse("receivables:hold_decide", args=[asked.pk, "maybe"])).status_code == 404
    )
