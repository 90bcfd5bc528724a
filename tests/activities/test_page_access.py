"""Every activities page against every role: nothing leaks, nothing outside scope changes.

The subject is alice's planned visit on her account (`visits["A"]`). Activities are private
to sales: finance gets 403 on every activity page, whatever the id.
"""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.activities.conftest import MONDAY, local
from tests.factories import ActivityFactory, NotificationFactory

PERSONAS = ["alice", "bob", "charlie", "dora", "sam", "fiona", "adam"]
SALES = {"alice", "bob", "charlie", "dora", "sam", "adam"}
DIRECTORS = {"dora", "sam", "adam"}
# How each persona relates to alice's visit (and her account).
VISIT_STATUS = {"alice": 200, "bob": 404, "charlie": 404, "dora": 200, "sam": 404, "fiona": 403}
VISIT_STATUS["adam"] = 200


@pytest.fixture
def login(client, personas):
    def as_(name):
        client.force_login(personas[name])
        return client

    return as_


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize(
    "url_name",
    [
        "activities:list",
        "activities:planner",
        "activities:today",
        "activities:neglected",
        "activities:create",
    ],
)
def test_sales_pages_open_for_sales_and_not_for_finance(login, name, url_name):
    response = login(name).get(reverse(url_name))
    assert response.status_code == (200 if name in SALES else 403)


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("url_name", ["activities:summary", "activities:task_assign"])
def test_director_pages_open_for_directors_and_admins_only(login, name, url_name):
    response = login(name).get(reverse(url_name))
    assert response.status_code == (200 if name in DIRECTORS else 403)


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("url_name", ["activities:notifications", "activities:settings"])
def test_everyone_has_notifications_and_settings(login, name, url_name):
    assert login(name).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("name", PERSONAS)
def test_activity_page_is_visible_only_in_scope(login, visits, name):
    response = login(name).get(reverse("activities:detail", args=[visits["A"].pk]))
    assert response.status_code == VISIT_STATUS[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_logging_on_an_account_is_for_those_who_may_change_it(login, alice_account, name):
    response = login(name).get(reverse("activities:log", args=[alice_account.pk]))
    assert response.status_code == VISIT_STATUS[name]


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize(
    ("url_name", "data", "status_after"),
    [
        ("activities:cancel", {}, "cancelled"),
        ("activities:missed", {}, "missed"),
        ("activities:complete", {"outcome": "Met the buyer.", "next_step_type": "task"}, "done"),
        (
            "activities:reschedule",
            {"starts_at_0": "2026-03-03", "starts_at_1": "15:00", "duration_minutes": 45},
            "planned",
        ),
    ],
)
def test_activity_changes_are_made_only_by_those_who_may(
    login, visits, name, url_name, data, status_after
):
    visit = visits["A"]
    response = login(name).post(reverse(url_name, args=[visit.pk]), data)
    expected = VISIT_STATUS[name]
    assert response.status_code == (302 if expected == 200 else expected)
    visit.refresh_from_db()
    changed = (
        visit.status == status_after
        if url_name != "activities:reschedule"
        else (visit.duration_minutes == 45)
    )
    assert changed == (expected == 200)


def test_a_kam_sees_but_cannot_change_their_directors_visit_on_their_account(
    login, dora, alice_account
):
    visit = ActivityFactory(account=alice_account, owner=dora, starts_at=local(MONDAY, 9))
    client = login("alice")

    assert client.get(reverse("activities:detail", args=[visit.pk])).status_code == 200
    assert client.post(reverse("activities:cancel", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_a_kam_sees_and_does_the_task_their_director_assigned_on_a_teammates_account(
    login, alice, dora, bob_account
):
    task = ActivityFactory(
        account=bob_account, owner=alice, assigned_by=dora, type=Activity.Type.TASK
    )
    client = login("alice")

    assert client.get(reverse("activities:detail", args=[task.pk])).status_code == 200
    response = client.post(
        reverse("activities:complete", args=[task.pk]),
        {"outcome": "Done.", "next_step_type": "task"},
    )
    assert response.status_code == 302


def test_a_kam_with_a_task_on_another_account_does_not_see_its_contacts(
    client, alice, task_on_bobs_account, bobs_contact
):
    client.force_login(alice)

    page = client.get(reverse("activities:detail", args=[task_on_bobs_account.pk]))

    assert page.status_code == 200
    assert "Brenda Secret" not in page.content.decode()


def test_a_kam_cannot_link_a_contact_they_may_not_see_from_the_page(
    client, alice, task_on_bobs_account, bobs_contact
):
    client.force_login(alice)

    response = client.post(
        reverse("activities:complete", args=[task_on_bobs_account.pk]),
        {"outcome": "Shelf checked.", "contacts": [bobs_contact.pk], "next_step_type": "task"},
    )

    assert response.status_code == 200
    assert "contacts" in response.context["complete_form"].errors
    task_on_bobs_account.refresh_from_db()
    assert task_on_bobs_account.status == Activity.Status.PLANNED
    assert not task_on_bobs_account.contacts.exists()


@pytest.mark.parametrize("name", PERSONAS)
def test_notifications_are_read_only_by_their_recipient(login, alice, name):
    notification = NotificationFactory(recipient=alice)
    client = login(name)

    read = client.post(reverse("activities:notification_read", args=[notification.pk]))
    opened = client.post(reverse("activities:notification_open", args=[notification.pk]))

    expected = 302 if name == "alice" else 404
    assert (read.status_code, opened.status_code) == (expected, expected)
    notification.refresh_from_db()
    assert (notification.read_at is not None) == (name == "alice")


@pytest.mark.parametrize(
    "url_name",
    [
        "activities:cancel",
        "activities:missed",
        "activities:complete",
        "activities:reschedule",
        "activities:notifications_read_all",
        "activities:calendar_regenerate",
    ],
)
def test_changes_accept_only_post(login, visits, url_name):
    args = [] if url_name.endswith(("read_all", "regenerate")) else [visits["A"].pk]
    assert login("alice").get(reverse(url_name, args=args)).status_code == 405
