"""Typing past a field's limit is said while typing, before the form is sent; the server still
refuses what is over, and the page it sends back shows the warning at once."""

import pytest

from tests.browser.conftest import kam_with_password, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_past_a_limit_is_warned_before_the_form_is_sent(live_server, page):
    from playwright.sync_api import expect

    kam_with_password()
    log_in(page, live_server, "kam1")
    page.goto(f"{live_server.url}/accounts/create/")
    # A short field filled to its length (the currency code "PLN") is not counted down.
    expect(page.locator(".limit-note:visible")).to_have_count(0)

    name = page.locator("#id_name")  # at most 200 characters
    name.fill("A" * 150)
    expect(page.locator("#id_name + .limit-note")).to_be_hidden()  # far from it: nothing said
    name.fill("A" * 195)
    expect(page.locator("#id_name + .limit-note")).to_have_text("5 characters left")
    name.press_sequentially("B" * 8)
    note = page.locator("#id_name + .limit-note")
    expect(note).to_have_text("Over the limit by 3 characters")
    expect(note).to_have_class("limit-note over")

    potential = page.locator("#id_potential_amount")  # 14 digits, 2 after the point
    potential.press_sequentially("1234567890123")
    expect(page.locator("#id_potential_amount + .limit-note")).to_have_text(
        "Over the limit: at most 999,999,999,999.99"
    )
    potential.press("Backspace")
    expect(page.locator("#id_potential_amount + .limit-note")).to_be_hidden()

    page.click("button[type=submit]")
    # Refused by the server as before, the text kept, and the warning there at once.
    expect(page.locator(".errorlist").first).to_contain_text("200")
    assert page.locator("#id_name").input_value() == "A" * 195 + "B" * 8
    expect(page.locator("#id_name + .limit-note")).to_have_text("Over the limit by 3 characters")
