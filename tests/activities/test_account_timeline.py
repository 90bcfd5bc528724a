"""The account timeline narrows to one kind (calls, visits, notes…) and pages ("Show older",
htmx, or the account page itself without script), at a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from activities.selectors import TIMELINE_PAGE
from tests.activities.conftest import local
from tests.factories import ActivityFactory, DossierNoteFactory


def endpoint(account, **params):
    return reverse("activities:account_timeline", args=[account.pk]), params


@pytest.fixture
def history(alice_account):
    """45 activities (a call every third day, else visits) and 5 notes, one a day."""
    start = date(2026, 1, 1)
    items = []
    for n in range(45):
        items.append(
            ActivityFactory(
                account=alice_account,
                type="call" if n % 3 == 0 else "visit",
                status="done",
                purpose=f"Activity {n}",
                starts_at=local(start + timedelta(days=n), 10),
            )
        )
    for n in range(5):
        DossierNoteFactory(
            account=alice_account, noted_on=start + timedelta(days=45 + n), text=f"Note {n}"
        )
    return items


def texts(entries):
    return [e.activity.purpose if e.activity else e.note.text for e in entries]


def fetch(client, account, **params):
    url, query = endpoint(account, **params)
    response = client.get(url, query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response


def test_the_account_page_shows_the_newest_page_and_a_way_to_older(
    client, alice, alice_account, history
):
    client.force_login(alice)
    response = client.get(reverse("accounts:detail", args=[alice_account.pk]))
    page = response.content.decode()
    assert "Note 4" in page and "Activity 30" in page
    assert "Activity 29" not in page  # the 21st newest: on the next page
    assert "Show older" in page and "timeline_page=2" in page


def test_show_older_brings_the_next_entries_without_overlap(client, alice, alice_account, history):
    client.force_login(alice)
    seen = []
    for number in (1, 2, 3):
        response = fetch(client, alice_account, timeline_page=number)
        timeline = response.context["timeline"]
        seen += texts(timeline.entries)
        assert timeline.has_more == (number < 3)
    expected = [f"Note {n}" for n in range(4, -1, -1)] + [
        f"Activity {n}" for n in range(44, -1, -1)
    ]
    assert seen == expected
    assert "Show older" not in response.content.decode()  # the last page


def test_the_timeline_narrows_to_one_kind(client, alice, alice_account, history):
    client.force_login(alice)
    calls = fetch(client, alice_account, timeline="call").context["timeline"]
    assert texts(calls.entries) == [f"Activity {n}" for n in range(42, -1, -3)]
    assert not calls.has_more
    notes = fetch(client, alice_account, timeline="note").context["timeline"]
    assert texts(notes.entries) == [f"Note {n}" for n in range(4, -1, -1)]
    nothing = fetch(client, alice_account, timeline="email")
    assert "Nothing of this kind yet." in nothing.content.decode()
    # Without script: the account page's own filter, the pages up to the one asked for.
    response = client.get(
        reverse("accounts:detail", args=[alice_account.pk]),
        {"timeline": "call", "timeline_page": 1},
    )
    activity = next(p for p in response.context["panels"] if p.template.startswith("activities/"))
    assert len(activity.context["activity"].timeline) == 15
    assert 'value="call" selected' in response.content.decode()


def test_the_account_page_without_script_shows_every_page_up_to_the_one_asked(
    client, alice, alice_account, history
):
    client.force_login(alice)
    response = client.get(reverse("accounts:detail", args=[alice_account.pk]), {"timeline_page": 2})
    (panel,) = [p for p in response.context["panels"] if p.template.startswith("activities/")]
    assert len(panel.context["activity"].timeline) == 2 * TIMELINE_PAGE


@pytest.mark.parametrize(
    "params",
    [
        {"timeline": "nonsense"},
        {"timeline_page": "abc"},
        {"timeline_page": "0"},
        {"timeline_page": "99999999999999999999"},
        {"timeline_page": "-3"},
    ],
)
def test_odd_parameters_read_as_the_start(client, alice, alice_account, history, params):
    client.force_login(alice)
    timeline = fetch(client, alice_account, **params).context["timeline"]
    assert timeline.query.page == 1
    assert len(timeline.entries) == TIMELINE_PAGE


def test_the_timeline_keeps_to_the_users_scope(client, bob, fiona, alice_account, history):
    url, _ = endpoint(alice_account)
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(fiona)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("extra", [0, 40])
def test_a_page_of_the_timeline_costs_the_same_queries(
    client, alice, alice_account, history, django_assert_num_queries, extra
):
    for n in range(extra):
        ActivityFactory(
            account=alice_account, starts_at=local(date(2025, 1, 1), 9) - timedelta(days=n)
        )
    client.force_login(alice)
    url, _ = endpoint(alice_account)
    # session, user, account, activities of the page with account and owner, their contacts,
    # notes with authors
    with django_assert_num_queries(6):
        client.get(url, {"timeline_page": 2})
