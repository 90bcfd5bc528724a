"""In a real browser: finance calculates and closes a month; the KAM opens their statement and
disputes a line; finance accepts it as an adjustment, which appears in the next month."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from commissions.models import Dispute
from team.models import Role
from tests.browser.conftest import browser  # noqa: F401 - the fixture
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import invoice_lines
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

default_schemes = ledger_helpers.default_schemes
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(chromium, live_server, username):
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    return context, page


def test_finance_closes_the_kam_disputes_finance_accepts_as_an_adjustment(browser, live_server):  # noqa: F811
    importlib.import_module("receivables.migrations.0002_seed_vat_rates_and_dunning_levels").seed(
        apps, None
    )
    north = TerritoryFactory(name="North", code="north")
    kam = UserFactory(username="kam1", role=Role.KAM, territory=north)
    finance = UserFactory(username="finance", role=Role.FINANCE, territory=None)
    for user in (kam, finance):
        user.set_password("demo")
        user.save()
    from commissions.models import SchemeVersion

    SchemeVersion.objects.filter(scheme__code="standard").update(earned_on="invoice")
    invoice_lines(
        finance,
        AccountFactory(owner=kam, name="Alpha Foods"),
        ("1000.00", "0"),
        issued=date(2026, 9, 10),
    )

    context, page = _login(browser, live_server, "finance")
    page.click("nav summary:has-text('Commission')")
    with page.expect_navigation():
        page.click("nav .nav-menu >> text=Periods")
    page.fill("#id_month", "2026-09")
    with page.expect_navigation():
        page.click("form.inline-form button:has-text('Calculate')")
    page.wait_for_selector("text=2026-09 calculated.")
    # Closing queues the KAMs' statement PDFs; without a worker they render in-process.
    with page.expect_navigation(timeout=60_000):
        page.click("button:has-text('Close')", timeout=60_000)
    page.wait_for_selector("text=closed; the KAMs' statements are being sent")
    context.close()

    context, page = _login(browser, live_server, "kam1")
    page.click("nav summary:has-text('Commission')")
    with page.expect_navigation():
        page.click("nav .nav-menu >> text=Statements")
    with page.expect_navigation():
        page.click("a:has-text('2026-09')")
    assert "1,000.00 \u00d7 15 % = 150.00" in page.inner_text("table.entries")
    page.click("details.dispute-form summary")
    page.fill("details.dispute-form textarea", "The rate for this client is 20 %.")
    with page.expect_navigation():
        page.click("button:has-text('Send to finance')")
    page.wait_for_selector("text=Your dispute is with finance.")
    context.close()

    context, page = _login(browser, live_server, "finance")
    page.click("nav summary:has-text('Commission')")
    with page.expect_navigation():
        page.click("nav .nav-menu >> text=Disputes")
    assert "The rate for this client is 20 %." in page.inner_text("table.disputes")
    page.fill("form.resolve-form input[name=amount]", "50.00")
    page.fill("form.resolve-form input[name=resolution]", "Agreed: 20 % for Alpha Foods")
    with page.expect_navigation():
        page.click("form.resolve-form button")
    page.wait_for_selector("text=Accepted: an adjustment of 50.00 PLN in 2026-10.")
    context.close()

    context, page = _login(browser, live_server, "kam1")
    page.goto(f"{live_server.url}/commissions/statements/")
    with page.expect_navigation():
        page.click("a:has-text('2026-10')")
    text = page.inner_text("main")
    assert "Agreed: 20 % for Alpha Foods" in text and "50.00 PLN" in text
    context.close()
    assert Dispute.objects.get().adjustment.amount == Decimal("50.00")
