"""Drag a deal card to another stage on the pipeline board; dropping on Lost asks why. The
card buttons (keyboards, phones) move the same way, and "Show more" cards can be dragged."""

import pytest

from deals.models import Deal
from deals.selectors import BOARD_CARDS
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


def test_kam_moves_a_card_with_its_button_and_drags_one_loaded_by_show_more(live_server, page):
    kam = kam_with_password()
    account = AccountFactory(owner=kam, name="Alpha Foods")
    deals = [
        DealFactory(account=account, title=f"Deal {n}", stage=Deal.Stage.OFFER, amount=1000 - n)
        for n in range(BOARD_CARDS + 2)
    ]
    log_in(page, live_server, "kam1")
    page.goto(f"{live_server.url}/deals/board/")

    first, last = deals[0], deals[-1]
    page.locator(f"#deal-card-{first.pk} button:has-text('Meeting')").click()
    page.get_by_text(f"{first.title} moved to Meeting / presentation.").wait_for()
    assert page.url.endswith("/deals/board/")  # moved in place, not sent to the deal's page

    column = page.locator(".board-cards[data-stage='offer']")
    column.get_by_role("button", name="Show more").click()
    page.locator(f"#deal-card-{last.pk}").wait_for()
    assert column.locator(".deal-card").count() == BOARD_CARDS + 1
    page.locator(f"#deal-card-{last.pk} .deal-title").drag_to(
        page.locator(".board-cards[data-stage='negotiation']")
    )
    page.get_by_text(f"{last.title} moved to Negotiation.").wait_for()

    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.stage, last.stage) == (Deal.Stage.MEETING, Deal.Stage.NEGOTIATION)
