"""Activity services: planning, logging, outcomes, follow-ups, status moves, tasks."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from activities import services
from activities.models import Activity, ActivityStatus, Notification
from tests.activities.conftest import MONDAY, NOW, TODAY, local
from tests.factories import ActivityFactory, ContactFactory


def plan(actor, account, **kwargs):
    kwargs.setdefault("owner", actor)
    kwargs.setdefault("type", Activity.Type.VISIT)
    kwargs.setdefault("starts_at", local(MONDAY, 9))
    return services.activity_plan(actor=actor, account=account, **kwargs)


def test_a_kam_plans_a_visit_on_their_account(alice, alice_account):
    contact = ContactFactory(account=alice_account)

    visit = plan(alice, alice_account, place="HQ", purpose="Intro", contacts=[contact])

    assert (visit.status, visit.owner, visit.place) == ("planned", alice, "HQ")
    assert list(visit.contacts.all()) == [contact]


def test_a_kam_cannot_plan_on_another_kams_account(alice, bob_account):
    with pytest.raises(ValidationError) as error:
        plan(alice, bob_account)
    assert "account" in error.value.message_dict


def test_a_kam_cannot_plan_for_a_teammate(alice, bob, alice_account):
    with pytest.raises(ValidationError) as error:
        plan(alice, alice_account, owner=bob)
    assert "owner" in error.value.message_dict


def test_a_director_plans_for_their_kam_but_not_for_another_territory(
    dora, alice, charlie, alice_account
):
    assert plan(dora, alice_account, owner=alice).owner == alice
    with pytest.raises(ValidationError):
        plan(dora, alice_account, owner=charlie)


def test_finance_cannot_plan(fiona, alice, alice_account):
    with pytest.raises(PermissionDenied):
        plan(fiona, alice_account, owner=alice)


def test_contacts_must_work_at_the_account(alice, alice_account, bob_account):
    with pytest.raises(ValidationError) as error:
        plan(alice, alice_account, contacts=[ContactFactory(account=bob_account)])
    assert "contacts" in error.value.message_dict


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


def test_completing_with_a_next_step_creates_a_follow_up_at_nine_local_time(alice, alice_account):
    visit = plan(alice, alice_account)

    services.activity_complete(
        actor=alice,
        activity=visit,
        outcome="They want a quote.",
        next_step="Send the quote",
        next_step_due=date(2026, 3, 5),
        next_step_type=Activity.Type.CALL,
        now=NOW,
    )

    visit.refresh_from_db()
    assert (visit.status, visit.completed_at) == ("done", NOW)
    follow_up = visit.follow_ups.get()
    assert follow_up.starts_at == local(date(2026, 3, 5), 9)
    assert (follow_up.type, follow_up.purpose, follow_up.status) == (
        "call",
        "Send the quote",
        "planned",
    )
    assert follow_up.owner == alice


@pytest.mark.parametrize(
    ("outcome", "next_step", "due", "field"),
    [
        ("", "", None, "outcome"),
        ("ok", "Call back", None, "next_step_due"),
        ("ok", "", date(2026, 3, 9), "next_step"),
        ("ok", "Call back", date(2026, 3, 1), "next_step_due"),  # before the visit
    ],
)
def test_an_incomplete_outcome_is_refused_with_the_field_named(
    alice, alice_account, outcome, next_step, due, field
):
    visit = plan(alice, alice_account)
    with pytest.raises(ValidationError) as error:
        services.activity_complete(
            actor=alice, activity=visit, outcome=outcome, next_step=next_step, next_step_due=due
        )
    assert field in error.value.message_dict
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_logging_a_call_that_happened_records_it_done_with_its_follow_up(alice, alice_account):
    call = services.activity_log(
        actor=alice,
        account=alice_account,
        type=Activity.Type.CALL,
        starts_at=NOW - timedelta(days=1),
        outcome="Budget approved.",
        next_step="Send contract",
        next_step_due=TODAY,
        now=NOW,
    )
    assert (call.status, call.owner) == ("done", alice)
    assert call.follow_ups.get().purpose == "Send contract"


def test_logging_something_in_the_future_is_refused(alice, alice_account):
    with pytest.raises(ValidationError) as error:
        services.activity_log(
            actor=alice,
            account=alice_account,
            type=Activity.Type.CALL,
            starts_at=NOW + timedelta(hours=1),
            outcome="?",
            now=NOW,
        )
    assert "starts_at" in error.value.message_dict
    assert not Activity.objects.exists()


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


def test_rescheduling_moves_a_planned_or_missed_activity_and_plans_it_again(alice, alice_account):
    visit = plan(alice, alice_account)
    services.activity_mark_missed(actor=alice, activity=visit)

    services.activity_reschedule(actor=alice, activity=visit, starts_at=local(MONDAY, 15))

    visit.refresh_from_db()
    assert (visit.status, visit.starts_at) == ("planned", local(MONDAY, 15))


@pytest.mark.parametrize("final", ["done", "cancelled"])
def test_a_done_or_cancelled_activity_cannot_move_again(alice, alice_account, final):
    visit = ActivityFactory(account=alice_account, status=final)
    with pytest.raises(ValidationError):
        services.activity_reschedule(actor=alice, activity=visit, starts_at=local(MONDAY, 15))
    with pytest.raises(ValidationError):
        services.activity_cancel(actor=alice, activity=visit)


def test_only_the_owner_kam_changes_an_activity(alice, bob, alice_account):
    visit = plan(alice, alice_account)
    with pytest.raises(PermissionDenied):
        services.activity_cancel(actor=bob, activity=visit)


def test_a_director_assigns_a_task_that_notifies_the_kam(dora, alice, alice_account):
    task = services.task_assign(
        actor=dora,
        owner=alice,
        account=alice_account,
        starts_at=local(TODAY, 12),
        purpose="Check the shelf layout",
    )

    assert (task.type, task.owner, task.assigned_by) == ("task", alice, dora)
    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == "task_assigned"
    assert "Check the shelf layout" in notification.title


def test_a_kam_cannot_assign_tasks_and_a_director_only_to_their_own_kams(
    alice, bob, dora, charlie, alice_account
):
    with pytest.raises(PermissionDenied):
        services.task_assign(
            actor=alice, owner=bob, account=alice_account, starts_at=NOW, purpose="x"
        )
    with pytest.raises(ValidationError):
        services.task_assign(
            actor=dora, owner=charlie, account=alice_account, starts_at=NOW, purpose="x"
        )


def test_a_next_step_due_the_same_day_follows_the_activity(alice, alice_account):
    visit = plan(alice, alice_account, starts_at=local(MONDAY, 14), duration_minutes=90)
    services.activity_complete(
        actor=alice, activity=visit, outcome="ok", next_step="Write it up", next_step_due=MONDAY
    )
    assert visit.follow_ups.get().starts_at == local(MONDAY, 15, 30)


def test_completing_the_same_activity_from_two_stale_copies_makes_one_follow_up(
    alice, alice_account
):
    planned = ActivityFactory(account=alice_account, owner=alice)
    first, second = (Activity.objects.get(pk=planned.pk) for _ in range(2))
    due = planned.starts_at.date() + timedelta(days=7)
    kwargs = {"outcome": "Met.", "next_step": "Send prices", "next_step_due": due}
    services.activity_complete(actor=alice, activity=first, **kwargs)

    with pytest.raises(ValidationError, match="cannot go from Done to Done"):
        services.activity_complete(actor=alice, activity=second, **kwargs)

    assert Activity.objects.filter(follow_up_of=planned).count() == 1


def test_a_cancel_from_a_stale_copy_does_not_undo_a_completion(alice, alice_account):
    planned = ActivityFactory(account=alice_account, owner=alice)
    stale = Activity.objects.get(pk=planned.pk)
    services.activity_complete(actor=alice, activity=planned, outcome="Met.")

    with pytest.raises(ValidationError, match="cannot go from Done to Cancelled"):
        services.activity_cancel(actor=alice, activity=stale)

    planned.refresh_from_db()
    assert (planned.status, planned.outcome) == (ActivityStatus.DONE, "Met.")


def test_a_completion_from_a_stale_copy_does_not_revive_a_cancelled_activity(alice, alice_account):
    planned = ActivityFactory(account=alice_account, owner=alice)
    stale = Activity.objects.get(pk=planned.pk)
    services.activity_cancel(actor=alice, activity=planned)

    with pytest.raises(ValidationError, match="cannot go from Cancelled to Done"):
        services.activity_complete(actor=alice, activity=stale, outcome="Met.")

    planned.refresh_from_db()
    assert (planned.status, planned.outcome) == (ActivityStatus.CANCELLED, "")


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_completion_makes_one_follow_up(requires_postgres, alice, alice_account):
    for _ in range(8):
        visit = plan(alice, alice_account)
        copies = [Activity.objects.get(pk=visit.pk) for _ in range(2)]
        start = threading.Barrier(2)
        errors = []

        def complete(copy, start, errors):
            try:
                start.wait(timeout=10)
                services.activity_complete(
                    actor=alice,
                    activity=copy,
                    outcome="They want a quote.",
                    next_step="Send the quote",
                    next_step_due=date(2026, 3, 5),
                    now=NOW,
                )
            except ValidationError:
                pass  # the second completion is refused
            except Exception as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=complete, args=(copy, start, errors)) for copy in copies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        assert visit.follow_ups.count() == 1
