"""Headless Chromium (Debian's) driven by Playwright against pytest-django's live server."""

import os
from urllib.parse import urlencode

import pytest
from django.db import connections

from team.models import Role
from tests.factories import TerritoryFactory, UserFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(requires_browser):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # ORM calls made while Playwright runs get their own connection (it switches greenlets,
        # and Django keys connections by context); close it, from inside that context, so the
        # test database can be dropped. Tests that drive `browser` directly need it as well.
        connections.close_all()


# How long a step may wait for the page. Generous: CI's two cores are often shared with other
# suites, and a page that answers in 200 ms alone has been seen to take over 10 s there.
STEP_TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()


def pick(page, field_id: str, typed: str, choice: str | None = None) -> None:
    """Choose in a type-ahead picker: type part of a name, click the matching suggestion."""
    page.locator(f"#{field_id}-ts-control").focus()
    # Wait for the answer to what was typed, and for the picker to have drawn it: an option
    # clicked in the list it showed on focus is chosen, but the late answer then opens the
    # list again over the form (seen on CI: it hid the Save button).
    with page.expect_response(lambda response: urlencode({"q": typed}) in response.url):
        page.keyboard.type(typed)
    page.wait_for_function(f"document.getElementById({field_id!r}).tomselect.loading === 0")
    page.locator(f"#{field_id}-ts-dropdown .option", has_text=choice or typed).first.click()


def nav_to(page, group: str, item: str) -> None:
    """Open a menu of the navigation and follow one of its links."""
    page.click(f"nav summary:has-text('{group}')")
    page.click(f"nav .nav-menu >> text={item}")


DEMO_PASSWORD = "demo"


def log_in(page, live_server, username: str) -> None:
    """Log in through the login page with the test password, then open the accounts."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")


def kam_with_password(username: str = "kam1"):
    """A KAM of a North territory who logs in with the password "demo"."""
    kam = UserFactory(
        username=username, role=Role.KAM, territory=TerritoryFactory(name="North", code="north")
    )
    kam.set_password(DEMO_PASSWORD)
    kam.save()
    return kam
