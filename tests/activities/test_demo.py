"""Demo activities: a past quarter done, two weeks planned, per KAM, on their own accounts."""

from datetime import timedelta

import pytest
from django.db.models import F

from activities.models import Activity, Notification
from team.models import Role, User

pytestmark = pytest.mark.django_db


def test_every_kam_has_a_quarter_of_done_and_two_weeks_of_planned_activities(demo_seed):
    # The demo is loaded once per test process, maybe minutes before this test runs: judge the
    # plan from the moment it was loaded, not from the clock now.
    now = User.objects.earliest("date_joined").date_joined
    for kam in User.objects.filter(role=Role.KAM):
        mine = Activity.objects.filter(
            owner=kam, assigned_by__isnull=True, follow_up_of__isnull=True
        )
        done = mine.filter(status="done")
        planned = mine.filter(status="planned")
        assert done.filter(starts_at__lt=now - timedelta(days=80)).exists()
        assert not done.filter(starts_at__lt=now - timedelta(days=93)).exists()
        assert planned.filter(starts_at__gt=now + timedelta(days=7)).exists()
        assert not planned.filter(starts_at__lt=now).exists()
        assert not planned.filter(starts_at__gt=now + timedelta(days=16)).exists()


def test_demo_activities_sit_on_the_owners_accounts_with_their_people(demo_seed):
    assert (
        not Activity.objects.filter(assigned_by__isnull=True)
        .exclude(owner=F("account__owner"))
        .exists()
    )
    assert (
        not Activity.objects.exclude(contacts__isnull=True)
        .exclude(contacts__account=F("account"))
        .exists()
    )


def test_there_are_follow_ups_director_tasks_and_real_reminders(demo_seed):
    assert Activity.objects.filter(follow_up_of__isnull=False, status="planned").exists()
    assert Activity.objects.filter(assigned_by__role=Role.DIRECTOR).count() == 24
    kinds = set(Notification.objects.values_list("kind", flat=True))
    # Tasks always notify; which rules fire besides depends on the weekday the seed runs.
    assert "task_assigned" in kinds
    assert len(kinds) >= 2
