"""A director lands on the cockpit, follows the exception to the offer waiting for them and
approves it; the cockpit then has nothing waiting. Screenshots at 1366 and 390 px."""

from decimal import Decimal as D

import pytest

from deals import services
from deals.models import Offer
from team.models import Role
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.deals.factories import DealFactory, DiscountLimitFactory, ProductFactory
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_follows_an_exception_from_the_cockpit_and_approves(
    live_server, browser, tmp_path
):
    north = TerritoryFactory(name="North", code="north")
    director = UserFactory(username="director1", role=Role.DIRECTOR, territory=north)
    kam = UserFactory(username="kam1", role=Role.KAM, territory=north, reports_to=director)
    director.set_password("demo")
    director.save()
    account = AccountFactory(owner=kam, name="Alpha Foods", tier="B")
    cable = ProductFactory(sku="CAB-001", list_price=D("100.00"), unit_cost=D("50.00"))
    DiscountLimitFactory(category=cable.category, tier="B", max_discount=D("10"))
    deal = DealFactory(account=account, title="Cables for the new plant", stage="offer")
    offer = services.offer_create(actor=kam, deal=deal)
    services.offer_line_add(actor=kam, offer=offer, product=cable, quantity=D(100), discount=D(25))
    services.offer_submit(actor=kam, offer=offer)

    for width in (390, 1366):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "director1")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/dashboards/cockpit/")
        exception = page.locator("a[data-exception=offer]", has_text="Cables for the new plant")
        assert exception.is_visible()
        assert "7,500.00 PLN" in page.locator("#exceptions").text_content()
        # Charts are inline SVG; on a phone they scroll inside their box, not the page.
        assert page.locator("#funnel svg.chart-svg").count() == 1
        assert page.locator("#funnel figure.chart").bounding_box()["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=tmp_path / f"cockpit-{width}.png", full_page=True)
        if width == 1366:
            exception.click()
            page.wait_for_url(f"{live_server.url}/offers/{offer.pk}/")
            page.fill("#id_comment", "Strategic plant, go ahead.")
            page.click("button:has-text('Approve')")
            page.wait_for_selector("text=Approved by")
            page.goto(f"{live_server.url}/dashboards/cockpit/")
            assert page.locator("a[data-exception=offer]").count() == 0
        context.close()

    offer.refresh_from_db()
    assert offer.status == Offer.Status.APPROVED
    assert offer.decided_by == director
