"""The today view: today's visits and calls, what is overdue, and the accounts to call."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from tests.activities.conftest import MONDAY, NOW, TODAY, local
from tests.factories import AccountFactory, ActivityFactory

URL = reverse("activities:today")


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def test_today_lists_todays_activities_in_order_with_overdue_and_assigned_tasks(
    client, frozen, alice, dora, alice_account, bob_account
):
    later = ActivityFactory(account=alice_account, starts_at=local(TODAY, 15), type="call")
    earlier = ActivityFactory(account=alice_account, starts_at=local(TODAY, 8))
    done = ActivityFactory(account=alice_account, starts_at=local(TODAY, 7), status="done")
    overdue = ActivityFactory(account=alice_account, starts_at=local(MONDAY, 9), type="task")
    ActivityFactory(account=alice_account, starts_at=local(MONDAY, 10), status="done")
    task = ActivityFactory(
        account=bob_account, owner=alice, assigned_by=dora, type="task", starts_at=local(TODAY, 12)
    )
    ActivityFactory(account=bob_account, starts_at=local(TODAY, 9))  # bob's, not alice's
    client.force_login(alice)

    view = client.get(URL).context["view"]

    assert view.today == TODAY
    assert view.activities == [done, earlier, task, later]
    assert view.overdue == [overdue]


def test_accounts_to_call_are_the_kams_own_most_overdue_first(client, frozen, alice, bob):
    def account(owner, name, days_ago):
        acc = AccountFactory(owner=owner, name=name, tier="A")
        ActivityFactory(
            account=acc, status="done", type="call", starts_at=NOW - timedelta(days=days_ago)
        )
        return acc

    older = account(alice, "Older", 40)
    old = account(alice, "Old", 20)
    account(alice, "Recent", 3)
    account(bob, "Bobs", 40)
    client.force_login(alice)

    response = client.get(URL)

    assert response.context["view"].accounts_to_call == [older, old]
    assert reverse("activities:log", args=[older.pk]) in response.content.decode()


def test_the_follow_up_logged_today_shows_up_today(client, frozen, alice, alice_account):
    client.force_login(alice)
    client.post(
        reverse("activities:log", args=[alice_account.pk]),
        {
            "type": "call",
            "starts_at_0": "2026-03-03",
            "starts_at_1": "16:00",
            "duration_minutes": 20,
            "outcome": "Agreed to a tasting.",
            "next_step": "Book the tasting",
            "next_step_due": "2026-03-04",
            "next_step_type": "task",
        },
    )
    page = client.get(URL).content.decode()
    assert "Book the tasting" in page


@pytest.mark.parametrize("n", [2, 5])
def test_today_query_count_does_not_grow(client, frozen, alice, dora, django_assert_num_queries, n):
    for i in range(n):
        account = AccountFactory(owner=alice, tier="A")
        ActivityFactory(account=account, starts_at=local(TODAY, 8 + i))
        ActivityFactory(
            account=account, starts_at=local(MONDAY, 8 + i), assigned_by=dora, type="task"
        )
        ActivityFactory(account=account, status="done", starts_at=NOW - timedelta(days=30))
    client.force_login(alice)
    # session, user, today's activities (with assigner and source), the overdue ones,
    # the cadence per tier, the accounts to call, the bell's count
    with django_assert_num_queries(7):
        view = client.get(URL).context["view"]
    assert (len(view.activities), len(view.overdue), len(view.accounts_to_call)) == (n, n, n)
