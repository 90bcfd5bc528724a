"""Every figure of the dashboards against a small territory worked out by hand.

North (director dora): alice owns Alpha Foods (A) and bob Beta Retail (A) and Bolt (C).
South (sam): charlie's Gamma Pharma, which North's figures must never include.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from commissions.models import SalesPlan
from commissions.selectors.fulfilment import KamFulfilment, fulfilment_by_kam, invoiced_fulfilment
from dashboards.access import cockpit_scope
from dashboards.selectors import cockpit, finance_dashboard, kam_dashboard
from dashboards.selectors.common import Period, PlanRow, period, plan_rows
from dashboards.selectors.finance import months
from health.models import HealthScore
from health.services import month_of, previous_month
from receivables import services
from receivables.models import CreditProfile, Invoice
from tests.deals.factories import (
    ContractFactory,
    DealFactory,
    DealStageChangeFactory,
    OfferLineFactory,
)
from tests.factories import AccountFactory, ActivityFactory


@pytest.fixture
def figures(alice, bob, dora, charlie, alice_account, bob_account, charlie_account, issue, fiona):
    """The hand-computed territory (today = the real today; every date is relative to it).

    Invoices (0 % VAT, credited to the owner): Alpha 600 today (credit note 100 net) and 300
    issued 100 days ago, due 90 days ago; Beta 900 today; Gamma 5,000 today (South).
    Plans this month: alice 1,000, bob 1,000.
    """
    today = timezone.localdate()
    SalesPlan.objects.create(kam=alice, month=today.replace(day=1), revenue_target=D("1000"))
    SalesPlan.objects.create(kam=bob, month=today.replace(day=1), revenue_target=D("1000"))
    alpha_today = issue(alice_account, "600.00", issued=today)
    services.credit_note_issue(
        actor=fiona,
        invoice=alpha_today,
        issue_date=today,
        reason="price",
        net_amount=D("100.00"),
    )
    old = issue(
        alice_account,
        "300.00",
        issued=today - timedelta(days=100),
        due=today - timedelta(days=90),
    )
    issue(bob_account, "900.00", issued=today)
    issue(charlie_account, "5000.00", issued=today)
    CreditProfile.objects.create(account=alice_account, credit_limit=D("1000"), currency="PLN")
    CreditProfile.objects.create(account=bob_account, credit_limit=D("500"), currency="PLN")
    # Alice's offer waiting for dora: 10 x 100 at 5 % off = 950.
    pending = OfferLineFactory(
        offer__deal__account=alice_account, offer__status="pending_approval", offer__version=1
    ).offer
    # Bob's draft offer: a live offer on an account over its limit (900 open > 500).
    OfferLineFactory(offer__deal__account=bob_account, offer__status="draft", offer__version=1)
    # Alice's accepted offer this month: list 1,000, net 950 -> 50 given away (5.0 %).
    OfferLineFactory(
        offer__deal__account=alice_account,
        offer__deal__stage="won",
        offer__status="accepted",
        offer__version=1,
        offer__closed_at=timezone.now(),
    )
    bolt = AccountFactory(owner=bob, name="Bolt", tier="C")
    ContractFactory(account=bolt, number="UM/ENDING", end_date=today + timedelta(days=20))
    ContractFactory(
        account=alice_account, number="UM/RENEWING", end_date=today + timedelta(days=20)
    )
    return {"today": today, "pending": pending, "old": old, "bolt": bolt}


def _cockpit(dora, key="month"):
    return cockpit(scope=cockpit_scope(dora), now=timezone.now(), period_key=key)


def test_plan_rows_are_the_commissions_fulfilment_for_every_kam(figures, alice, bob):
    """The dashboards read commissions' fulfilment itself, every period at once."""
    today = figures["today"]
    periods = [period(k, today) for k in ("month", "quarter", "year")]
    rows = plan_rows(kams=[alice, bob], periods=periods)
    month = {r.kam.username: r for r in rows["month"]}
    assert month["alice"].invoiced == D("500.00")  # 600 less the 100 credit note
    assert month["bob"].invoiced == D("900.00")
    assert month["alice"].ratio == D("50.0")
    for key, p in zip(("month", "quarter", "year"), periods, strict=True):
        for row in rows[key]:
            expected = invoiced_fulfilment(kam_id=row.kam.pk, start=p.start, end=p.end)
            assert (row.target, row.invoiced) == (expected.target, expected.invoiced_net)
            [same] = fulfilment_by_kam(kam_ids=[row.kam.pk], start=p.start, end=p.end)
            assert row.figures == same


def test_run_rate_projection_and_what_is_needed_per_day():
    september = Period("month", date(2026, 9, 1), date(2026, 10, 1), date(2026, 9, 10))
    figures = KamFulfilment(
        kam_id=1,
        name="alice",
        territory="North",
        currency="PLN",
        revenue_target=D("1000"),
        margin_target=D("0"),
        new_clients_target=0,
        booked=D("0"),
        invoiced=D("200"),
        collected=D("0"),
        margin=D("0"),
        new_clients=0,
    )
    row = PlanRow(kam=None, period=september, figures=figures)
    assert row.projected == D("600.00")  # 200 in 10 of 30 days
    assert row.projected_ratio == D("60.0")
    assert row.left == D("800")
    assert row.needed_per_day == D("40.00")  # 800 over the 20 days left

    # On the 2nd, 200 would project 3,000 (300 %): no projection before the 7th day.
    second = Period("month", date(2026, 9, 1), date(2026, 10, 1), date(2026, 9, 2))
    early = PlanRow(kam=None, period=second, figures=figures)
    assert (early.projected, early.projected_ratio) == (None, None)


def test_offers_waiting_show_the_exposure_before_and_after(figures, dora):
    data = _cockpit(dora)
    [offer] = data.offers_waiting
    assert offer.url == f"/offers/{figures['pending'].pk}/"
    assert offer.amount == D("950.00")
    assert offer.exposure_now == D("800.00")  # 500 + 300 open, nothing else exposed
    assert offer.exposure_after == D("1750.00")
    assert offer.limit == D("1000.00")
    assert offer.over_limit_after


def test_exceptions_list_what_needs_a_decision(figures, dora, alice_account, bob_account):
    HealthScore.objects.bulk_create(
        [
            HealthScore(
                account=alice_account,
                month=month,
                score=score,
                revenue_trend=0,
                share_of_wallet=0,
                relationship=0,
                payment=0,
                service=0,
                pipeline=0,
                computed_at=timezone.now(),
            )
            for month, score in (
                (previous_month(month_of(figures["today"])), 90),
                (month_of(figures["today"]), 60),
            )
        ]
    )
    groups = {g.key: g for g in _cockpit(dora).exceptions}
    assert [r.label for r in groups["over_limit"].rows] == ["Beta Retail"]
    assert "900.00" in groups["over_limit"].rows[0].detail
    assert [r.label for r in groups["health"].rows] == ["Alpha Foods"]
    assert [r.label for r in groups["overdue"].rows] == [f"{figures['old'].number} · Alpha Foods"]
    assert "90 days overdue" in groups["overdue"].rows[0].detail
    assert [r.label for r in groups["contracts"].rows] == ["UM/ENDING · Bolt"]
    # Alpha and Beta (A) were created today: neither is past its 14 days yet.
    assert groups["cadence"].count == 0


def test_a_accounts_past_their_cadence(figures, dora, alice_account, bob_account):
    from accounts.models import Account

    Account.objects.filter(pk=bob_account.pk).update(created_at=timezone.now() - timedelta(days=30))
    ActivityFactory(account=alice_account, status="done", starts_at=timezone.now())
    Account.objects.filter(pk=alice_account.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    group = next(g for g in _cockpit(dora).exceptions if g.key == "cadence")
    assert [r.label for r in group.rows] == ["Beta Retail"]


def test_kams_projected_below_75_percent_of_the_quarter(figures, dora, alice, bob):
    data = _cockpit(dora)
    quarter = {r.kam.username: r for r in data.plan["quarter"]}
    below = next(g for g in data.exceptions if g.key == "below_plan")
    expected = sorted(
        str(r.kam)
        for r in quarter.values()
        if r.projected_ratio is not None and r.projected_ratio < 75
    )
    assert sorted(r.label for r in below.rows) == expected


def test_receivables_by_kam_dso_and_top_overdue(figures, dora, alice, bob):
    data = _cockpit(dora)
    a, b = alice.get_full_name(), bob.get_full_name()  # KAMs by name, as people read them
    rows = {r.label: r for r in data.aging.rows}
    assert set(rows) == {a, b}  # not South's charlie
    assert rows[a].amounts[0] == D("500.00")  # 600 - 100 credited, due today
    assert rows[a].amounts[3] == D("300.00")  # 61-90 days
    assert rows[b].total == D("900.00")
    dso = {r.label: r.dso for r in data.dso}
    assert dso[a] == D("120.0")  # 800 open / 600 invoiced in 90 days x 90
    assert dso[b] == D("90.0")
    assert [r.label for r in data.top_overdue] == ["Alpha Foods"]


def test_discount_leakage_by_kam_and_account(figures, dora, alice):
    data = _cockpit(dora)
    [row] = data.leakage_by_kam
    assert (row.label, row.list_value, row.net_value) == (
        alice.get_full_name(),
        D("1000.00"),
        D("950.00"),
    )
    assert row.leakage == D("50.00")
    assert row.share == D("5.0")
    assert [r.label for r in data.leakage_by_account] == ["Alpha Foods"]


def test_funnel_conversion_and_won_lost(figures, dora, alice_account, bob_account):
    stages = {
        "a": ["research", "first_contact", "offer"],
        "b": ["research"],
        "c": ["research", "won"],
    }
    for name, path in stages.items():
        deal = DealFactory(account=alice_account, title=name, stage=path[-1])
        for stage in path:
            DealStageChangeFactory(deal=deal, to_stage=stage)
    for reason in (" Price ", "price", "Timing"):
        DealFactory(account=bob_account, stage="lost", lost_reason=reason)
    DealFactory(
        account=bob_account,
        stage="negotiation",
        amount=D("1000"),
        probability=70,
        expected_close_date=figures["today"],
    )
    data = _cockpit(dora)
    funnel = {s.stage: (s.reached, s.conversion) for s in data.funnel}
    assert funnel["research"] == (3, D("66.7"))  # a and c went further
    assert funnel["first_contact"] == (2, D("100.0"))
    assert funnel["offer"] == (2, D("50.0"))
    assert funnel["won"] == (1, None)
    assert [(r.reason, r.count) for r in data.lost] == [("price", 2), ("timing", 1)]
    assert data.won["PLN"] == (2, D("100000.00"))  # c, and the accepted offer's deal
    assert data.forecast["PLN"] >= D("700.00")  # the negotiation deal: 1,000 x 70 %


def test_cadence_compliance_share_per_kam_and_tier(figures, dora, alice, alice_account):
    ActivityFactory(account=alice_account, status="done", starts_at=timezone.now())
    rows = {(r.kam.username, r.tier): r for r in _cockpit(dora).cadence}
    assert rows["alice", "A"].share == D("100.0")
    assert rows["bob", "A"].share == D("0.0")


def test_south_sees_none_of_north(figures, sam, charlie):
    data = _cockpit(sam)
    assert data.offers_waiting == []
    assert [r.label for r in data.aging.rows] == [charlie.get_full_name()]


def test_kam_dashboard_figures(figures, alice, alice_account):
    closing = DealFactory(
        account=alice_account,
        stage="offer",
        amount=D("2000"),
        probability=40,
        expected_close_date=figures["today"],
    )
    d = kam_dashboard(reader=alice, kam=alice, now=timezone.now(), zone=alice.tzinfo)
    assert d.month.invoiced == D("500.00")
    assert d.month.left == D("500.00")
    stages = {s.stage: s for s in d.stages}
    assert stages["offer"].weighted == D("800.00")
    assert closing.pk in [x.pk for x in d.closing]
    assert [i.pk for i in d.overdue] == [figures["old"].pk]
    assert [c.number for c in d.contracts] == ["UM/RENEWING"]
    assert [r.name for r in d.accounts] == ["Alpha Foods"]


def test_finance_dashboard_totals_and_cei(figures, fiona):
    f = finance_dashboard(user=fiona, now=timezone.now())
    [total] = f.aging.totals
    assert total.total == D("6700.00")  # 500 + 300 + 900 + 5,000
    assert total.overdue == D("300.00")
    assert [r.label for r in f.top_overdue] == ["Alpha Foods"]


def test_cei_month_by_month_by_hand(alice_account, issue, pay, fiona):
    # Month 1: invoice 1,000 due in the month, 600 of it paid in the month.
    # Open at its end 400, all overdue: CEI = (0 + 1,000 - 400) / (0 + 1,000 - 0) = 60 %.
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    invoice = issue(alice_account, "1000.00", issued=first, due=first + timedelta(days=5))
    services.payment_allocate(
        actor=fiona,
        payment=pay(alice_account, "600.00", on=first + timedelta(days=10)),
        allocations=[(invoice, D("600.00"))],
    )
    rows = {m.month: m for m in months(invoices=Invoice.objects.all(), today=today)}
    last = rows[first]
    assert (last.opening, last.invoiced, last.closing) == (D("0.00"), D("1000.00"), D("400.00"))
    assert last.cei == D("60.0")
    assert last.dso is not None
