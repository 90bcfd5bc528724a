"""A Polish-speaking KAM logs in (browser in Polish), plans a visit and reads the week in Polish."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities.models import Activity
from team.models import Role
from tests.browser.conftest import nav_to, pick
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLISH_DAYS = ["Pon", "Wt", "Śr", "Czw", "Pt", "So", "Nd"]


@pytest.fixture
def polish_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="pl-PL",
        extra_http_headers={"Accept-Language": "pl-PL,pl;q=0.9"},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_polish_kam_plans_a_visit_and_reads_the_week_in_polish(live_server, polish_page):
    page = polish_page
    kam = UserFactory(
        username="kam1", role=Role.KAM, territory=TerritoryFactory(name="Północ", code="north")
    )
    kam.set_password("demo")
    kam.save()
    AccountFactory(owner=kam, name="Mlekogaz Dystrybucja")
    today = timezone.localtime(timezone.now(), ZoneInfo(kam.time_zone)).date()

    page.goto(f"{live_server.url}/login/")
    assert page.locator("button[type=submit]").text_content().strip() == "Zaloguj się"
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    kam.refresh_from_db()
    assert kam.language == "pl"  # taken from the browser on the first login

    nav_to(page, "Planowanie", "Planer")
    page.wait_for_url(f"{live_server.url}/activities/planner/**")
    page.click(f'td[data-slot="{today:%Y-%m-%d}T09:00"] a.pl-new')
    pick(page, "id_account", "Mleko")
    page.select_option("#id_type", "visit")
    page.fill("#id_purpose", "Prezentacja oferty na 2027")
    page.click("#planner-panel button:has-text('Zaplanuj')")
    card = page.locator(f'td[data-slot="{today:%Y-%m-%d}T09:00"] .pl-item')
    card.wait_for()
    assert "Mlekogaz Dystrybucja" in card.text_content()
    page.get_by_text("Zaplanowano: Wizyta.").wait_for()

    week = page.locator("#planner")
    text = week.inner_text()
    assert "1 aktywność" in text and "Tydzień od" in text
    headings = [h.split()[0] for h in week.locator("thead th").all_inner_texts() if h.strip()]
    assert headings == POLISH_DAYS  # the week starts on Monday
    monday = today - timedelta(days=today.weekday())
    assert f"{monday.day} " in week.locator("thead th").nth(1).inner_text()
    for english in ("Previous", "This week", "Next", "Visit", "Planner", "activity"):
        assert english not in text, english
    assert Activity.objects.get().purpose == "Prezentacja oferty na 2027"
