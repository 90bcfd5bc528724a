"""A director types a plan cell in the grid and sees the year's total follow; a KAM opens their
plan; the plans, fulfilment and ABC pages do not scroll sideways on a phone."""

from datetime import date

import pytest
from django.utils import timezone

from commissions.models import SalesPlan, SalesPlanChange
from commissions.services.abc import abc_run
from team.models import Role
from tests.browser.conftest import DEMO_PASSWORD, STEP_TIMEOUT_MS, log_in, nav_to
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def people():
    north = TerritoryFactory(name="North", code="north")
    director = UserFactory(username="director1", role=Role.DIRECTOR, territory=north)
    kam = UserFactory(
        username="kam1", role=Role.KAM, territory=north, reports_to=director, last_name="Alpha"
    )
    for user in (director, kam):
        user.set_password(DEMO_PASSWORD)
        user.save()
    AccountFactory(owner=kam, name="Alpha Foods")
    abc_run()
    return director, kam


def test_director_sets_a_plan_in_the_grid_and_the_kam_sees_it(browser, live_server):
    _director, kam = people()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    log_in(page, live_server, "director1")
    nav_to(page, "Plans", "Sales plans")
    page.fill("#plan-reason", "kick-off")
    cell = page.get_by_label(f"{kam}, March {YEAR}")
    cell.fill("12000")
    cell.press("Tab")
    page.locator(f"#plan-total-{kam.pk}", has_text="12,000.00").wait_for()
    plan = SalesPlan.objects.get(kam=kam, month=date(YEAR, 3, 1))
    assert plan.revenue_target == 12000
    assert SalesPlanChange.objects.get(plan=plan).reason == "kick-off"

    bad = page.get_by_label(f"{kam}, April {YEAR}")
    bad.fill("-3")
    bad.press("Tab")
    page.locator(".cell-error", has_text="cannot be negative").wait_for()
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    log_in(page, live_server, "kam1")
    for path in (
        "/commissions/plans/mine/",
        "/commissions/fulfilment/",
        f"/commissions/fulfilment/kam/{kam.pk}/",
        "/commissions/abc/",
    ):
        page.goto(live_server.url + path)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, path
    page.goto(live_server.url + "/commissions/plans/mine/")
    assert "12,000.00" in page.content()
    assert page.locator("input.plan-cell").count() == 0
    context.close()
