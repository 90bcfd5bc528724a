"""Drag a deal card to another stage on the pipeline board; dropping on Lost asks why."""

import pytest

from deals.models import Deal
from tests.browser.conftest import kam_with_password, log_in
from tests.deals.factories import DealFactory
from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kam_drags_a_deal_to_negotiation_and_another_to_lost(live_server, page):
    kam = kam_with_password()
    account = AccountFactory(owner=kam, name="Alpha Foods")
    moving = DealFactory(account=account, title="Cables", stage=Deal.Stage.OFFER, probability=40)
    losing = DealFactory(account=account, title="Pipes", stage=Deal.Stage.OFFER, probability=40)

    log_in(page, live_server, "kam1")
    page.goto(f"{live_server.url}/deals/board/")

    page.locator(f"#deal-card-{moving.pk} .deal-title").drag_to(
        page.locator(".board-cards[data-stage='negotiation']")
    )
    page.get_by_text("Cables moved to Negotiation.").wait_for()
    assert page.locator(f".board-cards[data-stage='negotiation'] #deal-card-{moving.pk}").count()

    page.locator(f"#deal-card-{losing.pk} .deal-title").drag_to(
        page.locator(".board-cards[data-stage='lost']")
    )
    page.fill("#lost-reason", "The client chose plastic")
    page.click("#lost-dialog button:has-text('Mark lost')")
    page.get_by_text("Pipes moved to Lost.").wait_for()

    moving.refresh_from_db()
    losing.refresh_from_db()
    assert moving.stage == Deal.Stage.NEGOTIATION
    assert (losing.stage, losing.lost_reason) == (Deal.Stage.LOST, "The client chose plastic")
