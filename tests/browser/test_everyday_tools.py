"""Saved views, the account timeline's filter and paging, and Today on a phone, in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import STEP_TIMEOUT_MS, kam_with_password, log_in
from tests.deals.factories import DealFactory
from tests.factories import AccountFactory, ActivityFactory, DossierNoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_kam_saves_a_view_and_picks_it_again(live_server, page):
    kam = kam_with_password()
    account = AccountFactory(owner=kam, name="Alpha Foods")
    DealFactory(account=account, title="Won big", stage="won", amount=900)
    DealFactory(account=account, title="Still open", stage="negotiation")
    log_in(page, live_server, "kam1")

    page.goto(f"{live_server.url}/deals/?stage=won")
    page.click("details.saved-views summary")
    page.fill("details.saved-views input[name=name]", "Won deals")
    page.click("details.saved-views button:has-text('Save view')")
    page.wait_for_selector("text=View “Won deals” saved.")

    page.goto(f"{live_server.url}/deals/")
    assert page.locator("text=Still open").is_visible()
    page.click("details.saved-views summary")
    page.click("details.saved-views a:has-text('Won deals')")
    page.wait_for_url("**/deals/?stage=won")
    assert page.locator("text=Won big").is_visible()
    assert not page.locator("text=Still open").count()

    page.click("details.saved-views summary")
    page.click("details.saved-views button:has-text('Delete')")
    page.wait_for_selector("text=View “Won deals” deleted.")


def test_the_timeline_filters_by_kind_and_shows_older_entries(live_server, page):
    from playwright.sync_api import expect

    kam = kam_with_password()
    account = AccountFactory(owner=kam, name="Alpha Foods")
    start = timezone.now() - timedelta(days=60)
    for n in range(25):
        ActivityFactory(
            account=account,
            type="call" if n % 5 == 0 else "visit",
            status="done",
            purpose=f"Entry {n}",
            outcome="",
            starts_at=start + timedelta(days=n),
        )
    DossierNoteFactory(account=account, noted_on=timezone.localdate(), text="A dossier note")
    log_in(page, live_server, "kam1")
    page.goto(f"{live_server.url}/accounts/{account.pk}/#timeline")

    entries = page.locator("#timeline-entries > li:not(.tl-more)")
    assert entries.count() == 20
    page.click("#timeline-entries .tl-more a")
    expect(page.locator("#timeline-entries > li")).to_have_count(26)
    assert page.locator("#timeline-entries", has_text="Entry 0").count() == 1

    page.select_option("select[name=timeline]", "call")
    expect(page.locator("#timeline-entries > li")).to_have_count(5)
    assert "A dossier note" not in page.inner_text("#timeline-entries")


def test_today_on_a_phone_shows_each_account_to_call_whole(live_server, browser):
    kam = kam_with_password()
    account = AccountFactory(
        owner=kam, name="Przedsiębiorstwo Handlowo-Usługowe Kowalski", tier="A"
    )
    ActivityFactory(account=account, status="done", starts_at=timezone.now() - timedelta(days=200))
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    log_in(page, live_server, "kam1")
    page.goto(f"{live_server.url}/activities/today/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    action = page.locator("#accounts-to-call a", has_text="Log a call").first
    box = action.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # not hidden in a scroll box
    assert page.locator("#accounts-to-call td[data-label]").first.is_visible()
    context.close()
