"""My settings: time zone, reminder delivery; the time zone is used on every page."""

import pytest
from django.urls import reverse

URL = reverse("activities:settings")


def test_a_user_sets_their_time_zone_and_reminder_delivery(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"time_zone": "America/New_York", "reminder_delivery": "email"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.time_zone, alice.reminder_delivery) == ("America/New_York", "email")


@pytest.mark.parametrize(
    "data",
    [
        {"time_zone": "Mars/Olympus", "reminder_delivery": "email"},
        {"time_zone": "../../etc/passwd", "reminder_delivery": "email"},
        {"time_zone": "Europe/Warsaw", "reminder_delivery": "pigeon"},
        {},
    ],
)
def test_bad_settings_are_refused_with_the_form_kept(client, alice, data):
    client.force_login(alice)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    alice.refresh_from_db()
    assert (alice.time_zone, alice.reminder_delivery) == ("Europe/Warsaw", "digest")


def test_the_feed_section_creates_and_shows_a_private_address(client, alice):
    client.force_login(alice)
    assert "Create my calendar address" in client.get(URL).content.decode()
    response = client.post(reverse("activities:calendar_regenerate"), follow=True)
    page = response.content.decode()
    token = alice.calendar_feed.token
    assert f"/activities/calendar/{alice.pk}/{token}.ics" in page
    assert len(token) >= 40


def test_finance_has_no_calendar_feed(client, fiona):
    client.force_login(fiona)
    assert "Calendar feed" not in client.get(URL).content.decode()
    assert client.post(reverse("activities:calendar_regenerate")).status_code == 403
