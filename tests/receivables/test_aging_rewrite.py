"""The one-statement aging and the month-end trend give the very figures of the computation
they replaced (kept here as the reference: the ORM aggregate over `open_as_of`, one query per
day), to the cent, on a ledger with every edge: later payments and credit notes, a credit
note on a paid invoice that takes money back, a reversed payment, a cancelled invoice, an
invoice issued after the day, two currencies, bucket edges hit on the day, three KAMs in two
territories."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Case, F, Sum, When

from core.money import money_round
from dashboards.selectors import finance
from receivables import selectors
from receivables.models import Allocation, Invoice
from receivables.selectors.aging import (
    GROUPS,
    KAM_NAME_PATHS,
    NOTHING,
    ZERO,
    _due_range,
    aging_buckets,
    open_as_of,
    outstanding_by_day,
)
from receivables.selectors.statement import open_items
from tests.receivables.conftest import DAY

D = Decimal


def aging_before(*, invoices, as_of, group_by=None):
    """The aging as computed before the rewrite: (rows, totals) as plain tuples."""
    buckets = aging_buckets()
    sums = {
        b.key: Sum(Case(When(_due_range(b, as_of), then=F("open_on")), default=NOTHING))
        for b in buckets
    }
    names = list(KAM_NAME_PATHS.values()) if group_by == "kam" else []
    keys = [*GROUPS[group_by], *names, "currency"] if group_by else ["currency"]
    rows = open_as_of(invoices, as_of).order_by().values(*keys).annotate(**sums).order_by(*keys)
    grouped, totals = [], defaultdict(lambda: [ZERO] * len(buckets))
    for row in rows:
        amounts = [money_round(row[b.key] or ZERO, row["currency"]) for b in buckets]
        if not any(amounts):
            continue
        totals[row["currency"]] = [
            t + a for t, a in zip(totals[row["currency"]], amounts, strict=True)
        ]
        if group_by:
            total = sum(amounts, ZERO)
            label = " ".join(row[n] for n in names if row[n]) or row[GROUPS[group_by][1]] or "—"
            grouped.append((row[GROUPS[group_by][0]], label, row["currency"], amounts, total))
    grouped.sort(key=lambda r: (-(r[4] - r[3][0]), -r[4], r[1]))
    return grouped, sorted((c, a) for c, a in totals.items())


def aging_now(*, invoices, as_of, group_by=None):
    result = selectors.aging(invoices=invoices, as_of=as_of, group_by=group_by)
    rows = [(r.key, r.label, r.currency, r.amounts, r.total) for r in result.rows]
    return rows, [(t.currency, t.amounts) for t in result.totals]


def open_by_day_before(invoices, days):
    """The finance dashboard's month ends as computed before: one aging per day."""
    result = {}
    for day in days:
        _rows, totals = aging_before(invoices=invoices, as_of=day)
        result[day] = {c: (sum(a, ZERO), a[0]) for c, a in totals}
    return result


DAYS = [DAY - timedelta(days=n) for n in (401, 365, 200, 170, 150, 121, 90, 61, 60, 41, 40)]
DAYS += [DAY - timedelta(days=n) for n in (31, 30, 25, 20, 15, 11, 10, 3, 1, 0)]
DAYS += [DAY + timedelta(days=1), DAY + timedelta(days=60)]


@pytest.mark.parametrize("group_by", [None, "account", "kam", "territory"])
def test_the_one_statement_aging_gives_the_old_figures_on_every_day(ledger, group_by):
    invoices = Invoice.objects.all()
    for day in DAYS:
        assert aging_now(invoices=invoices, as_of=day, group_by=group_by) == aging_before(
            invoices=invoices, as_of=day, group_by=group_by
        ), day


def test_the_aging_has_figures_to_compare_on_the_edge_days(ledger):
    """The comparison above is not of empty reports: on DAY (worked by hand) and 21 days
    before (before the credit notes, the reversal and Alpha's last payment)."""
    on_day = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY)
    assert [(t.currency, t.amounts) for t in on_day.totals] == [
        ("EUR", [ZERO, ZERO, D("250.50"), D("30.25"), ZERO, ZERO]),
        # 77.77 and 10.01 not due; Beta's 300 (30 days, reversed); 40 a year over.
        ("PLN", [D("87.78"), D("300.00"), ZERO, ZERO, ZERO, D("40.00")]),
    ]
    before = selectors.aging(invoices=Invoice.objects.all(), as_of=DAY - timedelta(days=21))
    pln = {t.currency: t for t in before.totals}["PLN"]
    # Alpha's 500 (39 days) and Beta's 120 (100 days) were open; Beta's 300 was paid then.
    assert pln.amounts == [ZERO, ZERO, D("500.00"), ZERO, D("120.00"), D("40.00")]


def test_a_kams_scope_is_kept_in_every_part_of_the_statement(ledger, alice, charlie):
    for user in (alice, charlie):
        invoices = Invoice.objects.visible_to(user)
        for day in DAYS:
            assert aging_now(invoices=invoices, as_of=day, group_by="account") == aging_before(
                invoices=invoices, as_of=day, group_by="account"
            )
    assert selectors.aging(invoices=Invoice.objects.none(), as_of=DAY).totals == []


def test_what_was_open_on_many_days_is_one_statement_with_the_old_figures(
    ledger, django_assert_num_queries
):
    invoices = Invoice.objects.all()
    with django_assert_num_queries(1):
        now = outstanding_by_day(invoices=invoices, days=DAYS)
    assert now == open_by_day_before(invoices, DAYS)
    assert now[DAY]["PLN"] == (D("427.78"), D("87.78"))


def test_the_finance_trend_is_the_same_as_one_aging_per_month_end(ledger, monkeypatch):
    invoices = Invoice.objects.all()
    for today in (DAY, DAY - timedelta(days=17), DAY + timedelta(days=45)):
        new = finance.months(invoices=invoices, today=today)
        with monkeypatch.context() as patched:
            patched.setattr(
                finance,
                "outstanding_by_day",
                lambda *, invoices, days: open_by_day_before(invoices, days),
            )
            old = finance.months(invoices=invoices, today=today)
        assert new == old
        assert any(m.closing for m in new)


def payments_before(invoices, start, end):
    """Payment behaviour's sums as computed before: from the allocations, `invoice__in` the
    scope, through the payment to its reversal."""
    rows = (
        Allocation.objects.filter(
            invoice__in=invoices.values("pk"),
            amount__gt=0,
            payment__reversal__isnull=True,
            effective_on__gte=start,
            effective_on__lte=end,
        )
        .values("invoice__currency")
        .annotate(paid=Sum("amount"), late=Sum(F("amount") * F("days_late")))
        .order_by("invoice__currency")
    )
    return [(r["invoice__currency"], r["paid"], r["late"]) for r in rows]


def test_payment_behaviour_reads_the_same_allocations_as_before(ledger, alice, charlie):
    for invoices in (
        Invoice.objects.all(),
        Invoice.objects.visible_to(alice),
        Invoice.objects.visible_to(charlie),
    ):
        for day in DAYS:
            figures = selectors.behaviour(invoices=invoices, as_of=day)
            before = payments_before(invoices, day - timedelta(days=364), day)
            now = [(c, f.paid, f.paid * f.days_late) for c, f in figures.items() if f.paid]
            assert [(c, p) for c, p, _late in now] == [(c, p) for c, p, _late in before]
            for (_c, paid, weight), (_c2, _p, late) in zip(now, before, strict=True):
                assert (late / paid).quantize(D("0.1")) == weight / paid
    # Alpha's 400, 600 and 500 in the year to DAY; Beta's bounced 300 is not among them.
    pln = selectors.behaviour(invoices=Invoice.objects.all(), as_of=DAY)["PLN"]
    assert pln.paid == D("1500.00")


def open_items_before(invoices, as_of):
    """The open items as listed before they were one statement: `open_as_of` (the OR of
    three conditions, two subqueries a row), ordered by account name, due date, id."""
    fields = ("number", "account__name", "account__tax_id", "account__owner__username")
    fields += ("issue_date", "due_date", "currency", "gross_total", "open_on")
    rows = open_as_of(invoices, as_of).order_by("account__name", "due_date", "pk")
    result = []
    for number, account, tax_id, kam, issued, due, currency, gross, still_open in rows.values_list(
        *fields
    ):
        if still_open:
            days = max(0, (as_of - due).days)
            still_open = money_round(still_open, currency)
            result.append([number, account, tax_id, kam, issued, due, days, currency, gross])
            result[-1].append(still_open)
    return result


def test_the_open_items_are_the_old_rows_in_the_old_order_on_every_day(ledger, alice, charlie):
    for invoices in (
        Invoice.objects.all(),
        Invoice.objects.visible_to(alice),
        Invoice.objects.visible_to(charlie),
    ):
        for day in DAYS:
            assert list(open_items(invoices=invoices, as_of=day)) == open_items_before(
                invoices, day
            ), day
    on_day = list(open_items(invoices=Invoice.objects.all(), as_of=DAY - timedelta(days=21)))
    assert [row[-1] for row in on_day if row[1] == "Alpha"] == [D("500.00")]
    assert list(open_items(invoices=Invoice.objects.none(), as_of=DAY)) == []


def test_the_csv_of_only_the_text_columns_made_harmless_is_the_same_csv():
    from datetime import date

    from receivables.exports import OPEN_ITEM_TEXT_COLUMNS, _csv_stream

    rows = [
        ["=1+1", "-Acme", None, "@kam", date(2026, 9, 1), date(2026, 9, 30), 0, "PLN"],
        ["FV/1", 'A "quoted", name', "PL123", None, date(2026, 1, 2), date(2026, 2, 1), 5, "+EUR"],
    ]
    rows = [[*row, D("12.30"), D("-0.01")] for row in rows]
    header = ["h"] * 10
    assert "".join(_csv_stream(header, rows, OPEN_ITEM_TEXT_COLUMNS)) == "".join(
        _csv_stream(header, rows)
    )
