"""The demo data: every demo account has its health for this month and the months before,
and the dashboards open on it."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from health.models import HealthScore
from team.models import User


def test_demo_accounts_have_health_month_by_month(demo_seed, db):
    month = timezone.localdate().replace(day=1)
    scored = HealthScore.objects.filter(month=month).count()
    assert scored == Account.objects.exclude(status=Account.Status.LOST).count() > 0
    assert HealthScore.objects.values("month").distinct().count() >= 6


def test_demo_dashboards_open_for_each_role(demo_seed, client):
    for username in ("director1", "kam1", "finance", "admin"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("home"), follow=True).status_code == 200
