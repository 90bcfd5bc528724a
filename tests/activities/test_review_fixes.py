"""Regressions from the review: hidden contacts on someone else's account, dates off the
calendar, a malformed planner slot and an out-of-range calendar feed id."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services
from activities.models import Activity
from tests.activities.conftest import MONDAY, TODAY, local
from tests.factories import ContactFactory

API = "/api/v1/activities/"


@pytest.fixture
def task_on_bobs_account(dora, alice, bob_account):
    """Dora asks alice to do something on bob's account."""
    return services.task_assign(
        actor=dora,
        owner=alice,
        account=bob_account,
        starts_at=local(MONDAY, 9),
        purpose="Check the shelf at Beta.",
    )


@pytest.fixture
def bobs_contact(bob_account):
    return ContactFactory(account=bob_account, first_name="Brenda", last_name="Secret")


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


def test_the_service_refuses_a_contact_the_actor_may_not_see(
    alice, task_on_bobs_account, bobs_contact
):
    with pytest.raises(ValidationError) as error:
        services.activity_complete(
            actor=alice,
            activity=task_on_bobs_account,
            outcome="Shelf checked.",
            contacts=[bobs_contact],
        )

    assert "contacts" in error.value.message_dict
    assert not task_on_bobs_account.contacts.exists()


def test_the_owner_of_the_account_still_links_their_contacts(bob, bob_account, bobs_contact):
    visit = services.activity_plan(
        actor=bob,
        owner=bob,
        account=bob_account,
        type=Activity.Type.VISIT,
        starts_at=local(MONDAY, 9),
        contacts=[bobs_contact],
    )

    assert list(visit.contacts.all()) == [bobs_contact]


def test_planning_a_visit_in_the_year_9999_is_a_field_error_on_the_page(
    client, alice, alice_account
):
    client.force_login(alice)

    response = client.post(
        reverse("activities:create"),
        {
            "owner": alice.pk,
            "type": Activity.Type.VISIT,
            "account": alice_account.pk,
            "starts_at_0": "9999-12-31",
            "starts_at_1": "23:30",
            "duration_minutes": 60,
        },
    )

    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_logging_a_call_in_the_year_1_from_berlin_is_a_field_error(client, alice, alice_account):
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    client.force_login(alice)

    response = client.post(
        reverse("activities:log", args=[alice_account.pk]),
        {
            "type": Activity.Type.CALL,
            "starts_at_0": "0001-01-01",
            "starts_at_1": "00:30",
            "duration_minutes": 30,
            "outcome": "Talked.",
            "next_step_type": "task",
        },
    )

    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_next_step_due_in_the_year_9999_is_a_field_error_on_the_page(client, alice, visits):
    client.force_login(alice)

    response = client.post(
        reverse("activities:complete", args=[visits["A"].pk]),
        {
            "outcome": "Went well.",
            "next_step": "Send the offer",
            "next_step_due": "9999-12-31",
            "next_step_type": "task",
        },
    )

    assert response.status_code == 200
    assert "next_step_due" in response.context["complete_form"].errors
    visits["A"].refresh_from_db()
    assert visits["A"].status == Activity.Status.PLANNED


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


def test_services_refuse_dates_outside_the_plannable_years(alice, alice_account):
    with pytest.raises(ValidationError) as error:
        services.activity_log(
            actor=alice,
            account=alice_account,
            type=Activity.Type.CALL,
            starts_at=local(date(1, 1, 1), 0, 30),
            outcome="Talked.",
        )
    assert "starts_at" in error.value.message_dict


def test_a_planner_slot_that_is_not_on_the_calendar_is_ignored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("activities:planner"), {"new": "2024-02-30T10:00"})

    assert response.status_code == 200
    assert response.context["plan_form"] is None


def test_a_valid_planner_slot_still_opens_the_plan_form(client, alice):
    client.force_login(alice)

    response = client.get(reverse("activities:planner"), {"new": f"{TODAY}T10:00"})

    assert response.context["plan_form"] is not None


def test_a_calendar_feed_with_an_out_of_range_id_is_not_found(client, db):
    response = client.get(reverse("activities:calendar_feed", args=[10**23, "x"]))

    assert response.status_code == 404
