"""The commission figures of the dashboards against a month worked out by hand, who sees
them, and what they cost in queries.

November 2026, the default "standard" scheme (15 % up to 100,000, earned on payment;
multiplier < 70 % → 0, 70-90 → 0.5, 90-100 → 0.8, 100-120 → 1.0, ≥ 120 → 1.2).
alice's plan: 10,000. Invoice A 6,000 issued 2 Nov, due 5 Nov, half paid on 8 Nov; invoice
B 1,000 issued 9 Nov, due 30 Nov. Finance calculated November on the 10th; today is the 12th.

- Invoiced so far 7,000 of 10,000 = 70 %: band 70-90 %, x0.5; 90 % (x0.8) is 2,000 away.
- A earns 6,000 x 15 % = 900, B 150. The 3,000 paid earns 900 x 3,000 / 6,000 = 450,
  x 0.5 = 225.00: the statement's total, earned so far.
- Earned but unpaid: A's unpaid half 450 (overdue since 5 Nov) + B's 150 = 600.
- Run rate: 70 % in 12 of 30 days → 175 % → x1.2; the 450 of 10 days scaled to 30 days
  → 1,350 x 1.2 = 1,620.00 projected.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountTier
from commissions.models import CommissionPeriod, TierChange
from commissions.selectors.earnings import kam_earnings
from commissions.selectors.statements import offer_commission
from commissions.services import periods
from dashboards.access import cockpit_scope
from dashboards.selectors import cockpit, finance_dashboard
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import calculate, entries, pay_invoice, plan
from tests.dashboards.test_queries import _grow
from tests.deals.factories import OfferLineFactory
from tests.factories import AccountFactory

default_schemes = ledger_helpers.default_schemes
pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)
TODAY = date(2026, 11, 12)


@pytest.fixture
def november(fiona, alice, alice_account, issue, pay):
    plan(alice, NOV, "10000")
    a = issue(alice_account, "6000.00", issued=date(2026, 11, 2), due=date(2026, 11, 5))
    b = issue(alice_account, "1000.00", issued=date(2026, 11, 9), due=date(2026, 11, 30))
    pay_invoice(fiona, pay, a, "3000.00", date(2026, 11, 8))
    calculate(fiona, NOV)
    tz = timezone.get_current_timezone()
    CommissionPeriod.objects.filter(month=NOV).update(
        calculated_at=datetime(2026, 11, 10, 18, 0, tzinfo=tz)
    )
    return a, b


def test_the_months_commission_matches_the_hand_computed_figures(november, alice):
    a, b = november
    e = kam_earnings(reader=alice, kam=alice, today=TODAY)

    [row] = e.rows
    assert (row.currency, row.earned, row.statement.total) == ("PLN", D("225.00"), D("225.00"))
    assert e.calculated_on == date(2026, 11, 10)
    assert [(w.invoice.pk, w.waiting, w.overdue) for w in row.waiting] == [
        (a.pk, D("450.00"), True),
        (b.pk, D("150.00"), False),
    ]
    assert (row.waiting_total, row.waiting_overdue) == (D("600.00"), D("450.00"))
    assert row.projected == D("1620.00")
    band = e.band
    assert (band.fulfilment, band.factor, band.lower, band.upper) == (
        D("70.00"),
        D("0.5"),
        D("70"),
        D("90"),
    )
    assert (band.next_factor, band.to_next, band.currency) == (D("0.8"), D("2000.00"), "PLN")
    assert (band.projected_fulfilment, band.projected_factor) == (D("175.00"), D("1.2"))


def test_too_early_in_the_month_nothing_is_projected(fiona, alice, alice_account, issue):
    """On the 2nd, one invoice would project thirty of them: no run rate before the 7th."""
    plan(alice, NOV, "10000")
    issue(alice_account, "6000.00", issued=date(2026, 11, 1), due=date(2026, 11, 1))
    calculate(fiona, NOV)
    tz = timezone.get_current_timezone()
    CommissionPeriod.objects.filter(month=NOV).update(
        calculated_at=datetime(2026, 11, 2, 8, 0, tzinfo=tz)
    )

    e = kam_earnings(reader=alice, kam=alice, today=date(2026, 11, 2))

    assert e.rows[0].projected is None
    assert e.band.projected_fulfilment is None
    assert e.band.projected_factor == e.band.factor


def test_earned_so_far_is_the_statement_pages_total(november, alice):
    e = kam_earnings(reader=alice, kam=alice, today=TODAY)

    assert e.rows[0].earned == sum(x.amount for x in entries(alice, NOV))


def test_a_month_not_calculated_yet_has_no_earned_figure_but_shows_what_waits(
    fiona, alice, alice_account, issue
):
    plan(alice, NOV, "10000")
    issue(alice_account, "1000.00", issued=date(2026, 11, 2), due=date(2026, 11, 3))
    periods.period_get_or_create(month=NOV)

    [row] = kam_earnings(reader=alice, kam=alice, today=TODAY).rows

    assert (row.earned, row.projected) == (None, None)
    assert (row.waiting_total, row.waiting_overdue) == (D("150.00"), D("150.00"))


@pytest.mark.parametrize(
    ("reader", "sees"),
    [("alice", True), ("dora", True), ("fiona", True), ("adam", True), ("bob", False),
     ("sam", False), ("charlie", False)],
)  # fmt: skip
def test_only_the_kam_their_director_finance_and_admins_see_a_kams_commission(
    november, personas, alice, reader, sees
):
    e = kam_earnings(reader=personas[reader], kam=alice, today=TODAY)

    assert bool(e.rows) is sees
    assert (e.band is not None) is sees


def test_another_kam_never_opens_my_commission_on_the_page_or_the_api(client, november, bob, alice):
    client.force_login(bob)

    assert client.get(reverse("dashboards:kam"), {"kam": alice.pk}).status_code == 404
    assert client.get("/api/v1/dashboards/kam/", {"kam": alice.pk}).status_code == 404


def test_a_director_of_another_territory_gets_404_for_my_dashboard(client, november, sam, alice):
    client.force_login(sam)

    assert client.get("/api/v1/dashboards/kam/", {"kam": alice.pk}).status_code == 404


def _this_month(fiona, alice, alice_account, issue, pay):
    today = timezone.localdate()
    month = today.replace(day=1)
    plan(alice, month, "1000")
    # Due in two weeks whatever today is (on the 2nd, due on the 1st was already overdue).
    invoice = issue(alice_account, "600.00", issued=month, due=today + timedelta(days=14))
    pay_invoice(fiona, pay, invoice, "200.00", month)
    # Last month's, unpaid and overdue: 400 x 15 % = 60 waits on it.
    issue(
        alice_account,
        "400.00",
        issued=month - timedelta(days=20),
        due=month - timedelta(days=10),
    )
    calculate(fiona, month)
    return invoice


def test_my_dashboard_shows_my_commission_with_a_link_to_the_statement(
    client, fiona, alice, alice_account, issue, pay
):
    _this_month(fiona, alice, alice_account, issue, pay)
    [statement] = alice.commission_statements.all()
    client.force_login(alice)

    page = client.get(reverse("dashboards:kam")).content.decode()

    section = page[page.index('id="commission"') :]
    assert reverse("commissions:statement_detail", args=[statement.pk]) in section
    # 600 x 15 % = 90; 200 paid earns 30, before the multiplier: 60 waits, not yet due;
    # 60 more on last month's invoice, overdue.
    assert "120.00" in section
    assert section.count('class="overdue"') == 1


def test_the_kam_api_gives_the_commission_with_its_currency(
    client, fiona, alice, alice_account, issue, pay
):
    _this_month(fiona, alice, alice_account, issue, pay)
    client.force_login(alice)

    body = client.get("/api/v1/dashboards/kam/").json()["commission"]

    [row] = body["by_currency"]
    assert (row["currency"], row["earned_unpaid"], row["earned_unpaid_overdue"]) == (
        "PLN",
        "120.00",
        "60.00",
    )
    assert body["period_status"] == "calculated"
    assert body["band"]["to_next"]["currency"] == "PLN"


# --- the cockpit ------------------------------------------------------------------------------


@pytest.fixture
def drops(alice, charlie):
    today = timezone.localdate()
    dropped = AccountFactory(owner=alice, name="Dropped Ltd", tier=AccountTier.B)
    back = AccountFactory(owner=alice, name="Back in A", tier=AccountTier.A)
    old = AccountFactory(owner=alice, name="Long ago", tier=AccountTier.C)
    south = AccountFactory(owner=charlie, name="South Drop", tier=AccountTier.B)
    for account, day in ((dropped, today), (back, today), (old, today - timedelta(days=40)),
                         (south, today)):  # fmt: skip
        TierChange.objects.create(
            account=account, changed_on=day, from_tier="A", to_tier="B", share=D("5"),
            source="computed",
        )  # fmt: skip
    return dropped


def _group(data, key):
    return next(g for g in data.exceptions if g.key == key)


def test_the_cockpit_lists_a_accounts_that_dropped_a_class_in_its_territory(dora, drops):
    data = cockpit(scope=cockpit_scope(dora), now=timezone.now())

    group = _group(data, "class_drops")
    assert [r.label for r in group.rows] == ["Dropped Ltd"]
    assert group.rows[0].url == reverse("accounts:detail", args=[drops.pk]) + "#abc"


def test_the_cockpit_lists_open_disputes_of_its_kams_each_linked(
    fiona, dora, sam, alice, alice_account, issue, pay
):
    _this_month(fiona, alice, alice_account, issue, pay)
    [entry] = entries(alice, timezone.localdate().replace(day=1))
    dispute = periods.dispute_raise(actor=alice, entry=entry, reason="The rate is wrong")

    mine = _group(cockpit(scope=cockpit_scope(dora), now=timezone.now()), "disputes")
    theirs = _group(cockpit(scope=cockpit_scope(sam), now=timezone.now()), "disputes")

    assert mine.count == 1
    assert mine.rows[0].url.endswith(f"?status=open#dispute-{dispute.pk}")
    assert theirs.count == 0


def test_each_offer_waiting_shows_what_it_would_earn_its_kam(dora, alice, alice_account):
    line = OfferLineFactory(offer__deal__account=alice_account, offer__status="pending_approval")

    [row] = cockpit(scope=cockpit_scope(dora), now=timezone.now()).offers_waiting

    # No plan this month: x1; the line's net is far below 100,000: 15 %.
    assert row.commission.at_offer == (line.line_total * D("0.15")).quantize(D("0.01"))
    assert row.commission == offer_commission(offer=line.offer, kam=alice)


# --- finance ------------------------------------------------------------------------------------


def test_finance_sees_the_periods_state_and_the_open_disputes(
    fiona, alice, alice_account, issue, pay
):
    _this_month(fiona, alice, alice_account, issue, pay)
    [entry] = entries(alice, timezone.localdate().replace(day=1))
    periods.dispute_raise(actor=alice, entry=entry, reason="Wrong")

    f = finance_dashboard(user=fiona, now=timezone.now())

    [period] = f.periods
    assert (period.status, period.statement_count, period.open_disputes) == ("calculated", 1, 1)
    assert f.disputes_count == 1 and f.disputes[0].entry_id == entry.pk


def test_the_finance_api_gives_the_periods_and_disputes(
    client, fiona, alice, alice_account, issue, pay
):
    _this_month(fiona, alice, alice_account, issue, pay)
    client.force_login(fiona)

    body = client.get("/api/v1/dashboards/finance/").json()

    assert body["commission_periods"][0]["status"] == "calculated"
    assert body["disputes_open"] == {"count": 0, "rows": []}


# --- query budgets -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_dashboard_with_a_calculated_month_costs_33_queries_whatever_the_rows(
    client, fiona, alice, bob, alice_account, issue, pay
):
    # 31 of tests/dashboards/test_queries.py, and with a statement: the statements and the
    # month's sums before the multiplier.
    client.force_login(alice)
    month = timezone.localdate().replace(day=1)
    _this_month(fiona, alice, alice_account, issue, pay)
    _grow([alice, bob], issue, n=1)
    few = _count(client, reverse("dashboards:kam"))
    _grow([alice, bob], issue, n=3)
    calculate(fiona, month)

    assert _count(client, reverse("dashboards:kam")) == few == 33
