"""The private iCalendar feed: valid RFC 5545, read back with the icalendar library."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activities import services
from tests.factories import ActivityFactory


@pytest.fixture
def feed(alice):
    return services.calendar_token_regenerate(user=alice)


def _url(feed, token=None):
    return reverse("activities:calendar_feed", args=[feed.user_id, token or feed.token])


def test_the_feed_holds_the_users_own_activities_and_parses_back(
    client, feed, alice, dora, alice_account, bob_account
):
    now = timezone.now().replace(microsecond=0)
    visit = ActivityFactory(
        account=alice_account,
        starts_at=now + timedelta(days=2),
        duration_minutes=90,
        place="Gdańsk",
        purpose="Tasting",
    )
    done = ActivityFactory(
        account=alice_account, starts_at=now - timedelta(days=3), status="done", outcome="Ordered."
    )
    ActivityFactory(account=alice_account, starts_at=now + timedelta(days=1), status="cancelled")
    ActivityFactory(account=alice_account, owner=dora, starts_at=now + timedelta(days=1))
    ActivityFactory(account=bob_account, starts_at=now + timedelta(days=1))
    ActivityFactory(account=alice_account, starts_at=now + timedelta(days=400))

    response = client.get(_url(feed))  # no login: calendar apps cannot log in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and "KAM CRM" in str(calendar["PRODID"])
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"activity-{visit.pk}@127.0.0.1:8000",
        f"activity-{done.pk}@127.0.0.1:8000",
    }
    event = events[f"activity-{visit.pk}@127.0.0.1:8000"]
    assert event.decoded("DTSTART") == visit.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Visit: Alpha Foods"
    assert str(event["LOCATION"]) == "Gdańsk"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Outcome: Ordered." in str(events[f"activity-{done.pk}@127.0.0.1:8000"]["DESCRIPTION"])
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "abc.def"])
def test_a_wrong_token_is_a_404(client, feed, token):
    assert client.get(_url(feed, token)).status_code == 404


def test_an_unknown_user_is_a_404(client, db):
    assert client.get(reverse("activities:calendar_feed", args=[999, "abc"])).status_code == 404


def test_a_calendar_feed_with_an_out_of_range_id_is_not_found(client, db):
    response = client.get(reverse("activities:calendar_feed", args=[10**23, "x"]))

    assert response.status_code == 404


def test_regenerating_the_token_retires_the_old_address(client, feed, alice):
    old = _url(feed)
    new = services.calendar_token_regenerate(user=alice)
    assert client.get(old).status_code == 404
    assert client.get(_url(new)).status_code == 200


def test_a_deactivated_users_feed_is_gone(client, feed, alice):
    alice.is_active = False
    alice.save()
    assert client.get(_url(feed)).status_code == 404


def test_the_feed_answers_only_get(client, feed):
    assert client.post(_url(feed)).status_code == 405
