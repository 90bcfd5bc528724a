from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities.models import Activity
from team.models import Role
from tests.browser.conftest import nav_to, pick
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kam_plans_a_visit_logs_its_outcome_and_finds_the_follow_up_today(live_server, page):
    territory = TerritoryFactory(name="North", code="north")
    kam = UserFactory(username="kam1", role=Role.KAM, territory=territory)
    kam.set_password("demo")
    kam.save()
    AccountFactory(owner=kam, name="Alpha Foods")
    today = timezone.localtime(timezone.now(), ZoneInfo(kam.time_zone)).date()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")

    nav_to(page, "Planning", "Planner")
    page.click(f'td[data-slot="{today:%Y-%m-%d}T09:00"] a.pl-new')
    pick(page, "id_account", "Alpha")
    page.select_option("#id_type", "visit")
    page.fill("#id_purpose", "Present the spring range")
    page.click("#planner-panel button:has-text('Plan')")
    card = page.locator(f'td[data-slot="{today:%Y-%m-%d}T09:00"] .pl-item')
    card.wait_for()
    assert "Alpha Foods" in card.text_content()
    assert page.get_by_text("Visit planned.").is_visible()

    card.click()
    page.click("#planner-panel >> text=Log outcome")
    page.fill("#id_outcome", "They liked the range; want a price offer.")
    page.fill("#id_next_step", "Send the price offer")
    page.fill("#id_next_step_due", today.isoformat())
    page.click("button:has-text('Save outcome')")
    page.get_by_text("Outcome logged.").wait_for()

    nav_to(page, "Planning", "Today")
    page.wait_for_url(f"{live_server.url}/activities/today/")
    assert page.locator("#today-activities").get_by_text("Send the price offer").is_visible()
    visit = Activity.objects.get(type="visit")
    assert (visit.status, visit.follow_ups.get().purpose) == ("done", "Send the price offer")
