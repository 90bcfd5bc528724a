"""The stylesheet reaches the pages at the widths people use: a laptop and a phone."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from team.models import Role
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import AccountFactory, ActivityFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kam_with_a_visit_today(db):
    kam = UserFactory(
        username="kam1", role=Role.KAM, territory=TerritoryFactory(name="North", code="north")
    )
    kam.set_password("demo")
    kam.save()
    zone = ZoneInfo(kam.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    ActivityFactory(
        account=AccountFactory(owner=kam, name="Alpha Foods"),
        starts_at=datetime.combine(today, time(9), tzinfo=zone),
    )
    return kam


def _planner_at(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/activities/planner/")
    return context, page


def test_planner_on_a_laptop_shows_the_week_as_a_grid_with_the_form_beside_it(
    live_server, browser, kam_with_a_visit_today
):
    context, page = _planner_at(browser, live_server, 1366)
    days = page.locator(".planner-grid thead th:not(.hour)")
    assert days.count() == 7
    widths = {round(days.nth(n).bounding_box()["width"]) for n in range(7)}
    assert max(widths) - min(widths) <= 1, f"day columns are not of one width: {widths}"
    assert page.locator(".planner-layout").evaluate("e => getComputedStyle(e).display") == "grid"
    grid = page.locator(".planner-grid").bounding_box()
    panel = page.locator("#planner-panel").bounding_box()
    assert panel["x"] >= grid["x"] + grid["width"], "the form is not beside the week"
    assert page.locator("td.slot").first.bounding_box()["height"] >= 38
    visit = page.locator(".pl-item").first
    assert visit.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    context.close()


def test_planner_on_a_phone_puts_the_form_below_the_week(
    live_server, browser, kam_with_a_visit_today
):
    context, page = _planner_at(browser, live_server, 390)
    grid = page.locator(".table-wrap").bounding_box()
    panel = page.locator("#planner-panel").bounding_box()
    assert panel["y"] >= grid["y"] + grid["height"]
    assert grid["width"] <= 390, "the week scrolls inside its box, not the whole page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
