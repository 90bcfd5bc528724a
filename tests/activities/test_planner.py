"""The weekly planner: a days-by-hours grid in the user's time zone, planning from an empty
slot and moving activities with htmx."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.selectors import planner_week
from tests.activities.conftest import MONDAY, NOW, TODAY, local
from tests.factories import ActivityFactory, UserFactory

URL = reverse("activities:planner")


def _cells(week):
    return {(cell.day, cell.hour): cell for _, cells in week.rows for cell in cells}


def test_the_grid_places_activities_in_their_local_day_and_hour(alice, alice_account):
    visit = ActivityFactory(
        account=alice_account, starts_at=local(MONDAY + timedelta(days=2), 14, 30)
    )
    early = ActivityFactory(account=alice_account, starts_at=local(MONDAY, 6))
    ActivityFactory(account=alice_account, starts_at=local(MONDAY, 9), status="cancelled")
    ActivityFactory(account=alice_account, starts_at=local(MONDAY + timedelta(days=7), 9))

    week = planner_week(
        user=alice, owner=alice, monday=MONDAY, zone=ZoneInfo("Europe/Warsaw"), now=NOW
    )

    cells = _cells(week)
    assert cells[(date(2026, 3, 4), 14)].activities == [visit]
    assert cells[(MONDAY, 7)].activities == [early]  # before the first row: in the first row
    assert week.count == 2
    assert week.today == date(2026, 3, 4)


def test_a_week_with_the_spring_dst_change_starts_and_ends_at_local_midnight(alice, alice_account):
    # Warsaw moves from UTC+1 to UTC+2 at 02:00 on Sunday 29 March 2026.
    zone = ZoneInfo("Europe/Warsaw")
    monday = date(2026, 3, 23)
    first = ActivityFactory(account=alice_account, starts_at=local(monday, 0, 15))
    sunday = ActivityFactory(account=alice_account, starts_at=local(date(2026, 3, 29), 10))
    after = ActivityFactory(account=alice_account, starts_at=local(date(2026, 3, 30), 0, 15))

    week = planner_week(user=alice, owner=alice, monday=monday, zone=zone, now=NOW)

    cells = _cells(week)
    assert cells[(date(2026, 3, 29), 10)].activities == [sunday]
    assert sunday.starts_at.utcoffset() == timedelta(hours=2)
    assert cells[(monday, 7)].activities == [first]
    assert after not in [a for c in cells.values() for a in c.activities]
    assert cells[(date(2026, 3, 29), 9)].slot.utcoffset() == timedelta(hours=2)
    assert cells[(date(2026, 3, 23), 9)].slot.utcoffset() == timedelta(hours=1)


def test_the_planner_shows_the_week_asked_for_with_links_to_the_next_and_previous(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"week": "2026-03-04"})
    assert response.context["week"].monday == MONDAY
    page = response.content.decode()
    assert "week=2026-02-23" in page and "week=2026-03-09" in page


def test_the_planner_shows_this_week_by_default(client, alice):
    client.force_login(alice)
    week = client.get(URL).context["week"]
    today = timezone.localdate()
    assert week.monday <= today < week.monday + timedelta(days=7)


@pytest.mark.parametrize(
    "params",
    [
        {"week": "abc"},
        {"week": "2026-13-45"},
        {"owner": "x"},
        {"owner": "999999"},
        {"week": "9999-12-31"},
    ],
)
def test_garbage_in_the_address_shows_a_message_and_this_week(client, alice, params):
    client.force_login(alice)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["week"].owner == alice
    assert "was not understood" in response.content.decode()


@pytest.mark.parametrize("new", ["garbage", "2026-03-29T02:30", "2026-03-04T09:00+05:00"])
def test_a_bad_slot_opens_no_form_and_no_error(client, alice, new):
    client.force_login(alice)
    response = client.get(URL, {"week": "2026-03-23", "new": new})
    assert response.status_code == 200


def test_a_planner_slot_that_is_not_on_the_calendar_is_ignored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("activities:planner"), {"new": "2024-02-30T10:00"})

    assert response.status_code == 200
    assert response.context["plan_form"] is None


def test_a_valid_planner_slot_still_opens_the_plan_form(client, alice):
    client.force_login(alice)

    response = client.get(reverse("activities:planner"), {"new": f"{TODAY}T10:00"})

    assert response.context["plan_form"] is not None


def test_each_slot_links_to_planning_there_and_each_card_to_its_panel(client, alice, alice_account):
    visit = ActivityFactory(account=alice_account, starts_at=local(date(2026, 3, 3), 11, 30))
    client.force_login(alice)
    page = client.get(URL, {"week": MONDAY}).content.decode()
    query = f"week=2026-03-02&amp;owner={alice.pk}"
    slot = page[page.index('data-slot="2026-03-03T11:00"') :]
    slot = slot[: slot.index("</td>")]
    assert f'href="?{query}&amp;open={visit.pk}" hx-get="{URL}?{query}&amp;open={visit.pk}"' in slot
    assert '<span class="pl-time">11:30</span>' in slot
    assert alice_account.name in slot
    assert (
        f'href="?{query}&amp;new=2026-03-03T11:00" hx-get="{URL}?{query}&amp;new=2026-03-03T11:00"'
        in slot
    )
    assert 'title="Plan at Tue 3 Mar, 11:00" aria-label="Plan at Tue 3 Mar, 11:00"' in slot


def test_slot_labels_are_in_the_users_language(client, alice):
    client.force_login(alice)
    page = client.get(URL, {"week": MONDAY}, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'title="Zaplanuj na Wt 3 Mar, 11:00"' in page


def test_the_week_reads_only_the_columns_a_card_draws(alice, alice_account):
    ActivityFactory(account=alice_account, starts_at=local(MONDAY, 9), purpose="Long text")
    with CaptureQueriesContext(connection) as queries:
        week = planner_week(
            user=alice, owner=alice, monday=MONDAY, zone=ZoneInfo("Europe/Warsaw"), now=NOW
        )
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"purpose"' not in sql and '"outcome"' not in sql and "team_user" not in sql
    assert week.count == 1
    cells = _cells(week)
    assert cells[(TODAY, 7)].today and not cells[(MONDAY, 7)].today
    assert cells[(TODAY, 7)].key == "2026-03-04T07:00"


def test_a_director_opens_their_kams_planner_but_not_another_territorys(
    client, dora, alice, charlie, visits
):
    client.force_login(dora)
    response = client.get(URL, {"week": MONDAY, "owner": alice.pk})
    assert response.context["week"].owner == alice
    assert visits["A"].account.name in response.content.decode()
    assert f'<option value="{alice.pk}" selected>' in response.content.decode()

    response = client.get(URL, {"week": MONDAY, "owner": charlie.pk})
    assert response.context["week"].owner == dora
    assert visits["C"].account.name not in response.content.decode()


def test_a_kam_cannot_open_a_teammates_planner(client, alice, bob, visits):
    client.force_login(alice)
    response = client.get(URL, {"week": MONDAY, "owner": bob.pk})
    assert response.context["week"].owner == alice
    assert "Beta Retail" not in response.content.decode()


def test_an_empty_slot_opens_the_plan_form_with_its_time(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"week": MONDAY, "new": "2026-03-03T11:00"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'value="2026-03-03"' in body and 'value="11:00"' in body


def _plan(client, owner, account, **changes):
    """Post the planner's form for a visit on Tuesday 3 March at 11:00, with `changes`."""
    data = {
        "week": "2026-03-02",
        "owner": owner.pk,
        "type": "visit",
        "account": account.pk,
        "starts_at_0": "2026-03-03",
        "starts_at_1": "11:00",
        "duration_minutes": 90,
        "place": "Gdańsk HQ",
        "purpose": "Spring range",
        **changes,
    }
    client.force_login(owner)
    return client.post(reverse("activities:create"), data, HTTP_HX_REQUEST="true")


def test_planning_from_the_planner_with_htmx_returns_the_new_grid(client, alice, alice_account):
    response = _plan(client, alice, alice_account)
    assert response.status_code == 200
    visit = Activity.objects.get()
    assert visit.starts_at == local(date(2026, 3, 3), 11)
    assert "Visit planned." in response.content.decode()
    assert f'data-activity="{visit.pk}"' in response.content.decode()


def test_a_bad_plan_keeps_the_input_and_names_the_problem(client, alice, alice_account):
    response = _plan(
        client, alice, alice_account, starts_at_1="25:99", duration_minutes=0, place="Kept place"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kept place" in body
    assert "Enter a valid time." in body
    assert "Ensure this value is greater than or equal to 1." in body
    assert not Activity.objects.exists()


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


def test_an_hour_that_does_not_exist_locally_is_refused(client, alice, alice_account):
    # Warsaw's clocks jump from 02:00 to 03:00 on 29 March 2026.
    response = _plan(client, alice, alice_account, starts_at_0="2026-03-29", starts_at_1="02:30")
    assert response.status_code == 200
    assert "be interpreted in time zone" in response.content.decode()
    assert not Activity.objects.exists()


def test_planning_on_an_account_outside_scope_is_an_invalid_choice(client, alice, bob_account):
    response = _plan(client, alice, bob_account)
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.exists()


def test_rescheduling_in_the_planner_moves_the_card_to_its_new_slot(client, alice, visits):
    client.force_login(alice)
    visit = visits["A"]
    response = client.post(
        reverse("activities:reschedule", args=[visit.pk]),
        {"starts_at_0": "2026-03-05", "starts_at_1": "16:00", "duration_minutes": 60},
        HTTP_HX_REQUEST="true",
    )
    visit.refresh_from_db()
    assert visit.starts_at == local(date(2026, 3, 5), 16)
    cells = _cells(response.context["week"])
    assert cells[(date(2026, 3, 5), 16)].activities == [visit]
    assert "Moved to Thu 05 Mar, 16:00." in response.content.decode()


def test_a_bad_reschedule_keeps_the_panel_open_with_the_error(client, alice, visits):
    client.force_login(alice)
    response = client.post(
        reverse("activities:reschedule", args=[visits["A"].pk]),
        {"starts_at_0": "not a date", "starts_at_1": "16:00", "duration_minutes": 60},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert response.context["opened"] == visits["A"]


@pytest.mark.parametrize("n", [2, 6])
def test_planner_query_count_does_not_grow_with_activities(
    client, dora, alice, alice_account, django_assert_num_queries, n
):
    for i in range(n):
        ActivityFactory(
            account=alice_account, starts_at=local(MONDAY + timedelta(days=i % 7), 9 + i)
        )
        ActivityFactory(
            account=alice_account, assigned_by=dora, type="task", starts_at=local(MONDAY, 8)
        )
    client.force_login(dora)
    # session, user, the owner asked for (validated among the territory's people), the week's
    # activities with account and assigner, the owner select's people, the bell's count, the
    # menu's count of offers waiting for the director's approval
    with django_assert_num_queries(7):
        response = client.get(URL, {"week": MONDAY, "owner": alice.pk})
    assert response.context["week"].count == 2 * n


def test_a_kams_own_planner_takes_four_queries(
    client, alice, alice_account, django_assert_num_queries
):
    ActivityFactory.create_batch(3, account=alice_account, starts_at=local(MONDAY, 9))
    client.force_login(alice)
    # session, user, the week's activities, the bell's count
    with django_assert_num_queries(4):
        client.get(URL, {"week": MONDAY})


def test_times_follow_the_users_own_time_zone(client, alice, alice_account):
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    ActivityFactory(account=alice_account, starts_at=local(MONDAY, 10))  # 18:00 in Tokyo
    client.force_login(alice)
    response = client.get(URL, {"week": MONDAY})
    cells = _cells(response.context["week"])
    assert len(cells[(MONDAY, 18)].activities) == 1
    assert "times in Asia/Tokyo" in response.content.decode()


def test_an_unknown_stored_time_zone_falls_back_to_the_sites(client, alice):
    alice.time_zone = "Mars/Olympus_Mons"
    alice.save()
    client.force_login(alice)
    assert client.get(URL).status_code == 200
    assert UserFactory.build(time_zone="../../etc/passwd").tzinfo.key == "Europe/Warsaw"
