"""The account trail: reassignments with the work handed over, territory and tier changes and
deletion each leave a row, shown on the account page, and say who owned an account when."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccountEvent
from accounts.selectors import account_owner_on
from tests.deals.factories import DealFactory
from tests.factories import ActivityFactory


def _trail(account_id):
    return [
        (e.kind, e.from_value, e.to_value, e.detail)
        for e in AccountEvent.objects.filter(account_id=account_id).order_by("pk")
    ]


def test_a_reassignment_leaves_a_row_with_the_work_handed_over(dora, alice, bob, alice_account):
    DealFactory.create_batch(2, account=alice_account, stage="negotiation")
    ActivityFactory(account=alice_account, owner=alice, status="planned")

    services.account_update(actor=dora, account=alice_account, data={"owner": bob})

    assert _trail(alice_account.pk) == [
        ("reassigned", str(alice), str(bob), ""),
        ("handed_over", "", "", "2 open deals"),
        ("handed_over", "", "", "1 planned activities"),
    ]
    event = AccountEvent.objects.filter(kind="reassigned").get()
    assert (event.actor, event.from_user, event.to_user) == (dora, alice, bob)


def test_territory_and_tier_changes_leave_a_row_each(dora, adam, charlie, alice_account, south):
    services.account_update(
        actor=dora, account=alice_account, data={"tier": "B", "name": "Renamed S.A."}
    )
    services.account_update(
        actor=adam, account=alice_account, data={"territory": south, "owner": charlie}
    )

    trail = [(kind, old, new) for kind, old, new, _ in _trail(alice_account.pk)]
    assert trail[0][0] == "tier_changed" and trail[0][1].startswith("A")
    assert trail[0][2].startswith("B")
    assert trail[1][0] == "reassigned"
    assert trail[-1] == ("territory_changed", "North", "South")
    assert len(trail) == 3


def test_the_trail_outlives_the_account_and_says_who_owned_it_when(dora, alice, bob, alice_account):
    account_id = alice_account.pk
    services.account_update(actor=dora, account=alice_account, data={"owner": bob})
    reassigned = AccountEvent.objects.get(kind="reassigned")
    reassigned.at = timezone.now() - timedelta(days=10)
    reassigned.save()

    services.account_delete(actor=dora, account=alice_account)

    today = timezone.localdate()
    assert _trail(account_id)[-1][0] == "deleted"
    assert AccountEvent.objects.filter(account_id=account_id).count() == 2
    assert account_owner_on(account_id=account_id, on=today - timedelta(days=20)) == alice.pk
    assert account_owner_on(account_id=account_id, on=today - timedelta(days=5)) == bob.pk
    assert account_owner_on(account_id=account_id, on=today) is None


def test_an_account_created_through_the_service_is_owned_from_that_day(dora, alice, north):
    account = services.account_create(
        actor=dora, data={"name": "New S.A.", "owner": alice, "territory": north}
    )
    today = timezone.localdate()
    assert account_owner_on(account_id=account.pk, on=today - timedelta(days=1)) is None
    assert account_owner_on(account_id=account.pk, on=today) == alice.pk


def test_an_account_with_no_trail_is_owned_by_its_owner(alice, alice_account):
    assert account_owner_on(account_id=alice_account.pk, on=timezone.localdate()) == alice.pk


@pytest.mark.parametrize("who", ["alice", "fiona"])
def test_the_account_page_shows_the_trail(client, request, dora, bob, alice_account, who):
    DealFactory(account=alice_account, stage="negotiation")
    services.account_update(actor=dora, account=alice_account, data={"owner": bob})
    client.force_login(request.getfixturevalue("dora" if who == "alice" else who))

    body = client.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()

    assert "Account trail" in body
    assert "1 open deals handed over" in body
    assert f"{bob}" in body
