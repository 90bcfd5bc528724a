"""Activities' status moves leave a history row (who, when, from which status), as deals,
offers, contracts and orders do: completing, cancelling, marking missed."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import Activity
from tests.activities.conftest import MONDAY, local


@pytest.fixture
def visit(alice, alice_account):
    return services.activity_plan(
        actor=alice,
        account=alice_account,
        owner=alice,
        type=Activity.Type.VISIT,
        starts_at=local(MONDAY, 9),
    )


def _trail(activity):
    return [(h.status, h.history_user) for h in activity.history.order_by("history_id")]


def test_completing_writes_a_history_row_with_who_did_it(alice, dora, visit):
    services.activity_complete(actor=dora, activity=visit, outcome="Signed the annex.")
    trail = _trail(visit)
    assert [status for status, _ in trail] == ["planned", "done"]
    assert trail[-1] == ("done", dora)
    assert visit.history.first().outcome == "Signed the annex."


@pytest.mark.parametrize(
    ("move", "status"),
    [(services.activity_cancel, "cancelled"), (services.activity_mark_missed, "missed")],
)
def test_cancelling_or_missing_writes_a_history_row(alice, visit, move, status):
    move(actor=alice, activity=visit)
    assert _trail(visit)[-1] == (status, alice)
    assert visit.history.first().prev_record.status == "planned"


def test_the_activity_page_shows_its_trail_who_when_from_and_to(client, alice, dora, visit):
    services.activity_reschedule(
        actor=alice, activity=visit, starts_at=local(MONDAY, 11), duration_minutes=60
    )
    services.activity_mark_missed(actor=alice, activity=visit)
    services.activity_complete(actor=dora, activity=visit, outcome="Came a day later.")
    client.force_login(alice)
    page = client.get(reverse("activities:detail", args=[visit.pk])).content.decode()
    history = page[page.index('id="history"') :]
    assert history.index(str(dora)) < history.index(str(alice))  # newest first
    assert "<del>Missed</del> → Done" in history
    assert "<del>Planned</del> → Missed" in history
    assert history.count("· changed") == 3 and "· created" in history
    # a time as the pages show it, in the user's zone, not "09:00:00+00:00"
    assert f"{MONDAY:%-d %b %Y} 09:00</del> → {MONDAY:%-d %b %Y} 11:00" in history


def test_the_activity_page_reads_its_trail_in_one_query(
    client, alice, visit, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("activities:detail", args=[visit.pk])
    client.get(url)
    # session, user, the activity, follow-ups, the bell's count, the owner picker's users, its
    # contacts three times (the page, the outcome form's initial and choices) and the history
    # with its users in one query, however long the trail
    with django_assert_num_queries(10) as few:
        client.get(url)
    for _ in range(3):
        services.activity_reschedule(
            actor=alice, activity=visit, starts_at=visit.starts_at, duration_minutes=30
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
