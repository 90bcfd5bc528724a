"""Fulfilment on every basis, the drill-down, "what's left" and the periods."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import account_update
from commissions.models import SalesPlan
from commissions.selectors import fulfilment as f
from deals.models import Deal, Offer
from receivables import services as money
from tests.deals.factories import (
    DealFactory,
    OfferFactory,
    OfferLineFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
)
from tests.factories import AccountFactory

D = Decimal
SEPT = f.period_parse(text="2026-09")


def line(product, price, cost):
    return money.LineInput(
        description=product.name,
        quantity=D(1),
        unit_price=D(price),
        vat_code="0",
        product=product,
        unit_cost=D(cost),
    )


@pytest.fixture
def september(alice, alice_account, dora, fiona, pay, issue):
    """Alice's September: plan 10,000 / margin 3,000 / 2 new clients; an order of 1,900 booked;
    two invoices (a new client's first) worth 6,000 net with 3,500 cost, a price credit note of
    1,000, 2,500 paid."""
    SalesPlan.objects.create(
        kam=alice,
        month=date(2026, 9, 1),
        revenue_target=D("10000"),
        margin_target=D("3000"),
        new_clients_target=2,
    )
    order = OrderFactory(account=alice_account)
    OrderLineFactory(order=order)  # 20 x 95 = 1,900
    moment = datetime(2026, 9, 5, 12, tzinfo=timezone.get_current_timezone())
    type(order).objects.filter(pk=order.pk).update(created_at=moment)
    issue(alice_account, "1.00", issued=date(2026, 8, 1))  # an old client already
    a, b = ProductFactory(), ProductFactory()
    first = money.invoice_issue(
        actor=fiona,
        account=alice_account,
        issue_date=date(2026, 9, 10),
        due_date=date(2026, 9, 30),
        currency="PLN",
        lines=[line(a, "4000", "2000"), line(b, "1000", "900")],
    )
    newcomer = AccountFactory(owner=alice, name="Newcomer")
    money.invoice_issue(
        actor=fiona,
        account=newcomer,
        issue_date=date(2026, 9, 12),
        due_date=date(2026, 9, 30),
        currency="PLN",
        lines=[line(a, "1000", "600")],
    )
    money.credit_note_issue(
        actor=fiona,
        invoice=first,
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D("1000.00"),
    )
    payment = pay(alice_account, "2500.00", on=date(2026, 9, 25))
    money.payment_allocate(actor=fiona, payment=payment, allocations=[(first, D("2500.00"))])
    return {"first": first, "newcomer": newcomer, "a": a}


def test_three_bases_margin_and_new_clients_side_by_side(september, alice):
    row = f.fulfilment_by_kam(kam_ids=[alice.pk], start=SEPT.start, end=SEPT.end)[0]

    assert row.booked == D("1900.00")
    assert row.invoiced == D("5000.00")  # 4,000 + 1,000 + 1,000 - 1,000
    assert row.collected == D("2500.00")
    assert row.margin == D("1500.00")  # 5,000 net - 3,500 cost (a price credit takes none back)
    assert row.new_clients == 1
    assert (row.booked_ratio, row.invoiced_ratio, row.collected_ratio) == (
        D("19.0"),
        D("50.0"),
        D("25.0"),
    )
    assert row.margin_ratio == D("50.0")


def test_revenue_stays_with_the_kam_who_owned_the_account_on_the_issue_date(
    september, alice, bob, dora
):
    account_update(actor=dora, account=september["newcomer"], data={"owner": bob})

    rows = f.fulfilment_by_kam(kam_ids=[alice.pk, bob.pk], start=SEPT.start, end=SEPT.end)
    by_kam = {row.kam_id: row for row in rows}
    assert by_kam[alice.pk].invoiced == D("5000.00")
    assert by_kam[bob.pk].invoiced == D("0.00")


def test_the_same_queries_for_one_kam_or_many(september, alice, bob, charlie):
    with CaptureQueriesContext(connection) as one:
        f.fulfilment_by_kam(kam_ids=[alice.pk], start=SEPT.start, end=SEPT.end)
    with CaptureQueriesContext(connection) as three:
        f.fulfilment_by_kam(kam_ids=[alice.pk, bob.pk, charlie.pk], start=SEPT.start, end=SEPT.end)
    # kams, plans, booked, invoiced, credit notes, collected, new clients
    assert len(one) == len(three) == 7


def test_a_territory_total_adds_kams_up(september, alice, bob):
    rows = f.fulfilment_by_kam(kam_ids=[alice.pk, bob.pk], start=SEPT.start, end=SEPT.end)
    total = f.fulfilment_total(rows=rows, name="North")
    assert total.invoiced == D("5000.00")
    assert total.revenue_target == D("10000")


def test_drill_down_from_kam_to_account_to_category_to_lines(september, alice, alice_account):
    accounts = f.fulfilment_by_account(
        kam_id=alice.pk, start=SEPT.start, end=SEPT.end, currency="PLN"
    )
    assert [(row.label, row.invoiced) for row in accounts] == [
        ("Alpha Foods", D("4000.00")),  # 5,000 less the credit note
        ("Newcomer", D("1000.00")),
    ]
    categories = f.fulfilment_by_category(
        kam_id=alice.pk, account_id=alice_account.pk, start=SEPT.start, end=SEPT.end, currency="PLN"
    )
    assert sorted(row.invoiced for row in categories) == [D("1000.00"), D("4000.00")]
    biggest = categories[0]
    lines = list(
        f.fulfilment_lines(
            kam_id=alice.pk,
            account_id=alice_account.pk,
            category_id=biggest.key,
            start=SEPT.start,
            end=SEPT.end,
            currency="PLN",
        )
    )
    assert [(ln.net_amount, ln.margin) for ln in lines] == [(D("4000.00"), D("2000.00"))]


def test_whats_left_remaining_pipeline_run_rate_and_offers_to_close_the_gap(
    september, alice, alice_account
):
    DealFactory(
        account=alice_account,
        stage=Deal.Stage.NEGOTIATION,
        amount=D("4000"),
        probability=50,
        expected_close_date=date(2026, 9, 28),
    )
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, expected_close_date=None)
    big = OfferFactory(deal=deal, status=Offer.Status.SENT, valid_until=date(2026, 10, 10))
    OfferLineFactory(offer=big, quantity=D("40"), discount=D("0"))  # 4,000
    small = OfferFactory(deal=deal, status=Offer.Status.SENT, valid_until=date(2026, 10, 10))
    OfferLineFactory(offer=small, quantity=D("20"), discount=D("0"))  # 2,000
    smallest = OfferFactory(deal=deal, status=Offer.Status.SENT, valid_until=date(2026, 10, 10))
    OfferLineFactory(offer=smallest, quantity=D("5"), discount=D("0"))  # 500
    OfferFactory(deal=deal, status=Offer.Status.DRAFT)

    left = f.whats_left(kam_id=alice.pk, period=SEPT, today=date(2026, 9, 16))

    assert left.remaining == D("5000.00")
    assert left.weighted_pipeline == D("2000.00")
    assert left.weeks_left == 3  # 15 days to the end of September
    assert left.run_rate == D("1666.67")
    assert [(o.total, o.closes_gap) for o in left.offers] == [
        (D("4000.00"), True),
        (D("2000.00"), True),
        (D("500.00"), False),
    ]


def test_nothing_left_after_the_period(september, alice):
    left = f.whats_left(kam_id=alice.pk, period=SEPT, today=date(2026, 10, 2))
    assert left.weeks_left == 0
    assert left.run_rate is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ],
)
def test_periods_are_years_quarters_or_months(text, start, end):
    period = f.period_parse(text=text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "26", "2026-13", "2026-Q5", "x", "1999"])
def test_a_period_that_is_none_of_these_is_refused(text):
    with pytest.raises(ValueError, match="Use 2026"):
        f.period_parse(text=text)


def test_monthly_history_gives_last_years_shape(september, alice):
    history = f.monthly_history(kam_id=alice.pk, year=2026, currency="PLN")
    assert history[date(2026, 9, 1)].net == D("5000.00")
    assert history[date(2026, 8, 1)].new_clients == 1
    assert history[date(2026, 9, 1)].new_clients == 1
    assert history[date(2026, 1, 1)].net == 0


def test_collected_counts_the_net_part_of_a_payment_on_an_invoice_with_vat(
    alice, alice_account, fiona, issue, pay
):
    invoice = issue(alice_account, "1000.00", issued=date(2026, 9, 2), vat="23")  # 1,230 gross
    payment = pay(alice_account, "615.00", on=date(2026, 9, 9))
    money.payment_allocate(actor=fiona, payment=payment, allocations=[(invoice, D("615.00"))])

    row = f.fulfilment_by_kam(kam_ids=[alice.pk], start=SEPT.start, end=SEPT.end)[0]
    assert row.collected == D("500.00")
