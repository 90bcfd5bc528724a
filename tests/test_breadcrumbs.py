"""Every page a signed-in person opens shows where it sits: a breadcrumb trail, never one that
ends in a separator.

The pages come from the resolver (like tests/test_urls.py), so a new page is checked as soon as
it is routed: one without parameters by itself; one with parameters once it is given the
records to open in ARGS below (until then the walk fails and says so). A route that serves no
page of its own (a POST action, a download, an htmx fragment, a picker's JSON) is recognised by
its answer; NOT_PAGES lists the few that cannot be recognised that way.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissions.models import CommissionPeriod, Statement
from receivables import services as money
from tests.deals.conftest import book_build
from tests.deals.factories import ProductFactory
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    ContactRelationFactory,
    DossierNoteFactory,
    NotificationFactory,
)
from tests.test_urls import PUBLIC, _routes

SEPARATOR = "\u203a"  # the single right-pointing angle quotation mark
CRUMBS = re.compile(r'<(?:p|nav) class="crumbs"[^>]*>(.*?)</(?:p|nav)>', re.S)
TAGS = re.compile(r"<[^>]+>")

NOT_PAGES = {
    "logout",  # signs out and goes to the login page
    "password_change_done",  # Django's page, never linked: the change page redirects home
    "activities:calendar_feed",  # an iCal file
    "deals:board_column",  # one column of the pipeline, fetched by htmx
    # downloads
    "receivables:aging_export",
    "receivables:open_items_export",
    "commissions:period_export",
    "reports:download",
}


@pytest.fixture
def world(alice, bob, dora, fiona, adam, alice_account):
    """One record of each kind under alice's account, and the route → URL arguments."""
    account = alice_account
    contact = ContactFactory(account=account)
    relation = ContactRelationFactory(
        from_contact=ContactFactory(account=account), to_contact=contact
    )
    note = DossierNoteFactory(account=account, author=alice)
    book = book_build(account, ProductFactory())
    activity = ActivityFactory(account=account, owner=alice)
    statement = Statement.objects.create(
        period=CommissionPeriod.objects.create(month=date(2026, 9, 1)), kam=alice, currency="PLN"
    )
    notification = NotificationFactory(recipient=alice, url=reverse("accounts:list"))
    today = timezone.localdate()
    invoice = money.invoice_issue(
        actor=fiona,
        account=account,
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=10),
        currency="PLN",
        lines=[
            money.LineInput(
                description="Goods", quantity=Decimal(1), unit_price=Decimal(9), vat_code="0"
            )
        ],
    )
    payment = money.payment_record(
        actor=fiona, account=account, received_on=today, amount=Decimal(5), currency="PLN"
    )
    args = {
        "accounts:detail": [account.pk],
        "accounts:edit": [account.pk],
        "accounts:contact_create": [account.pk],
        "accounts:financials_edit": [account.pk],
        "accounts:note_create": [account.pk],
        "accounts:relation_create": [account.pk],
        "accounts:contact_edit": [contact.pk],
        "accounts:note_edit": [note.pk],
        "accounts:relation_delete": [relation.pk],
        "activities:detail": [activity.pk],
        "activities:log": [account.pk],
        "activities:account_timeline": [account.pk],
        "activities:notification_open": [notification.pk],
        "deals:deal_detail": [book.deal.pk],
        "deals:deal_edit": [book.deal.pk],
        "deals:offer_create": [book.deal.pk],
        "deals:offer_detail": [book.offer.pk],
        "deals:offer_edit": [book.offer.pk],
        "deals:offer_line_edit": [book.line.pk],
        "deals:contract_detail": [book.contract.pk],
        "deals:contract_edit": [book.contract.pk],
        "deals:obligation_add": [book.contract.pk],
        "deals:order_detail": [book.order.pk],
        "deals:order_edit": [book.order.pk],
        "deals:return_create": [book.order.pk],
        "deals:complaint_detail": [book.complaint.pk],
        "deals:complaint_edit": [book.complaint.pk],
        "receivables:invoice_detail": [invoice.pk],
        "receivables:credit_note_create": [invoice.pk],
        "receivables:payment_detail": [payment.pk],
        "receivables:statement_answer": [account.pk],
        "receivables:account_collection_log": [account.pk],
        "receivables:collection_log": [invoice.pk],
        "receivables:credit_edit": [account.pk],
        "receivables:credit_propose": [account.pk],
        "receivables:invoice_from_order": [book.order.pk],
        "commissions:fulfilment_kam": [alice.pk],
        "commissions:fulfilment_account": [alice.pk, account.pk],
        "commissions:kam_plan": [alice.pk],
        "commissions:statement_detail": [statement.pk],
        "dashboards:cockpit_kam": [alice.pk],
    }
    return {"users": (adam, dora, alice, fiona), "args": args}


def _trail(html: str) -> str | None:
    """The breadcrumb trail's text, or None when the page has none."""
    found = CRUMBS.search(html)
    if found is None:
        return None
    return " ".join(TAGS.sub(" ", found.group(1)).split())


def _is_page(response) -> bool:
    """A whole page of the app (not a fragment, a download, JSON or a redirect)."""
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Disposition")
        and b'<main class="container' in response.content
    )


def _url(name: str, path: str, args: dict) -> str:
    return reverse(name, args=args[name]) if name in args else path


def test_every_page_shows_a_breadcrumb_that_ends_in_the_page(client, world):
    problems, checked = [], 0
    for path, name, _ in _routes():
        if path.startswith(("/api/", "/admin/")) or name in PUBLIC or name in NOT_PAGES:
            continue
        url = _url(name, path, world["args"])
        answers = set()
        for user in world["users"]:
            client.force_login(user)
            response = client.get(url)
            answers.add(response.status_code)
            if not _is_page(response):
                continue
            checked += 1
            trail = _trail(response.content.decode())
            if not trail:
                problems.append(f"{url} ({name}) as {user.username}: no breadcrumb")
            elif trail.endswith(SEPARATOR) or SEPARATOR not in trail:
                problems.append(f"{url} ({name}) as {user.username}: breadcrumb {trail!r}")
        if answers == {404}:
            problems.append(f"{url} ({name}): 404 for everyone; give it records in ARGS")
    assert not problems, "\n".join(problems)
    assert checked > 60  # the walk really opened the pages
