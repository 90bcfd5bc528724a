"""In a real browser: a KAM on a phone sees this month's commission and opens the statement it
comes from; their director follows the open dispute from the cockpit to the disputes page."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from commissions.models import SalesPlan
from commissions.services import periods
from receivables import services
from team.models import Role
from tests.browser.conftest import browser  # noqa: F401 - the fixture
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import calculate, entries, pay_invoice
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

default_schemes = ledger_helpers.default_schemes
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(chromium, live_server, username, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")
    return context, page


def _issue(finance, account, amount, issued, due):
    return services.invoice_issue(
        actor=finance,
        account=account,
        issue_date=issued,
        due_date=due,
        currency="PLN",
        lines=[
            services.LineInput(
                description="Goods", quantity=Decimal(1), unit_price=Decimal(amount), vat_code="0"
            )
        ],
    )


def _pay(finance):
    def make(account, amount, *, on):
        return services.payment_record(
            actor=finance, account=account, received_on=on, amount=Decimal(amount), currency="PLN"
        )

    return make


def test_kam_opens_the_statement_behind_the_commission_and_the_director_the_dispute(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    importlib.import_module("receivables.migrations.0002_seed_vat_rates_and_dunning_levels").seed(
        apps, None
    )
    north = TerritoryFactory(name="North", code="north")
    director = UserFactory(username="director1", role=Role.DIRECTOR, territory=north)
    kam = UserFactory(username="kam1", role=Role.KAM, territory=north, reports_to=director)
    finance = UserFactory(username="finance", role=Role.FINANCE, territory=None)
    for user in (kam, director, finance):
        user.set_password("demo")
        user.save()
    month = timezone.localdate().replace(day=1)
    SalesPlan.objects.create(kam=kam, month=month, revenue_target=Decimal("1000"))
    account = AccountFactory(owner=kam, name="Alpha Foods")
    invoice = _issue(finance, account, "600.00", month, month)
    pay_invoice(finance, _pay(finance), invoice, "200.00", month)
    _issue(finance, account, "400.00", month - timedelta(days=20), month - timedelta(days=10))
    calculate(finance, month)
    [entry] = entries(kam, month)
    periods.dispute_raise(actor=kam, entry=entry, reason="The rate is wrong")

    context, page = _login(browser, live_server, "kam1", 390)
    card = page.locator("#commission")
    # 600 x 15 % = 90, 30 paid; 60 waits on it and 60 on last month's overdue invoice.
    assert "120.00" in card.inner_text()
    page.screenshot(path=str(tmp_path / "kam-390.png"), full_page=True)
    with page.expect_navigation():
        card.locator("a[href*='/statements/']").click()
    assert "/commissions/statements/" in page.url
    context.close()

    context, page = _login(browser, live_server, "director1", 1366)
    group = page.locator("#exception-disputes")
    assert "The rate is wrong" in group.inner_text()
    with page.expect_navigation():
        group.locator("li a").first.click()
    assert page.locator("tr[id^='dispute-']").count() == 1
    assert "The rate is wrong" in page.inner_text("table.disputes")
    context.close()
