"""The automatic Pareto / ABC classification, manual tiers, class history, concentration and
the directors' alerts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AccountEvent
from activities.models import Notification
from commissions.models import AccountClass, Concentration, TierChange, TierOverride
from commissions.selectors.abc import (
    _revenue_cte,
    abc_ranking,
    concentration_compute,
    trailing_year,
)
from commissions.services.abc import CLASS_FIGURES, abc_run, tier_override_set
from commissions.tasks import abc_run as abc_run_task
from receivables import services as money
from tests.factories import AccountFactory

D = Decimal
AS_OF = date(2026, 9, 30)
ISSUED = date(2026, 9, 10)


@pytest.fixture
def five(alice, bob, issue):
    """Five accounts invoiced 50, 30, 10, 6 and 4 (thousand), and one that bought nothing."""
    accounts = {}
    for value, owner in [(50, alice), (30, alice), (10, bob), (6, bob), (4, alice)]:
        account = AccountFactory(owner=owner, name=f"Client {value}", tier="C")
        issue(account, f"{value}000.00", issued=ISSUED)
        accounts[value] = account
    accounts[0] = AccountFactory(owner=alice, name="Nothing yet", tier="A")
    return accounts


def classes(accounts):
    ranked = {row.account_id: row for row in abc_ranking(as_of=AS_OF).rows}
    return {value: ranked[account.pk].computed for value, account in accounts.items()}


def test_the_hand_computed_case_50_30_10_6_4(five):
    assert classes(five) == {50: "A", 30: "A", 10: "B", 6: "C", 4: "C", 0: "C"}


def test_shares_ranks_and_the_key_flag(five):
    ranked = {row.account_id: row for row in abc_ranking(as_of=AS_OF).rows}
    top, ten, six = ranked[five[50].pk], ranked[five[10].pk], ranked[five[6].pk]
    assert (top.rank, top.share, top.cumulative_share) == (1, D("50.0000"), D("50.0000"))
    assert ten.is_key and ten.share == D("10.0000")  # 10 % exactly is key
    assert not six.is_key
    assert ranked[five[0].pk].share == 0


def test_credit_notes_and_the_trailing_window_count(five, fiona, issue):
    invoice = five[50].invoices.get()
    money.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D("45000.00"),
    )  # 50 -> 5
    issue(five[4], "99000.00", issued=date(2025, 9, 30))  # older than twelve months

    # 30, 10, 6, 5, 4 of 55: 54.5 %, 72.7 % (A), 83.6 %, 92.7 % (B), 100 % (C)
    assert classes(five) == {50: "B", 30: "A", 10: "A", 6: "B", 4: "C", 0: "C"}


@override_settings(ABC_A_SHARE=50, ABC_B_SHARE=40)
def test_thresholds_come_from_the_settings(five):
    assert classes(five) == {50: "A", 30: "B", 10: "B", 6: "C", 4: "C", 0: "C"}


def test_the_run_sets_tiers_through_accounts_and_keeps_every_change(five):
    run = abc_run(as_of=AS_OF)

    five[50].refresh_from_db()
    assert five[50].tier == "A"
    assert run.changes == 4  # 50 and 30: C -> A; 10: C -> B; the empty one: A -> C
    change = TierChange.objects.get(account=five[10])
    assert (change.from_tier, change.to_tier, change.share, change.rank) == ("C", "B", D("10"), 3)
    event = AccountEvent.objects.filter(account_id=five[50].pk, kind="tier_changed").get()
    assert event.from_value.startswith("C") and event.to_value.startswith("A")
    assert event.actor is None  # the nightly run

    again = abc_run(as_of=AS_OF)
    assert again.changes == 0
    assert TierChange.objects.count() == 4


def stored_classes():
    return {
        row[0]: row[1:]
        for row in AccountClass.objects.values_list("account_id", "run_id", *CLASS_FIGURES)
    }


def row_versions():
    """PostgreSQL: where each class row physically is; an UPDATE, even one that changes
    nothing, writes a new version elsewhere."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_id, ctid::text FROM {AccountClass._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())


def test_a_second_run_the_same_day_writes_no_class(five):
    first = abc_run(as_of=AS_OF)
    before = stored_classes()
    versions = row_versions() if connection.vendor == "postgresql" else None

    with CaptureQueriesContext(connection) as queries:
        again = abc_run(as_of=AS_OF)

    if versions is not None:
        # The run's one statement holds the upsert, which finds no class to write.
        assert row_versions() == versions
    else:
        table = AccountClass._meta.db_table
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if table in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
        ]
        assert writes == []
    assert again.changes == 0
    assert stored_classes() == before  # every row still names the first run
    assert {row[0] for row in before.values()} == {first.pk}


def test_only_the_accounts_whose_figures_moved_are_rewritten_and_all_match_the_ranking(five, fiona):
    first = abc_run(as_of=AS_OF)
    money.credit_note_issue(
        actor=fiona,
        invoice=five[50].invoices.get(),
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D("45000.00"),
    )  # 50 -> 5: every account with revenue gets a new share; the empty one does not move

    second = abc_run(as_of=AS_OF)

    rows = stored_classes()
    assert rows[five[0].pk][0] == first.pk
    assert {rows[five[v].pk][0] for v in (50, 30, 10, 6, 4)} == {second.pk}
    # The stored figures are the ranking's, field by field, as a full rewrite would leave them.
    expected = {
        r.account_id: tuple(getattr(r, f) for f in CLASS_FIGURES)
        for r in abc_ranking(as_of=AS_OF).rows
    }
    assert {pk: row[1:] for pk, row in rows.items()} == expected
    assert AccountClass.objects.get(account=five[50]).computed == "B"
    assert second.changes == 3  # 50: A -> B; 10: B -> A; 6: C -> B
    assert set(
        TierChange.objects.filter(run=second).values_list("account_id", "from_tier", "to_tier")
    ) == {(five[50].pk, "A", "B"), (five[10].pk, "B", "A"), (five[6].pk, "C", "B")}


def test_a_manual_tier_wins_until_it_expires_and_is_flagged(five, dora):
    abc_run(as_of=AS_OF)
    account = five[6]
    tier_override_set(
        actor=dora,
        account=account,
        tier="A",
        reason="strategic",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    abc_run(as_of=timezone.localdate())  # nothing invoiced in the window: every class is C

    account.refresh_from_db()
    assert account.tier == "A"
    assert AccountClass.objects.get(account=account).computed == "C"

    TierOverride.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    abc_run(as_of=timezone.localdate())
    account.refresh_from_db()
    assert account.tier == "C"
    assert TierChange.objects.filter(account=account, source="expired").exists()


def test_only_the_director_of_the_territory_or_an_admin_sets_a_tier_by_hand(five, sam, alice):
    tomorrow = timezone.localdate() + timedelta(days=1)
    for person in (sam, alice):
        with pytest.raises(PermissionDenied):
            tier_override_set(
                actor=person, account=five[6], tier="A", reason="x", expires_on=tomorrow
            )


def test_a_manual_tier_needs_a_reason_and_a_future_date(five, dora):
    with pytest.raises(ValidationError) as refused:
        tier_override_set(
            actor=dora, account=five[6], tier="A", reason=" ", expires_on=timezone.localdate()
        )
    assert set(refused.value.message_dict) == {"reason", "expires_on"}
    assert not TierOverride.objects.exists()


def test_concentration_top1_top5_top20_and_hhi(five):
    abc_run(as_of=AS_OF)

    company = Concentration.objects.get(territory=None)
    assert company.month == date(2026, 9, 1)
    assert (company.top1_share, company.top5_share, company.top20_share) == (
        D("50"),
        D("100"),
        D("50"),
    )
    assert company.hhi == D("3552")  # 2500 + 900 + 100 + 36 + 16
    assert company.accounts == 5


# The statement the concentration was computed with before it came from the ranking: kept as
# the reference the ranking's figures must equal.
CONCENTRATION_SQL = f"""
WITH {_revenue_cte()},
ranked AS (
    SELECT territory_id, revenue,
        ROW_NUMBER() OVER (PARTITION BY territory_id ORDER BY revenue DESC, account_id) AS t_rank,
        COUNT(*) OVER (PARTITION BY territory_id) AS t_count,
        ROW_NUMBER() OVER (ORDER BY revenue DESC, account_id) AS c_rank,
        COUNT(*) OVER () AS c_count
    FROM revenue WHERE revenue > 0
)
SELECT territory_id, COUNT(*), SUM(revenue),
       SUM(CASE WHEN t_rank = 1 THEN revenue ELSE 0 END),
       SUM(CASE WHEN t_rank <= 5 THEN revenue ELSE 0 END),
       SUM(CASE WHEN (t_rank - 1) * 5 < t_count THEN revenue ELSE 0 END),
       SUM(revenue * revenue)
FROM ranked GROUP BY territory_id
UNION ALL
SELECT NULL, COUNT(*), SUM(revenue),
       SUM(CASE WHEN c_rank = 1 THEN revenue ELSE 0 END),
       SUM(CASE WHEN c_rank <= 5 THEN revenue ELSE 0 END),
       SUM(CASE WHEN (c_rank - 1) * 5 < c_count THEN revenue ELSE 0 END),
       SUM(revenue * revenue)
FROM ranked
"""  # noqa: S608


def by_the_old_statement():
    start, end = trailing_year(as_of=AS_OF)
    with connection.cursor() as cursor:
        cursor.execute(CONCENTRATION_SQL, [start, end] * 2)
        rows = cursor.fetchall()
    result = {}
    for territory_id, count, total, top1, top5, top20, squares in rows:
        total = D(str(total))
        result[territory_id] = (
            count,
            total.quantize(D("0.01")),
            *((D(str(part)) * 100 / total).quantize(D("0.0001")) for part in (top1, top5, top20)),
            (D(str(squares)) * 10000 / (total * total)).quantize(D("0.01")),
        )
    return result


def test_concentration_from_the_ranking_equals_the_statement_it_replaced(
    five, charlie, issue, fiona
):
    # South: seven accounts, two tied, one whose credit note outweighs its window's invoices
    # (negative revenue: left out) and one with none; North keeps the five.
    for value in ("700.10", "333.33", "333.33", "120.07", "99.99", "50.01", "0.03"):
        issue(AccountFactory(owner=charlie), value, issued=ISSUED)
    old = issue(AccountFactory(owner=charlie), "900.00", issued=date(2025, 6, 1))
    money.credit_note_issue(
        actor=fiona, invoice=old, issue_date=ISSUED, reason="price", net_amount=D("800.00")
    )
    AccountFactory(owner=charlie)

    figures = {
        f.territory_id: (
            f.accounts,
            f.total_revenue,
            f.top1_share,
            f.top5_share,
            f.top20_share,
            f.hhi,
        )
        for f in concentration_compute(as_of=AS_OF)
    }

    assert figures == by_the_old_statement()
    assert set(figures) == {None, five[50].territory_id, charlie.territory_id}
    assert figures[charlie.territory_id][0] == 7


def test_directors_are_alerted_when_the_top_account_passes_the_threshold(five, dora, sam):
    abc_run(as_of=AS_OF)
    alert = Notification.objects.filter(recipient=dora, kind="abc_top_account")
    assert alert.exists()
    assert "50" in alert.first().title
    # South has no revenue: sam hears of the company's top account only.
    assert Notification.objects.filter(recipient=sam, subject_type="company").count() == 1
    assert not Notification.objects.filter(recipient=sam, subject_type="territory").exists()


def test_director_is_alerted_when_an_a_account_drops_to_c(five, dora, fiona):
    abc_run(as_of=AS_OF)
    money.credit_note_issue(
        actor=fiona,
        invoice=five[30].invoices.get(),
        issue_date=date(2026, 9, 25),
        reason="price",
        net_amount=D("29000.00"),
    )
    abc_run(as_of=AS_OF)
    assert Notification.objects.filter(
        recipient=dora, kind="abc_a_to_c", subject_id=five[30].pk
    ).exists()


def test_the_nightly_task_runs_the_classification(five):
    result = abc_run_task.delay(AS_OF.isoformat()).get()
    assert result["accounts"] == 6
    with pytest.raises(ValueError, match="ISO date"):
        abc_run_task("yesterday")
