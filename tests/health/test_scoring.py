"""Each component's rule, against figures worked out by hand."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from health import scoring
from health.reasons import reason_text

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)


def test_revenue_up_a_fifth_scores_seventy():
    score, reason = scoring.revenue_trend(recent=D("120000"), before=D("100000"))
    assert score == 70  # 50 + 20 % growth
    assert reason["change"] == "20.0"


def test_revenue_halved_scores_zero_and_no_revenue_at_all_scores_zero():
    assert scoring.revenue_trend(recent=D("50"), before=D("100"))[0] == 0
    assert scoring.revenue_trend(recent=D("0"), before=D("0")) == (0, {"code": "no_revenue"})


def test_share_of_wallet_is_revenue_over_potential_or_the_noted_share():
    assert scoring.share_of_wallet(recent=D("30000"), potential=D("100000"), stated=None)[0] == 30
    assert scoring.share_of_wallet(recent=D("1"), potential=None, stated=D("45"))[0] == 45
    assert scoring.share_of_wallet(recent=D("1"), potential=None, stated=None)[0] == 50


def test_relationship_names_the_decision_maker_not_contacted_for_94_days():
    people = scoring.People(
        champions=1,
        decision_makers=1,
        best_stage="trusted",
        best_attitude="supporter",
        last_dm_contact=NOW - timedelta(days=94),
        last_contact=NOW - timedelta(days=3),
        cadence_days=14,
    )
    score, reason = scoring.relationship(people=people, now=NOW)
    assert score == 100  # 25 + 25 + 15 + 10 + 25: all known and the cadence kept
    assert reason_text(reason) == "no contact with the decision-maker in 94 days"


def test_relationship_without_key_people_or_contact_scores_nothing():
    score, reason = scoring.relationship(people=scoring.People(), now=NOW)
    assert score == 0
    assert reason_text(reason) == "no decision-maker known"


def test_payment_mixes_on_time_share_days_late_and_overdue_now():
    score, reason = scoring.payment(
        paid=D("1000"),
        on_time=D("800"),  # 80 % on time -> 40
        late_weight=D("10000"),  # 10 days late on average -> 25 - 5 = 20
        open_amount=D("500"),
        overdue=D("100"),  # 20 % of what is open -> 80 / 4 = 20
        oldest_overdue_days=12,
    )
    assert score == 80
    assert reason_text(reason, "PLN") == "100.00 PLN overdue now, the oldest 12 days"


def test_service_loses_twenty_per_open_complaint_and_twice_the_returns_share():
    score, _ = scoring.service(open_complaints=1, returns=D("50"), recent=D("1000"))
    assert score == 70  # 100 - 20 - 2 x 5 %


def test_pipeline_of_a_quarter_of_last_years_revenue_scores_fifty():
    assert scoring.pipeline(weighted=D("250"), recent=D("1000"))[0] == 50


def test_total_is_the_weighted_mean():
    components = {"a": 100, "b": 0}
    assert scoring.total(components, {"a": 3, "b": 1}) == 75
