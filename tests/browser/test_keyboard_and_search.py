"""Keyboard shortcuts and the search box, as a KAM uses them: '/' to search, type part of a
client's name without Polish letters, open it; 'g' then a letter to go somewhere; '?' lists
the shortcuts; none of them fires while typing in a field."""

import pytest

from tests.browser.conftest import kam_with_password, log_in
from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_slash_searches_and_g_letters_go_places(live_server, page):
    kam = kam_with_password()
    account = AccountFactory(owner=kam, name="Mleczarnia Łowicz")

    log_in(page, live_server, "kam1")

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "global-search"
    page.keyboard.type("mlecz")
    page.locator("#global-search-results a", has_text="Mleczarnia").click()
    page.wait_for_url(f"{live_server.url}/accounts/{account.pk}/")

    page.keyboard.press("g")
    page.keyboard.press("d")
    page.wait_for_url(f"{live_server.url}/deals/board/")

    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/deals/")
    page.fill("#id_q", "g")
    page.keyboard.press("a")  # typing, not a shortcut
    assert page.url.startswith(f"{live_server.url}/deals/")
    assert page.input_value("#id_q") == "ga"
