"""The director's team week: planned against done visits and calls per KAM; assigning tasks."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from activities.models import Activity, Notification
from tests.activities.conftest import MONDAY, local
from tests.factories import ActivityFactory

URL = reverse("activities:summary")


def test_summary_counts_planned_and_done_visits_and_calls_per_kam_of_the_week(
    client, dora, alice, bob, charlie, alice_account, bob_account, charlie_account
):
    def add(account, kind, status, day=MONDAY):
        ActivityFactory(account=account, type=kind, status=status, starts_at=local(day, 10))

    add(alice_account, "visit", "done")
    add(alice_account, "visit", "planned")
    add(alice_account, "visit", "cancelled")
    add(alice_account, "call", "done")
    add(alice_account, "call", "missed")
    add(alice_account, "visit", "done", day=MONDAY + timedelta(days=7))  # next week
    add(bob_account, "task", "done")
    add(charlie_account, "visit", "done")
    client.force_login(dora)

    rows = {
        kam.username: (kam.visits_planned, kam.visits_done, kam.calls_planned, kam.calls_done)
        for kam in client.get(URL, {"week": "2026-03-04"}).context["rows"]
    }

    assert rows == {"alice": (2, 1, 2, 1), "bob": (0, 0, 0, 0)}


def test_summary_query_count_is_fixed(
    client, dora, alice, bob, alice_account, django_assert_num_queries
):
    for i in range(4):
        ActivityFactory(account=alice_account, status="done", starts_at=local(MONDAY, 9 + i))
    client.force_login(dora)
    # session, user, the KAMs with their counts, the bell, the menu's approvals count
    with django_assert_num_queries(5):
        client.get(URL, {"week": MONDAY})


def test_a_director_assigns_a_task_that_lands_in_the_kams_planner(
    client, dora, alice, alice_account
):
    client.force_login(dora)
    response = client.post(
        reverse("activities:task_assign"),
        {
            "owner": alice.pk,
            "account": alice_account.pk,
            "starts_at_0": "2026-03-05",
            "starts_at_1": "12:00",
            "purpose": "Check the promotion display",
        },
    )
    task = Activity.objects.get()
    assert response.status_code == 302
    assert f"owner={alice.pk}" in response["Location"] and "week=2026-03-02" in response["Location"]
    assert (task.owner, task.assigned_by, task.starts_at) == (
        alice,
        dora,
        local(date(2026, 3, 5), 12),
    )
    assert Notification.objects.get(recipient=alice).kind == "task_assigned"


@pytest.mark.parametrize(
    ("field", "value"), [("owner", "charlie"), ("account", "charlie_account"), ("purpose", "")]
)
def test_a_task_outside_the_directors_scope_or_without_a_purpose_is_refused(
    client, request, dora, alice, alice_account, field, value
):
    data = {
        "owner": alice.pk,
        "account": alice_account.pk,
        "starts_at_0": "2026-03-05",
        "starts_at_1": "12:00",
        "purpose": "Do it",
    }
    data[field] = request.getfixturevalue(value).pk if value else value
    client.force_login(dora)
    response = client.post(reverse("activities:task_assign"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Activity.objects.exists()
