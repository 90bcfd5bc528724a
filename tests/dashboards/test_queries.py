"""Each dashboard costs a fixed number of queries whatever the rows: counted with one set of
rows, then again with more of every kind (accounts, invoices, offers waiting, deals,
contracts, complaints, activities, health scores)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissions.models import SalesPlan
from health.services import health_scores_compute
from receivables.models import CreditProfile
from tests.deals.factories import ComplaintFactory, ContractFactory, DealFactory, OfferLineFactory
from tests.factories import AccountFactory, ActivityFactory, ContactFactory


def _grow(owners, issue, n=2):
    today = timezone.localdate()
    for owner in owners:
        SalesPlan.objects.get_or_create(
            kam=owner, month=today.replace(day=1), defaults={"revenue_target": D("1000")}
        )
        for _ in range(n):
            account = AccountFactory(owner=owner, tier="A")
            CreditProfile.objects.create(account=account, credit_limit=D("10"), currency="PLN")
            issue(
                account,
                "100.00",
                issued=today - timedelta(days=100),
                due=today - timedelta(days=80),
            )
            issue(account, "50.00", issued=today)
            OfferLineFactory(offer__deal__account=account, offer__status="pending_approval")
            OfferLineFactory(
                offer__deal__account=account,
                offer__status="accepted",
                offer__closed_at=timezone.now(),
            )
            DealFactory(account=account, stage="offer", expected_close_date=today)
            ContractFactory(account=account, end_date=today + timedelta(days=10))
            ComplaintFactory(account=account)
            contact = ContactFactory(account=account)
            ActivityFactory(account=account, status="done", starts_at=timezone.now()).contacts.add(
                contact
            )
            ActivityFactory(account=account, starts_at=timezone.now() + timedelta(hours=1))
    health_scores_compute()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The queries of each page, in order:
# Cockpit (38): session, user; the territory's KAMs; commissions' fulfilment for the month,
# quarter and year at once (KAMs, plans, orders, invoices, credit notes, allocations, first
# invoices); the territory's ABC classes (the Pareto curve), its concentration by month;
# offers waiting for the director, credit overrides waiting; accounts with a limit and a
# live offer; their credit profiles, open invoices, orders, exposed offers; aging
# by account, and their owners (the aging by KAM is its rows added up); won, lost; leakage
# by KAM and account together (one statement; 39 with one each); A accounts' health; overdue
# invoices and their count; cadences, A accounts past them; contracts ending; the funnel; the
# forecast; the DSO invoicing; cadence compliance (cadences, KAMs, counts); the menu's offers
# waiting and notifications. Then (47) the commission effect of the offers waiting (9 with
# the next two: the offers' lines; the rules, 5; the sales' invoices; the KAMs' month is the
# plan's month, read above: 7 fewer than when it was read again), A accounts that dropped a
# class, open commission disputes.
# KAM dashboard (25): session, user; commissions' fulfilment for the month and quarter (KAM,
# plans, orders, invoices, credit notes, allocations, first invoices); overdue invoices;
# promises; contracts; offers expiring; complaints; pipeline by stage, closing this month;
# neglected (cadences, accounts); today (activities today, the oldest overdue: the today
# page's accounts to call and their cadences, 2 more, are not shown here); accounts, their
# health; notifications. Then (31) my commission (8, no period here;
# tests/dashboards/test_commission.py counts it with one): may the reader see the KAM; the
# period; the rules, 5; the waiting commission in every currency at once, 1 (the open
# invoices; a second, their deals' earlier invoices, only for invoices of a deal: each
# invoice's commission comes from its totals, no line is read). It was 16 (the open
# invoices' currencies, then per currency the open invoices, the rules again, the sales'
# invoices and lines). The month's fulfilment is the plan card's (3 fewer).
# Finance dashboard (12): session, user; aging by account today (the top overdue; its totals
# are the company's aging); bank lines; what was open on every month end (one statement for
# the 12 + 1 days); the month-by-month invoicing; broken promises; credit holds; hold
# requests; overrides; orders to invoice; notifications. Then (14) the commission periods and
# the open disputes. (27 before: one aging per month end, and the company's aging apart.)
BUDGETS = {"dora": 47, "alice": 31, "fiona": 14}


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("dora", reverse("dashboards:cockpit")),
        ("alice", reverse("dashboards:kam")),
        ("fiona", reverse("dashboards:finance")),
    ],
)
def test_dashboards_cost_the_same_queries_with_more_rows(
    client, personas, issue, persona, url, alice, bob
):
    client.force_login(personas[persona])
    _grow([alice, bob], issue, n=1)
    few = _count(client, url)
    _grow([alice, bob], issue, n=3)
    assert _count(client, url) == few == BUDGETS[persona]
