"""A KAM sells with an offer over the discount limit; the director approves it in between."""

from decimal import Decimal as D

import pytest

from deals.models import Contract, Deal, Offer, Order
from team.models import Role
from tests.browser.conftest import STEP_TIMEOUT_MS, nav_to, pick
from tests.deals.factories import DiscountLimitFactory, ProductFactory
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboards/**")  # each role lands on its dashboard
    page.goto(f"{live_server.url}/accounts/")
    return context, page


def test_kam_sells_with_an_offer_the_director_approves(live_server, browser):
    north = TerritoryFactory(name="North", code="north")
    director = UserFactory(username="director1", role=Role.DIRECTOR, territory=north)
    kam = UserFactory(username="kam1", role=Role.KAM, territory=north, reports_to=director)
    for user in (director, kam):
        user.set_password("demo")
        user.save()
    account = AccountFactory(owner=kam, name="Alpha Foods", tier="B")
    cable = ProductFactory(
        sku="CAB-001", name="Copper cable", list_price=D("100.00"), unit_cost=D("50.00")
    )
    DiscountLimitFactory(category=cable.category, tier="B", max_discount=D("10"))

    kam_context, kam_page = _login(browser, live_server, "kam1")
    kam_page.click("text=Alpha Foods")
    kam_page.click("#deals-panel >> text=New deal")
    kam_page.fill("#id_title", "Cables for the new plant")
    kam_page.fill("#id_amount", "25000")
    kam_page.click("button:has-text('Save')")
    kam_page.wait_for_selector("text=Stage history")
    deal = Deal.objects.get(title="Cables for the new plant")

    # Along the board with one click per stage, without a page load.
    kam_page.goto(f"{live_server.url}/deals/board/")
    kam_page.locator(f"#deal-card-{deal.pk} button:has-text('First contact')").click()
    kam_page.wait_for_selector(f"[data-stage=first_contact] #deal-card-{deal.pk}")
    kam_page.locator(f"#deal-card-{deal.pk} button:has-text('Offer')").click()
    kam_page.wait_for_selector(f"[data-stage=offer] #deal-card-{deal.pk}")

    kam_page.click(f"#deal-card-{deal.pk} a.deal-title")
    kam_page.click("button:has-text('New offer')")
    pick(kam_page, "id_product", "CAB-001", "CAB-001 Copper cable")
    kam_page.fill("#id_quantity", "100")
    kam_page.fill("#id_discount", "25")
    kam_page.click("button:has-text('Add line')")
    assert kam_page.locator("#offer-total").text_content().strip() == "7,500.00 PLN"
    assert "needs a director's approval" in kam_page.content()
    kam_page.click("button:has-text('Submit for approval')")
    kam_page.wait_for_selector("text=Waiting for the director's approval")
    offer = Offer.objects.get(deal=deal)
    assert offer.status == Offer.Status.PENDING_APPROVAL

    director_context, director_page = _login(browser, live_server, "director1")
    nav_to(director_page, "Sales", "Offers to approve")
    assert "discount 25 % is above the 10 %" in director_page.content()
    director_page.click("text=Cables for the new plant v1")
    director_page.fill("#id_comment", "Strategic plant, go ahead.")
    director_page.click("button:has-text('Approve')")
    director_page.wait_for_selector("text=Approved by")
    director_context.close()

    kam_page.reload()
    kam_page.click("button:has-text('Send to client')")
    kam_page.wait_for_selector("text=Offer sent to the client")
    kam_page.click("button:has-text('Client accepted')")
    kam_page.click("text=Cables for the new plant")
    kam_page.select_option("#id_stage", "won")
    kam_page.click("button:has-text('Move')")
    kam_page.wait_for_selector("text=Moved to Won")

    kam_page.click("text=Record the contract")
    kam_page.fill("#id_number", "UM/2026/001")
    pick(kam_page, "id_deal", "Cables", "Cables for the new plant")
    kam_page.fill("#id_start_date", "2026-12-01")
    kam_page.fill("#id_end_date", "2027-11-30")
    kam_page.fill("#id_value", "7500")
    kam_page.click("button:has-text('Save')")
    kam_page.wait_for_selector("text=Contract UM/2026/001")
    kam_page.click("button:has-text('Mark active')")
    kam_page.wait_for_selector("text=Now active")
    kam_page.click("text=New order")
    kam_page.fill("#id_requested_date", "2026-12-15")
    kam_page.fill("#id_promised_date", "2026-12-16")
    kam_page.click("button:has-text('Save')")
    pick(kam_page, "id_product", "CAB-001", "CAB-001 Copper cable")
    kam_page.fill("#id_quantity", "100")
    kam_page.click("button:has-text('Add line')")

    kam_page.goto(f"{live_server.url}/accounts/{account.pk}/")
    panel = kam_page.locator("#deals-panel")
    assert panel.locator("#account-contracts").get_by_text("UM/2026/001").is_visible()
    order = Order.objects.get(account=account)
    assert panel.locator("#account-orders").get_by_text(f"#{order.pk}").is_visible()
    deal.refresh_from_db()
    offer.refresh_from_db()
    assert (deal.stage, offer.status, offer.decided_by) == ("won", "accepted", director)
    contract = Contract.objects.get(number="UM/2026/001")
    assert (contract.deal, contract.status) == (deal, "active")
    kam_context.close()
