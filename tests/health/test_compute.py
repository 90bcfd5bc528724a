"""The nightly computation against one account whose figures are worked out by hand, its
query budget, idempotence and the drop notification."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Notification
from health.models import HealthScore
from health.selectors import account_health
from health.services import health_scores_compute
from receivables import services
from tests.deals.factories import ComplaintFactory, DealFactory
from tests.factories import AccountFactory, ActivityFactory, ContactFactory

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
SEPT, AUG = date(2026, 9, 1), date(2026, 8, 1)


@pytest.fixture
def scored(alice_account, issue, pay, fiona):
    """Alpha Foods, tier C (cadence 90 days), potential 10,000 PLN:
    - invoiced 1,000 (2026-03-01, due 03-31, paid 04-10: 10 days late) and 1,000 (08-01, due
      08-31, open: 15 days overdue on 09-15); 500 in the 12 months before (paid on time);
      recent 2,000 vs 500 before -> +300 % -> revenue trend 100; share 20 % -> 20;
    - payments: 0 % on time -> 0, 10 days late -> 20, all 1,000 open overdue -> 0: 20;
    - a decision-maker (loyal, neutral) seen 40 days ago, no champion: 25+10+5+25 = 65;
    - one open complaint, no returns: 80; an open deal 1,000 x 50 % = 25 % of revenue: 50.
    Weighted (25/10/25/20/10/10): 6025 / 100 = 60."""
    account = alice_account
    account.tier, account.potential_amount = "C", D("10000")
    account.save(update_fields=["tier", "potential_amount"])
    late = issue(account, "1000.00", issued=date(2026, 3, 1), due=date(2026, 3, 31))
    services.payment_allocate(actor=fiona, payment=pay(account, "1000.00", on=date(2026, 4, 10)))
    before = issue(account, "500.00", issued=date(2025, 6, 1), due=date(2025, 6, 30))
    services.payment_allocate(
        actor=fiona,
        payment=pay(account, "500.00", on=date(2025, 6, 20)),
        allocations=[(before, D("500.00"))],
    )
    issue(account, "1000.00", issued=date(2026, 8, 1), due=date(2026, 8, 31))
    dm = ContactFactory(account=account, relationship_stage="loyal", attitude="neutral")
    visit = ActivityFactory(account=account, status="done", starts_at=NOW - timedelta(days=40))
    visit.contacts.add(dm)
    ComplaintFactory(account=account)
    DealFactory(account=account, stage="negotiation", amount=D("1000.00"), probability=50)
    assert late.pk
    return account


def test_each_component_and_the_score_match_the_hand_computation(scored):
    assert health_scores_compute(now=NOW) == 1
    row = HealthScore.objects.get(account=scored, month=SEPT)
    assert (row.revenue_trend, row.share_of_wallet, row.relationship) == (100, 20, 65)
    assert (row.payment, row.service, row.pipeline) == (20, 80, 50)
    assert row.score == 60
    health = account_health(scored.pk)
    reasons = {c.key: c.reason for c in health.components}
    assert reasons["payment"] == "1,000.00 PLN overdue now, the oldest 15 days"
    assert reasons["relationship"] == "no champion known"
    assert reasons["service"] == "1 complaint open"


def test_weights_come_from_settings(scored, settings):
    settings.HEALTH_WEIGHTS = {"revenue_trend": 1}
    health_scores_compute(now=NOW)
    assert HealthScore.objects.get(account=scored).score == 100


def test_a_second_run_rewrites_the_months_row(scored):
    health_scores_compute(now=NOW)
    health_scores_compute(now=NOW + timedelta(hours=1))
    assert HealthScore.objects.filter(account=scored).count() == 1


def test_a_fall_of_fifteen_points_notifies_the_owner_once(scored, alice):
    HealthScore.objects.create(
        account=scored, month=AUG, score=90, revenue_trend=90, share_of_wallet=90,
        relationship=90, payment=90, service=90, pipeline=90, computed_at=NOW,
    )  # fmt: skip
    health_scores_compute(now=NOW)
    health_scores_compute(now=NOW)
    notes = Notification.objects.filter(recipient=alice, kind="health_drop")
    assert notes.count() == 1
    assert "fell from 90 to 60" in notes.get().title
    assert account_health(scored.pk).change == -30


def test_a_small_fall_notifies_nobody(scored):
    HealthScore.objects.create(
        account=scored, month=AUG, score=70, revenue_trend=0, share_of_wallet=0,
        relationship=0, payment=0, service=0, pipeline=0, computed_at=NOW,
    )  # fmt: skip
    health_scores_compute(now=NOW)
    assert not Notification.objects.filter(kind="health_drop").exists()


def _queries(now) -> int:
    with CaptureQueriesContext(connection) as ctx:
        health_scores_compute(now=now)
    return len(ctx.captured_queries)


def test_the_run_costs_the_same_queries_for_two_accounts_as_for_six(scored, alice, bob):
    # accounts with cadence (2), invoices, credit notes, allocations, open invoices,
    # complaints, returns, deals, contacts, decision-maker contacts, last month's scores,
    # the upsert inside a savepoint (3): 15.
    AccountFactory(owner=bob)
    few = _queries(NOW)
    for _ in range(4):
        account = AccountFactory(owner=bob)
        ContactFactory(account=account)
        DealFactory(account=account, stage="offer")
    assert _queries(NOW) == few == 15
