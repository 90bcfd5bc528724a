"""/api/v1/activities/ and /api/v1/notifications/: scope, filters, bad input, query budgets."""

from datetime import timedelta

import pytest

from activities.models import Activity, Notification
from tests.activities.conftest import MONDAY, local
from tests.factories import AccountFactory, ActivityFactory, ContactFactory, NotificationFactory

API = "/api/v1/activities/"
PERSONAS = ["alice", "bob", "charlie", "dora", "sam", "fiona", "adam"]
# What each persona lists of visits A (alice's), B (bob's) and C (charlie's).
LISTED = {
    "alice": {"A"},
    "bob": {"B"},
    "charlie": {"C"},
    "dora": {"A", "B"},
    "sam": {"C"},
    "fiona": set(),
    "adam": {"A", "B", "C"},
}
# Status for alice's visit: read, then write.
ON_A = {
    "alice": (200, 200),
    "bob": (404, 404),
    "charlie": (404, 404),
    "dora": (200, 200),
    "sam": (404, 404),
    "fiona": (404, 404),
    "adam": (200, 200),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_list_shows_only_activities_in_scope(api_as, visits, name):
    ids = {row["id"] for row in api_as(name).get(API).json()["results"]}
    assert ids == {visits[key].pk for key in LISTED[name]}


@pytest.mark.parametrize("name", PERSONAS)
def test_retrieve_patch_complete_and_cancel_follow_the_role_matrix(api_as, visits, name):
    client = api_as(name)
    visit = visits["A"]
    read, write = ON_A[name]
    assert client.get(f"{API}{visit.pk}/").status_code == read
    assert client.patch(f"{API}{visit.pk}/", {"place": "Moved"}, format="json").status_code == write
    done = client.post(f"{API}{visit.pk}/complete/", {"outcome": "OK"}, format="json")
    assert done.status_code == write
    visit.refresh_from_db()
    assert (visit.status == "done") == (write == 200)


def test_a_kam_gets_403_on_their_directors_visit_on_their_account(api_as, dora, alice_account):
    visit = ActivityFactory(account=alice_account, owner=dora)
    client = api_as("alice")
    assert client.get(f"{API}{visit.pk}/").status_code == 200
    assert client.post(f"{API}{visit.pk}/cancel/").status_code == 403


def test_a_kam_plans_through_the_api_with_contacts(api_as, alice, alice_account):
    contact = ContactFactory(account=alice_account)
    response = api_as("alice").post(
        API,
        {
            "type": "call",
            "account": alice_account.pk,
            "contacts": [contact.pk],
            "starts_at": "2026-03-05T09:00:00+01:00",
            "duration_minutes": 30,
            "purpose": "Prices",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner"], body["status"], body["contacts"]) == (alice.pk, "planned", [contact.pk])
    assert body["starts_at"].startswith("2026-03-05T09:00:00+01:00")


def test_completing_with_a_next_step_creates_the_follow_up(api_as, visits):
    response = api_as("alice").post(
        f"{API}{visits['A'].pk}/complete/",
        {"outcome": "Wants samples", "next_step": "Send samples", "next_step_due": "2026-03-06"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert Activity.objects.get(follow_up_of=visits["A"]).purpose == "Send samples"


BAD_INPUT = [
    ({"type": "dance"}, "type"),
    ({"account": 999999}, "account"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": 99999}, "duration_minutes"),
    ({"contacts": ["x"]}, "contacts"),
    ({"owner": "bob"}, "owner"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
def test_bad_input_is_a_400_naming_the_field(api_as, alice_account, bob, change, field):
    data = {
        "type": "visit",
        "account": alice_account.pk,
        "starts_at": "2026-03-05T09:00:00Z",
        **change,
    }
    if change.get("owner") == "bob":
        data["owner"] = bob.pk
    response = api_as("alice").post(API, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_account_outside_scope_answers_like_an_unknown_one(api_as, alice_account, bob_account):
    def plan(account_id):
        return api_as("alice").post(
            API,
            {"type": "visit", "account": account_id, "starts_at": "2026-03-05T09:00:00Z"},
            format="json",
        )

    outside, missing = plan(bob_account.pk), plan(999999)
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["account"] == [f'Invalid pk "{bob_account.pk}" - object does not exist.']
    assert missing.json()["account"] == ['Invalid pk "999999" - object does not exist.']


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"outcome": ""},
        {"outcome": "ok", "next_step": "x"},
        {"outcome": "ok", "next_step_due": "soon"},
    ],
)
def test_bad_completion_is_a_400(api_as, visits, payload):
    response = api_as("alice").post(f"{API}{visits['A'].pk}/complete/", payload, format="json")
    assert response.status_code == 400


def test_the_api_refuses_to_plan_a_visit_in_the_year_9999(api_as, alice_account):
    response = api_as("alice").post(
        API,
        {"type": "visit", "account": alice_account.pk, "starts_at": "9999-12-30T10:00:00Z"},
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
    assert not Activity.objects.exists()


def test_the_api_refuses_to_move_a_visit_to_the_year_1(api_as, visits):
    response = api_as("alice").patch(
        f"{API}{visits['A'].pk}/", {"starts_at": "0001-01-02T10:00:00Z"}, format="json"
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
    before = visits["A"].starts_at
    visits["A"].refresh_from_db()
    assert visits["A"].starts_at == before


def test_the_api_refuses_a_next_step_due_in_the_year_9999(api_as, visits):
    response = api_as("alice").post(
        f"{API}{visits['A'].pk}/complete/",
        {"outcome": "Went well.", "next_step": "Call back", "next_step_due": "9999-12-31"},
        format="json",
    )

    assert response.status_code == 400
    assert "next_step_due" in response.json()
    assert not Activity.objects.filter(follow_up_of=visits["A"]).exists()


def test_an_activity_keeps_its_account(api_as, visits, alice):
    other = AccountFactory(owner=alice)
    response = api_as("alice").patch(
        f"{API}{visits['A'].pk}/", {"account": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "account" in response.json()


def test_completing_twice_is_a_400(api_as, visits):
    client = api_as("alice")
    client.post(f"{API}{visits['A'].pk}/complete/", {"outcome": "ok"}, format="json")
    response = client.post(f"{API}{visits['A'].pk}/complete/", {"outcome": "again"}, format="json")
    assert response.status_code == 400


# Filters: each one test.


@pytest.fixture
def mixed(alice, alice_account, bob_account):
    other = AccountFactory(owner=alice, name="Other")
    return {
        "visit": ActivityFactory(account=alice_account, type="visit", starts_at=local(MONDAY, 9)),
        "call": ActivityFactory(
            account=alice_account,
            type="call",
            status="done",
            starts_at=local(MONDAY + timedelta(days=2), 9),
        ),
        "other": ActivityFactory(
            account=other,
            type="visit",
            status="cancelled",
            starts_at=local(MONDAY + timedelta(days=9), 23, 30),
        ),
        "bobs": ActivityFactory(account=bob_account, type="call", starts_at=local(MONDAY, 9)),
    }


def _ids(api_as, params, persona="dora"):
    response = api_as(persona).get(API, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_filter_by_owner(api_as, mixed, bob):
    assert _ids(api_as, {"owner": bob.pk}) == {mixed["bobs"].pk}


def test_filter_by_account(api_as, mixed):
    assert _ids(api_as, {"account": mixed["other"].account_id}) == {mixed["other"].pk}


def test_filter_by_type(api_as, mixed):
    assert _ids(api_as, {"type": "call"}) == {mixed["call"].pk, mixed["bobs"].pk}


def test_filter_by_status(api_as, mixed):
    assert _ids(api_as, {"status": ["done", "cancelled"]}) == {mixed["call"].pk, mixed["other"].pk}


def test_filter_by_date_range_in_the_users_time_zone(api_as, mixed):
    # 23:30 in Warsaw on 11 March is 22:30 UTC: still the 11th for a Warsaw user.
    assert _ids(api_as, {"date_from": "2026-03-04", "date_to": "2026-03-11"}) == {
        mixed["call"].pk,
        mixed["other"].pk,
    }
    assert _ids(api_as, {"date_to": "2026-03-02"}) == {mixed["visit"].pk, mixed["bobs"].pk}


def test_filtering_by_an_owner_outside_scope_finds_nothing(api_as, mixed, bob):
    assert _ids(api_as, {"owner": bob.pk}, persona="alice") == set()


@pytest.mark.parametrize(
    "params",
    [
        {"owner": "abc"},
        {"account": "1.5"},
        {"account": "9" * 30},
        {"type": "dance"},
        {"status": "gone"},
        {"date_from": "yesterday"},
        {"date_to": "2026-02-30"},
    ],
)
def test_garbage_filter_values_are_a_400_naming_the_filter(api_as, alice, params):
    response = api_as("alice").get(API, params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()


@pytest.mark.parametrize("params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}])
def test_dates_at_the_ends_of_the_calendar_are_a_400_naming_the_window(api_as, alice, params):
    response = api_as("alice").get(API, params)
    assert response.status_code == 400
    assert response.json()[next(iter(params))] == ["Choose a date between 1900 and 2999."]


@pytest.mark.parametrize("n", [2, 6])
def test_activity_list_query_count_is_fixed(api_as, dora, alice, bob, django_assert_num_queries, n):
    for i in range(n):
        account = AccountFactory(owner=(alice, bob)[i % 2])
        contacts = ContactFactory.create_batch(2, account=account)
        ActivityFactory(account=account).contacts.set(contacts)
    client = api_as("dora")
    # session, user, count, activities with account and owner, their contacts
    with django_assert_num_queries(5):
        response = client.get(API)
    assert len(response.json()["results"]) == n


# Notifications


def test_notifications_list_only_mine_and_filter_unread(api_as, alice, bob):
    unread = NotificationFactory(recipient=alice)
    NotificationFactory(recipient=alice, read_at="2026-03-01T10:00Z")
    NotificationFactory(recipient=bob)
    client = api_as("alice")
    assert len(client.get("/api/v1/notifications/").json()["results"]) == 2
    rows = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [unread.pk]
    assert client.get("/api/v1/notifications/", {"unread": "perhaps"}).status_code == 400


def test_marking_read_is_for_the_recipient_only(api_as, alice):
    notification = NotificationFactory(recipient=alice)
    assert api_as("bob").post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    assert api_as("bob").get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
    response = api_as("alice").post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]


def test_read_all_marks_mine_only(api_as, alice, bob):
    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=bob)
    assert api_as("alice").post("/api/v1/notifications/read-all/").json() == {"marked_read": 2}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("n", [2, 6])
def test_notification_list_query_count_is_fixed(api_as, alice, django_assert_num_queries, n):
    NotificationFactory.create_batch(n, recipient=alice)
    client = api_as("alice")
    # session, user, count, notifications
    with django_assert_num_queries(4):
        client.get("/api/v1/notifications/")


def test_the_schema_lists_the_new_endpoints(api_as):
    paths = (
        api_as("alice")
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()["paths"]
    )
    for path in (
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/activities/{id}/complete/",
        "/api/v1/activities/{id}/cancel/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
    ):
        assert path in paths
