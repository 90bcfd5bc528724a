"""Every page of the app, as a KAM, a director and finance, on a laptop (1366 px) and a phone
(390 px): none may scroll sideways (tables scroll in their own box), log a console error, or
load anything from another host."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from team.models import Role
from tests.browser.conftest import log_in
from tests.deals.conftest import book_build
from tests.deals.factories import ProductFactory
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    ContactRelationFactory,
    DossierNoteFactory,
    NotificationFactory,
    TerritoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
# Pages finance is refused (403) by design: sales' private activities.
SALES_ONLY = {"activities"}


def _pages(book, account, activity) -> list[tuple[str, str]]:
    """(area, path) of every page a person opens."""
    r = reverse
    return [
        ("accounts", r("accounts:list")),
        ("accounts", r("accounts:detail", args=[account.pk])),
        ("accounts", r("accounts:edit", args=[account.pk])),
        ("accounts", r("accounts:create")),
        ("accounts", r("accounts:contact_create", args=[account.pk])),
        ("search", r("search") + "?q=alpha"),
        ("deals", r("deals:board")),
        ("deals", r("deals:deal_list")),
        ("deals", r("deals:deal_detail", args=[book.deal.pk])),
        ("deals", r("deals:deal_edit", args=[book.deal.pk])),
        ("deals", r("deals:deal_create")),
        ("deals", r("deals:offer_detail", args=[book.offer.pk])),
        ("deals", r("deals:approvals")),
        ("deals", r("deals:catalogue")),
        ("deals", r("deals:contract_list")),
        ("deals", r("deals:contract_detail", args=[book.contract.pk])),
        ("deals", r("deals:contract_create") + f"?account={account.pk}"),
        ("deals", r("deals:order_list")),
        ("deals", r("deals:order_detail", args=[book.order.pk])),
        ("deals", r("deals:return_list")),
        ("deals", r("deals:returns_analysis")),
        ("deals", r("deals:complaint_list")),
        ("deals", r("deals:complaint_detail", args=[book.complaint.pk])),
        ("activities", r("activities:today")),
        ("activities", r("activities:planner")),
        ("activities", r("activities:list")),
        ("activities", r("activities:neglected")),
        ("activities", r("activities:detail", args=[activity.pk])),
        ("activities", r("activities:summary")),
        ("activities", r("activities:task_assign")),
        ("me", r("activities:notifications")),
        ("me", r("activities:settings")),
        ("me", r("password_change")),
    ]


@pytest.fixture
def world():
    north = TerritoryFactory(name="North", code="north")
    dora = UserFactory(username="dora", role=Role.DIRECTOR, territory=north)
    alice = UserFactory(username="alice", role=Role.KAM, territory=north, reports_to=dora)
    fiona = UserFactory(username="fiona", role=Role.FINANCE, territory=None)
    for user in (dora, alice, fiona):
        user.set_password("demo")
        user.save()
    account = AccountFactory(
        owner=alice, name="Alpha Foods Spółka z ograniczoną odpowiedzialnością"
    )
    boss = ContactFactory(account=account, first_name="Anna", last_name="Wiśniewska")
    ContactRelationFactory(from_contact=ContactFactory(account=account), to_contact=boss)
    DossierNoteFactory(account=account, author=alice)
    book = book_build(account, ProductFactory(sku="CAB-001", name="Copper cable"))
    activity = ActivityFactory(account=account, owner=alice)
    for user in (dora, alice, fiona):
        NotificationFactory(recipient=user, url=reverse("accounts:list"))
    return {"users": (alice, dora, fiona), "pages": _pages(book, account, activity)}


def _visit_all(live_server, browser, user, pages, width) -> list[str]:
    problems = []
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    host = urlsplit(live_server.url).netloc
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda req: (
            problems.append(f"{user.username}@{width}: request to {req.url}")
            if urlsplit(req.url).netloc not in (host, "")
            and not req.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    log_in(page, live_server, user.username)
    for area, path in pages:
        if user.role == Role.FINANCE and area in SALES_ONLY:
            continue
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        where = f"{user.username} {path} @{width}"
        # 403 is a designed refusal (a KAM on the team week, finance on activities).
        if response.status >= 400 and response.status != 403:
            problems.append(f"{where}: HTTP {response.status}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{where}: scrolls sideways by {overflow} px")
        refused = f"status of {response.status}" if response.status == 403 else None
        for message in console:
            if not (refused and refused in message):  # the browser notes the refused page
                problems.append(f"{where}: console error {message}")
        console.clear()
    context.close()
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_and_stays_quiet(live_server, browser, world, width):
    problems = []
    for user in world["users"]:
        problems += _visit_all(live_server, browser, user, world["pages"], width)
    assert not problems, "\n".join(problems)
