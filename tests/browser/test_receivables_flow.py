"""Finance records a payment and allocates it; a KAM's offer is blocked by credit, the director
approves the override, the offer is sent. With RECEIVABLES_SHOTS=<dir>, every receivables page
is also captured at 1366 and 390 px wide."""

import importlib
import os
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from deals.models import Offer
from receivables import services
from receivables.models import Invoice, Payment
from team.models import Role
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory, ProductFactory
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("RECEIVABLES_SHOTS")
TODAY = timezone.localdate()


def _login(browser, live_server, username, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")
    return context, page


def _shoot(browser, live_server, username, name, path):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        context, page = _login(browser, live_server, username, width)
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        context.close()


@pytest.fixture
def world(db):
    # The VAT rates of the data migration, which an earlier transactional test's flush removed.
    importlib.import_module("receivables.migrations.0002_seed_vat_rates_and_dunning_levels").seed(
        apps, None
    )
    north = TerritoryFactory(name="North", code="north")
    director = UserFactory(username="director1", role=Role.DIRECTOR, territory=north)
    kam = UserFactory(username="kam1", role=Role.KAM, territory=north, reports_to=director)
    finance = UserFactory(username="finance", role=Role.FINANCE, territory=None)
    for user in (director, kam, finance):
        user.set_password("demo")
        user.save()
    account = AccountFactory(owner=kam, name="Alpha Foods", tier="B", tax_id="PL5260250274")
    lines = [services.LineInput("Copper cable", D(10), D("100.00"), "23")]
    older = services.invoice_issue(
        actor=finance,
        account=account,
        number="FV/2026/000101",
        currency="PLN",
        lines=lines,
        issue_date=TODAY - timedelta(days=50),
        due_date=TODAY - timedelta(days=20),
    )
    newer = services.invoice_issue(
        actor=finance,
        account=account,
        number="FV/2026/000102",
        currency="PLN",
        lines=lines,
        issue_date=TODAY - timedelta(days=10),
        due_date=TODAY + timedelta(days=20),
    )
    services.credit_profile_set(
        actor=finance, account=account, data={"credit_limit": D("5000.00")}, reason="Review"
    )
    return {"kam": kam, "account": account, "older": older, "newer": newer}


def test_finance_records_a_payment_and_allocates_it_oldest_first(live_server, browser, world):
    context, page = _login(browser, live_server, "finance")
    page.click("nav.nav summary:has-text('Money')")
    page.click("nav.nav >> text=Payments")
    page.click("text=Record a payment")
    page.fill("#id_account", "PL5260250274")
    page.fill("#id_amount", "1500.00")
    page.fill("#id_payer_reference", "Przelew FV/2026/000101")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Allocate")
    page.click("button:has-text('Oldest first')")
    page.wait_for_selector("text=Allocated to 2 invoice(s).")
    assert page.locator("#unallocated").inner_text() == "0.00"
    older, newer = (Invoice.objects.get(pk=world[k].pk) for k in ("older", "newer"))
    assert older.status == "paid" and newer.open_amount == D("960.00")
    context.close()
    payment = Payment.objects.get()
    for name, path in [
        ("invoice-list", "/receivables/invoices/"),
        ("invoice-detail", f"/receivables/invoices/{newer.pk}/"),
        ("payment-list", "/receivables/payments/"),
        ("payment-detail", f"/receivables/payments/{payment.pk}/"),
        ("payment-create", "/receivables/payments/create/"),
        ("aging", "/receivables/aging/?group_by=kam"),
        ("to-chase", "/receivables/to-chase/"),
        ("credit", "/receivables/credit/"),
        ("credit-edit", f"/receivables/credit/{world['account'].pk}/edit/"),
        ("orders-to-invoice", "/receivables/orders-to-invoice/"),
        ("import", "/receivables/imports/"),
        ("bank", "/receivables/bank/"),
        ("account-money", f"/accounts/{world['account'].pk}/"),
    ]:
        _shoot(browser, live_server, "finance", name, path)


def test_an_offer_blocked_by_credit_is_sent_after_the_director_approves(
    live_server, browser, world
):
    product = ProductFactory(list_price=D("1000.00"), unit_cost=D("500.00"))
    deal = DealFactory(account=world["account"], stage="offer", title="Spring range")
    offer = OfferFactory(deal=deal, version=1)
    OfferLineFactory(offer=offer, product=product, quantity=D(5), discount=D(0))

    kam_context, kam = _login(browser, live_server, "kam1")
    kam.goto(f"{live_server.url}/offers/{offer.pk}/")
    kam.wait_for_selector("#credit >> text=Available after")
    kam.click("button:has-text('Send to client')")
    kam.wait_for_selector("text=over the credit limit")
    assert Offer.objects.get(pk=offer.pk).status == "draft"
    kam.fill("#override-reason", "They pay the old invoice this week; strategic order.")
    kam.click("button:has-text('Ask for a credit override')")
    kam.wait_for_selector("text=waiting for the director or finance")
    _shoot(browser, live_server, "kam1", "offer-blocked", f"/offers/{offer.pk}/")

    director_context, director = _login(browser, live_server, "director1")
    director.click("nav.nav summary:has-text('Sales')")
    director.click("nav.nav >> text=Offers to approve")
    _shoot(browser, live_server, "director1", "approvals", "/offers/approvals/")
    director.fill("#credit-overrides input[name=comment]", "Go ahead, watch the payment.")
    director.click("#credit-overrides button:has-text('Approve')")
    director.wait_for_selector("text=Override approved.")
    director_context.close()

    kam.goto(f"{live_server.url}/offers/{offer.pk}/")
    kam.wait_for_selector("text=Credit override approved by")
    kam.click("button:has-text('Send to client')")
    kam.wait_for_selector(".status.offer-sent")
    assert Offer.objects.get(pk=offer.pk).status == "sent"
    kam_context.close()
