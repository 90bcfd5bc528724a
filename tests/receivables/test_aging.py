"""Aging as of a date, DSO, days late and on-time share: worked cases and flat query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest

from receivables import selectors, services
from receivables.models import Invoice
from tests.factories import AccountFactory
from tests.receivables.conftest import DAY

D = Decimal


def amounts(result):
    return {b.key: a for b, a in zip(result.buckets, result.totals[0].amounts, strict=True) if a}


def test_buckets_follow_the_days_past_due(alice_account, issue):
    for days_late, amount in [(0, "1"), (-5, "2"), (1, "10"), (30, "20"), (31, "40"), (121, "80")]:
        issue(
            alice_account,
            amount,
            issued=DAY - timedelta(days=200),
            due=DAY - timedelta(days=days_late),
        )
    result = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)
    assert amounts(result) == {
        "not_due": D("3.00"),
        "d1_30": D("30.00"),
        "d31_60": D("40.00"),
        "over_120": D("80.00"),
    }
    assert result.totals[0].overdue == D("150.00")


def test_bucket_edges_come_from_settings(settings, alice_account, issue):
    settings.RECEIVABLES_AGING_EDGES = [15, 45]
    issue(alice_account, "5", issued=DAY - timedelta(days=90), due=DAY - timedelta(days=20))
    result = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)
    assert [b.label for b in result.buckets] == ["Not due", "1\u201315", "16\u201345", "Over 45"]
    assert amounts(result) == {"d16_45": D("5.00")}


def test_as_of_a_past_date_ignores_later_payments_and_credit_notes(
    fiona, alice_account, issue, pay
):
    invoice = issue(
        alice_account, "100.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=10)
    )
    services.payment_allocate(actor=fiona, payment=pay(alice_account, "60.00", on=DAY))
    services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=DAY + timedelta(days=1),
        reason="price",
        net_amount=D("40.00"),
        vat_code="0",
    )
    before = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY - timedelta(days=1))
    assert amounts(before) == {"d1_30": D("100.00")}
    on_the_day = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)
    assert amounts(on_the_day) == {"d1_30": D("40.00")}
    after = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY + timedelta(days=1))
    assert after.totals == []
    not_yet_issued = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY - timedelta(days=41))
    assert not_yet_issued.totals == []


def test_a_reversed_payment_is_owed_again_from_the_reversal_date(fiona, alice_account, issue, pay):
    issue(alice_account, "100.00", issued=DAY - timedelta(days=30), due=DAY - timedelta(days=5))
    payment = pay(alice_account, "100.00", on=DAY - timedelta(days=3))
    services.payment_allocate(actor=fiona, payment=payment)
    services.payment_reverse(actor=fiona, payment=payment, reversed_on=DAY, reason="Bounced")
    paid_between = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY - timedelta(days=1))
    assert paid_between.totals == []
    assert amounts(selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)) == {
        "d1_30": D("100.00")
    }


def test_currencies_are_never_added_together(alice_account, issue):
    issue(alice_account, "100.00")
    issue(alice_account, "100.00", currency="EUR")
    result = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)
    assert [(t.currency, t.total) for t in result.totals] == [
        ("EUR", D("100.00")),
        ("PLN", D("100.00")),
    ]


def test_grouped_by_kam_and_territory(
    alice, bob, charlie, alice_account, bob_account, charlie_account, issue
):
    """KAMs by name as people read them; one without a name by the login."""
    type(alice).objects.filter(pk=alice.pk).update(first_name="Alicja", last_name="Nowak")
    type(bob).objects.filter(pk=bob.pk).update(first_name="Bob", last_name="")
    type(charlie).objects.filter(pk=charlie.pk).update(first_name="", last_name="")
    issue(alice_account, "10.00")
    issue(bob_account, "20.00", issued=DAY - timedelta(days=9), due=DAY - timedelta(days=3))
    issue(charlie_account, "40.00")
    by_kam = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY, group_by="kam")
    assert [(r.label, r.total) for r in by_kam.rows] == [
        ("Bob", D("20.00")),
        ("charlie", D("40.00")),
        ("Alicja Nowak", D("10.00")),
    ]
    by_territory = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY, group_by="territory")
    assert {r.label: r.total for r in by_territory.rows} == {
        "North": D("30.00"),
        "South": D("40.00"),
    }


def test_dso_days_late_and_on_time_share(fiona, alice_account, issue, pay):
    # Invoiced 1,000 in the 90-day window, 250 of it still open: DSO = 250 / 1000 x 90 = 22.5.
    on_time = issue(
        alice_account, "500.00", issued=DAY - timedelta(days=60), due=DAY - timedelta(days=30)
    )
    late = issue(
        alice_account, "250.00", issued=DAY - timedelta(days=50), due=DAY - timedelta(days=20)
    )
    issue(alice_account, "250.00", issued=DAY - timedelta(days=10), due=DAY + timedelta(days=20))
    services.payment_allocate(
        actor=fiona,
        payment=pay(alice_account, "500.00", on=DAY - timedelta(days=31)),
        allocations=[(on_time, D("500.00"))],
    )
    services.payment_allocate(
        actor=fiona,
        payment=pay(alice_account, "250.00", on=DAY - timedelta(days=8)),
        allocations=[(late, D("250.00"))],
    )
    figures = selectors.behaviour(invoices=Invoice.objects.all(), as_of=DAY)["PLN"]
    assert figures.receivables == D("250.00") and figures.invoiced == D("1000.00")
    assert figures.dso == D("22.5")
    # 500 paid on time, 250 paid 12 days late: (250 x 12) / 750 = 4.0 days; 66.7 % on time.
    assert figures.days_late == D("4.0")
    assert figures.on_time_share == D("66.7")
    trend = selectors.days_late_trend(invoices=Invoice.objects.all(), as_of=DAY)
    assert [(p.month.month, p.days_late) for p in trend] == [(8, D("4.0"))]


@pytest.mark.parametrize("group_by", [None, "account", "kam", "territory"])
def test_aging_is_one_query_however_many_invoices(
    django_assert_num_queries, fiona, issue, pay, group_by, alice, bob
):
    def grow():
        for owner in (alice, bob):
            account = AccountFactory(owner=owner)
            invoice = issue(
                account, "30.00", issued=DAY - timedelta(days=70), due=DAY - timedelta(days=40)
            )
            issue(account, "70.00", issued=DAY - timedelta(days=30), due=DAY - timedelta(days=2))
            services.payment_allocate(
                actor=fiona, payment=pay(account, "10.00"), allocations=[(invoice, D(10))]
            )

    grow()
    with django_assert_num_queries(1):  # the grouped aggregate
        small = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY, group_by=group_by)
    grow()
    with django_assert_num_queries(1):
        big = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY, group_by=group_by)
    assert big.totals[0].total == 2 * small.totals[0].total
