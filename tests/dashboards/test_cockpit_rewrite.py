"""The cockpit's statements rewritten for speed give the figures of the former ones, kept here
as the reference: the funnel (six COUNT(DISTINCT) over the stage changes), the plan's booked
figure (order lines grouped straight by KAM), discount leakage (a statement per grouping),
the aging by KAM (its own aging statement) and the exposure's uninvoiced orders (a LEFT JOIN
to the invoices); and the finance dashboard's commission periods (`periods_page`)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from commissions.selectors.fulfilment import _aware, _booked, _grouped
from dashboards.access import cockpit_scope
from dashboards.selectors.common import exposures
from dashboards.selectors.director import (
    FUNNEL_STAGES,
    _aging_by_kam,
    _funnel,
    leakage,
)
from deals.models import Deal, DealStageChange, Order, OrderLine, OrderStatus
from receivables.models import CreditProfile, Invoice
from receivables.selectors.aging import aging
from tests.deals.factories import (
    DealFactory,
    DealStageChangeFactory,
    OfferLineFactory,
    OrderLineFactory,
)
from tests.factories import AccountFactory


def _old_funnel_counts(scope, today):
    since = today - timedelta(days=365)
    return DealStageChange.objects.filter(
        scope.accounts_q("deal__account"),
        deal__created_at__date__gt=since,
        deal__in=Deal.objects.visible_to(scope.user).values("pk"),
    ).aggregate(
        **{
            stage: Count("deal", distinct=True, filter=Q(to_stage__in=FUNNEL_STAGES[i:]))
            for i, stage in enumerate(FUNNEL_STAGES)
        }
    )


def _created(deal, when):
    Deal.objects.filter(pk=deal.pk).update(created_at=when)


def test_funnel_counts_as_the_former_statement(dora, alice_account, bob_account, charlie_account):
    today = timezone.localdate()
    since = today - timedelta(days=365)
    paths = [
        ["research", "first_contact", "offer", "lost"],  # lost after an offer
        ["lost"],  # lost at once: reached no stage
        ["research", "won"],  # skipped stages
        ["research", "first_contact", "research"],  # went back
        ["negotiation"],
        [],  # no stage change at all
    ]
    for path in paths:
        deal = DealFactory(account=alice_account, stage=path[-1] if path else "research")
        for stage in path:
            DealStageChangeFactory(deal=deal, to_stage=stage)
    midnight = datetime.combine(since + timedelta(days=1), time.min)
    for when, account in (
        (timezone.make_aware(midnight), bob_account),  # first day of the window
        (timezone.make_aware(midnight) - timedelta(microseconds=1), bob_account),  # day before
        (timezone.now(), charlie_account),  # South
    ):
        deal = DealFactory(account=account, stage="offer")
        _created(deal, when)
        for stage in ("research", "offer"):
            DealStageChangeFactory(deal=deal, to_stage=stage)
    scope = cockpit_scope(dora)
    old = _old_funnel_counts(scope, today)
    new = {s.stage: s.reached for s in _funnel(scope, today)}
    assert new == old
    assert new["research"] == 4 + 1  # alice's four with a funnel stage, bob's first-day deal


def _old_booked(ids, windows):
    first, last = min(s for s, _ in windows), max(e for _, e in windows)
    return _grouped(
        OrderLine.objects.filter(
            order__account__owner_id__in=ids,
            order__created_at__gte=_aware(first),
            order__created_at__lt=_aware(last),
        ).exclude(order__status=OrderStatus.CANCELLED),
        key="order__account__owner_id",
        currency="order__currency",
        windows=[
            Q(order__created_at__gte=_aware(s), order__created_at__lt=_aware(e)) for s, e in windows
        ],
        amounts={"net": "line_total"},
        rate="order__reporting_rate",
        document="order",
    )


def _order(account, lines, *, when, currency="PLN", rate=None, status=OrderStatus.RECEIVED):
    first = OrderLineFactory(
        order__account=account,
        order__currency=currency,
        order__status=status,
        unit_price=lines[0],
        quantity=D("3"),
    )
    for price in lines[1:]:
        OrderLineFactory(order=first.order, unit_price=price, quantity=D("7"))
    Order.objects.filter(pk=first.order_id).update(created_at=when, reporting_rate=rate)


def _normalised(result):
    """Per window, {KAM: {currency: sums}} with the amounts as numbers (so 1.50 == 1.5)."""
    return [
        {
            kam: {
                row["currency"]: {k: v for k, v in row.items() if k != "currency"} for row in rows
            }
            for kam, rows in window.items()
        }
        for window in result
    ]


def test_booked_per_order_gives_the_former_sums(alice, bob, alice_account, bob_account):
    year = timezone.localdate().year
    windows = [
        (date(year, 3, 1), date(year, 4, 1)),
        (date(year, 1, 1), date(year, 4, 1)),
        (date(year, 1, 1), date(year + 1, 1, 1)),
    ]
    march = _aware(date(year, 3, 1))
    _order(alice_account, [D("10.01"), D("3.33"), D("0.07")], when=march)  # first instant
    _order(alice_account, [D("5.00")], when=march - timedelta(microseconds=1))  # February
    _order(alice_account, [D("12.34"), D("1.11")], when=march, currency="EUR", rate=D("4.31234567"))
    _order(alice_account, [D("9.99")], when=march, currency="EUR")  # no rate
    _order(alice_account, [D("99.00")], when=march, status=OrderStatus.CANCELLED)
    _order(bob_account, [D("1.00"), D("2.00")], when=_aware(date(year, 12, 31)), rate=D("1"))
    _order(bob_account, [D("7.00")], when=_aware(date(year + 1, 1, 1)))  # next year
    ids = [alice.pk, bob.pk]
    new = _booked(ids=ids, first=windows[1][0], last=windows[2][1], windows=windows)
    assert _normalised(new) == _normalised(_old_booked(ids, windows))
    eur = _normalised(new)[0][alice.pk]["EUR"]
    assert (eur["documents"], eur["unrated"]) == (2, 1)


def _old_leakage(scope, start, end):
    from deals.models import OfferLine, OfferStatus

    lines = OfferLine.objects.visible_to(scope.user).filter(
        scope.accounts_q("offer__deal__account"),
        offer__status=OfferStatus.ACCEPTED,
        offer__closed_at__date__gte=start,
        offer__closed_at__date__lt=end,
    )
    sums = {"list_value": Sum(F("list_price") * F("quantity")), "net_value": Sum("line_total")}

    def rows(key, label):
        return sorted(
            [
                (
                    r[key],
                    r[label],
                    r["offer__currency"],
                    r["list_value"].quantize(D("0.01")),
                    r["net_value"],
                )
                for r in lines.values(key, label, "offer__currency").annotate(**sums).order_by()
            ],
            key=lambda r: (-(r[3] - r[4]), r[1]),
        )

    return (
        rows("offer__deal__owner_id", "offer__deal__owner__username"),
        rows("offer__deal__account_id", "offer__deal__account__name")[:10],
    )


def test_leakage_in_one_statement_gives_both_groupings(dora, alice, bob, alice_account):
    # Bob's deal on alice's account: the deal's owner is the KAM of the leakage.
    beta = AccountFactory(owner=bob, territory=alice_account.territory, name="Beta")
    now = timezone.now()
    for account, owner, quantity, discount, currency in (
        (alice_account, alice, "3", "5", "PLN"),
        (alice_account, alice, "1.5", "12.5", "PLN"),
        (alice_account, bob, "7", "3", "PLN"),
        (beta, bob, "2", "0", "EUR"),
        (beta, bob, "4", "33", "PLN"),
    ):
        OfferLineFactory(
            offer__deal__account=account,
            offer__deal__owner=owner,
            offer__status="accepted",
            offer__currency=currency,
            offer__closed_at=now,
            quantity=D(quantity),
            discount=D(discount),
        )
    scope = cockpit_scope(dora)
    start = timezone.localdate().replace(day=1)
    end = start + timedelta(days=40)
    by_kam, by_account = leakage(scope=scope, start=start, end=end)
    old_kam, old_account = _old_leakage(scope, start, end)

    def rows(result):
        return [(r.key, r.label, r.currency, r.list_value, r.net_value) for r in result]

    names = {alice.pk: alice.get_full_name(), bob.pk: bob.get_full_name()}  # not logins
    old_kam = sorted(
        [(key, names[key], *rest) for key, _login, *rest in old_kam],
        key=lambda r: (-(r[3] - r[4]), r[1]),
    )
    assert rows(by_kam) == old_kam
    assert rows(by_account) == old_account
    assert len(by_kam) == 3  # alice PLN, bob PLN, bob EUR


def test_aging_by_kam_from_the_accounts_is_the_aging_by_kam(
    dora, alice, bob, alice_account, bob_account, charlie_account, issue
):
    today = timezone.localdate()
    bolt = AccountFactory(owner=bob, territory=bob_account.territory, name="Bolt")
    for account, amount, days in (
        (alice_account, "100.00", 0),
        (alice_account, "250.10", 45),
        (bob_account, "70.00", 100),
        (bolt, "30.05", 100),
        (bolt, "0.95", 10),
        (charlie_account, "999.00", 40),  # South
    ):
        issue(
            account,
            amount,
            issued=today - timedelta(days=days + 10),
            due=today - timedelta(days=days),
        )
    issue(bolt, "12.00", issued=today, currency="EUR")
    scope = cockpit_scope(dora)
    invoices = Invoice.objects.visible_to(dora).filter(scope.accounts_q("account"))
    old = aging(invoices=invoices, as_of=today, group_by="kam")
    new = _aging_by_kam(aging(invoices=invoices, as_of=today, group_by="account"))
    assert [vars(r) for r in new.rows] == [vars(r) for r in old.rows]
    assert [vars(r) for r in new.totals] == [vars(r) for r in old.totals]
    assert len(new.rows) == 3  # bob's in PLN and in EUR


@pytest.mark.parametrize("invoiced", [False, True])
def test_exposure_counts_only_orders_not_invoiced(alice_account, issue, invoiced):
    CreditProfile.objects.create(account=alice_account, credit_limit=D("1000"), currency="PLN")
    line = OrderLineFactory(order__account=alice_account, order__status=OrderStatus.CONFIRMED)
    OrderLineFactory(order=line.order)
    OrderLineFactory(order__account=alice_account, order__status=OrderStatus.CANCELLED)
    OrderLineFactory(order__account=alice_account, order__currency="EUR")
    if invoiced:
        Invoice.objects.filter(pk=issue(alice_account, "10.00").pk).update(order=line.order)
    exposure = exposures([alice_account.pk])[alice_account.pk]
    assert exposure.orders == (D("0.00") if invoiced else 2 * line.line_total)


def test_finance_latest_periods_count_as_the_periods_page(
    fiona, alice, bob, alice_account, issue, pay
):
    from commissions.selectors.statements import periods_page
    from commissions.services import periods
    from dashboards.selectors.finance import latest_periods
    from tests.dashboards.test_commission import _this_month, calculate, entries

    _this_month(fiona, alice, alice_account, issue, pay)
    month = timezone.localdate().replace(day=1)
    earlier = (month - timedelta(days=1)).replace(day=1)
    issue(alice_account, "300.00", issued=earlier, due=earlier)
    calculate(fiona, earlier)
    [entry] = entries(alice, month)
    periods.dispute_raise(actor=alice, entry=entry, reason="Wrong")

    def counts(found):
        return [(p.pk, p.month, p.statement_count, p.open_disputes) for p in found]

    assert counts(latest_periods(4)) == counts(periods_page()[:4])
    assert counts(latest_periods(1))[0][2:] == (1, 1)
