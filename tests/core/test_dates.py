"""Dates a person enters are kept inside a sensible window everywhere, and a stored odd date
never breaks a page."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import DossierNote
from core.localtime import local_at, local_days_range, local_midnight
from tests.factories import DossierNoteFactory

YEAR_ONE = "0001-01-01"


def test_a_note_dated_year_one_is_refused_on_the_page_with_the_input_kept(
    client, alice, alice_account
):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:note_create", args=[alice_account.pk]),
        {"noted_on": YEAR_ONE, "source": "public_info", "text": "Typo in the year"},
    )

    assert response.status_code == 200
    assert "Choose a date between 1900 and 2999." in response.content.decode()
    assert "Typo in the year" in response.content.decode()
    assert not DossierNote.objects.exists()


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/dossier-notes/", "noted_on"), ("/api/v1/contacts/", "birthday")],
)
def test_the_api_refuses_a_date_outside_the_window_with_a_field_error(
    api_as, alice_account, url, field
):
    alice_api = api_as("alice")
    body = {
        "account": alice_account.pk,
        "noted_on": "2026-01-15",
        "text": "Heard",
        "first_name": "Ewa",
        "last_name": "Nowak",
        field: "9999-12-31",
    }
    response = alice_api.post(url, body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == ["Choose a date between 1900 and 2999."]


def test_the_account_page_shows_a_note_stored_with_year_one(client, alice, alice_account):
    DossierNoteFactory(account=alice_account, author=alice, noted_on=date(1, 1, 1))
    client.force_login(alice)

    response = client.get(reverse("accounts:detail", args=[alice_account.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("day", [date.min, date.max])
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_local_time_helpers_never_raise_on_the_ends_of_the_calendar(day, zone):
    zone = ZoneInfo(zone)
    local_midnight(day, zone)
    local_days_range(day, 7, zone)
    local_at(day, 23, zone)
