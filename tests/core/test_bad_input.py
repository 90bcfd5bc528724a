"""Input found by fuzzing that used to answer 500: each is a 400 with a message, guarded once
for every endpoint (the JSON parser and renderer, the filter base class, the date-time widget)."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/dossier-notes/"
ACTIVITIES = "/api/v1/activities/"


def _post_raw(client, url, body: str):
    return client.post(url, body.encode("utf-8", "surrogatepass"), content_type="application/json")


@pytest.mark.parametrize(
    ("url", "field"), [(NOTES, "source"), (ACTIVITIES, "type"), (ACTIVITIES, "status")]
)
def test_a_lone_surrogate_in_a_choice_field_is_a_400(api_as, alice_account, url, field):
    body = json.dumps({"account": alice_account.pk, "text": "x", field: "\ud800"})

    response = _post_raw(api_as("alice"), url, body)

    assert response.status_code == 400
    assert "valid Unicode" in response.json()["detail"]


@pytest.mark.parametrize("url", [NOTES, ACTIVITIES])
def test_a_number_beyond_a_float_in_a_foreign_key_is_a_400(api_as, url):
    response = _post_raw(api_as("alice"), url, '{"account": 1e309, "noted_on": "2026-01-15"}')

    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


def test_json_nested_deeper_than_the_stack_is_a_400(api_as):
    depth = 100_000
    response = _post_raw(api_as("alice"), NOTES, "[" * depth + "]" * depth)

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("name", ["amount_min", "amount_max"])
def test_an_amount_filter_no_column_can_hold_is_a_400_on_the_api(api_as, name):
    response = api_as("alice").get("/api/v1/deals/", {name: "-1e131073"})

    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("name", ["amount_min", "amount_max"])
def test_an_amount_filter_no_column_can_hold_does_not_break_the_deals_page(client, alice, name):
    client.force_login(alice)

    response = client.get(reverse("deals:deal_list"), {name: "-1e131073"})

    assert response.status_code in (200, 400)
    assert "Enter a number of at most" in response.content.decode()  # in plain words


@pytest.mark.parametrize(
    ("page", "who"), [("activities:create", "alice"), ("activities:task_assign", "dora")]
)
@pytest.mark.parametrize("value", ["x", "2026-02-30T10:00", "2026-11-20T10:00", ""])
def test_any_starts_at_in_the_query_string_opens_the_form(client, request, page, who, value):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse(page), {"starts_at": value})

    assert response.status_code == 200
