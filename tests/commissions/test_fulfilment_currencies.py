"""Plan fulfilment gives one figure in the plan's (reporting) currency where documents are in
several (issue 13): each invoice and credit note at the rate it froze on its date, summed in
SQL; the per-currency figures stay beside it, and a document without a rate is named rather
than guessed."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissions.models import SalesPlan
from commissions.selectors import fulfilment as f
from core.models import ExchangeRate
from receivables import services as money
from tests.deals.factories import OrderFactory, OrderLineFactory

D = Decimal
SEPT = f.period_parse(text="2026-09")


@pytest.fixture
def mixed(alice, alice_account, fiona, issue, pay):
    """Alice's September, plan 10,000 PLN: a PLN invoice of 1,000; EUR invoices of 100 (rate
    4.30 on 2 Sept) and 200 (4.20 on 15 Sept); a EUR invoice of 50 on 1 Sept, before any rate
    (none frozen); a EUR credit note of 10 on the first at 4.25 (16 Sept); the 100 EUR invoice
    paid in full; an order of 1,900 EUR that came in on 5 Sept without a rate frozen.

    Invoiced: 1,000 + 100 x 4.30 + 200 x 4.20 - 10 x 4.25 = 2,227.50, without the 50 EUR."""
    SalesPlan.objects.create(kam=alice, month=date(2026, 9, 1), revenue_target=D("10000"))
    unrated = issue(alice_account, "50.00", issued=date(2026, 9, 1), currency="EUR")
    ExchangeRate.objects.create(day=date(2026, 9, 2), currency="EUR", rate=D("4.30"))
    first = issue(alice_account, "100.00", issued=date(2026, 9, 2), currency="EUR")
    ExchangeRate.objects.create(day=date(2026, 9, 15), currency="EUR", rate=D("4.20"))
    issue(alice_account, "200.00", issued=date(2026, 9, 15), currency="EUR")
    ExchangeRate.objects.create(day=date(2026, 9, 16), currency="EUR", rate=D("4.25"))
    money.credit_note_issue(
        actor=fiona,
        invoice=first,
        issue_date=date(2026, 9, 16),
        reason="price",
        net_amount=D("10.00"),
    )
    issue(alice_account, "1000.00", issued=date(2026, 9, 10))
    payment = pay(alice_account, "90.00", on=date(2026, 9, 20), currency="EUR")
    money.payment_allocate(actor=fiona, payment=payment, allocations=[(first, D("90.00"))])
    order = OrderFactory(account=alice_account, currency="EUR")
    OrderLineFactory(order=order)  # 20 x 95 = 1,900
    moment = datetime(2026, 9, 5, 12, tzinfo=timezone.get_current_timezone())
    type(order).objects.filter(pk=order.pk).update(created_at=moment)
    return {"first": first, "unrated": unrated}


def _row(alice):
    return f.fulfilment_by_kam(kam_ids=[alice.pk], start=SEPT.start, end=SEPT.end)[0]


def test_each_document_counts_at_its_own_frozen_rate(mixed, alice):
    row = _row(alice)
    assert row.currency == "PLN"
    assert row.invoiced == D("2227.50")
    assert row.invoiced_ratio == D("22.3")
    # 90 EUR paid on the 100 EUR invoice (net = gross at 0 % VAT), at that invoice's 4.30.
    assert row.collected == D("387.00")


def test_the_per_currency_figures_stay_beside_the_converted_one(mixed, alice):
    issued = {(i.basis, i.currency): i for i in _row(alice).issued}
    eur = issued["invoiced", "EUR"]
    assert (eur.amount, eur.documents, eur.unrated) == (D("350.00"), 3, 1)
    assert (eur.rate_min, eur.rate_max) == (D("4.20"), D("4.30"))
    assert eur.converted
    assert issued["invoiced", "PLN"].amount == D("1000.00")
    assert issued["credited", "EUR"].amount == D("10.00")
    assert (issued["credited", "EUR"].rate_min, issued["credited", "EUR"].unrated) == (
        D("4.25"),
        0,
    )


def test_a_document_without_a_rate_makes_the_figure_incomplete_not_guessed(mixed, alice):
    row = _row(alice)
    assert not row.invoiced_complete
    assert row.collected_complete
    # The EUR order froze no rate: it is not counted and says so.
    assert row.booked == D("0.00")
    assert not row.booked_complete
    [order] = [i for i in row.unrated if i.basis == "booked"]
    assert (order.currency, order.amount, order.unrated) == ("EUR", D("1900.00"), 1)


def test_once_every_document_has_a_rate_the_figure_is_complete(mixed, alice):
    type(mixed["unrated"]).objects.filter(pk=mixed["unrated"].pk).update(
        reporting_rate=D("4.10"), reporting_rate_day=date(2026, 9, 1)
    )
    row = _row(alice)
    assert row.invoiced == D("2432.50")  # + 50 x 4.10
    assert row.invoiced_complete


def test_booked_converts_each_order_at_the_rate_it_froze(mixed, alice):
    order = type(mixed["first"]).objects.get(pk=mixed["first"].pk).account.orders.get()
    type(order).objects.filter(pk=order.pk).update(
        reporting_rate=D("4.30"), reporting_rate_day=date(2026, 9, 5)
    )
    row = _row(alice)
    assert (row.booked, row.booked_complete) == (D("8170.00"), True)  # 1,900 x 4.30


def test_a_plan_in_another_currency_counts_only_its_own_documents(mixed, alice):
    SalesPlan.objects.filter(kam=alice).update(currency="EUR")
    row = _row(alice)
    assert row.currency == "EUR"
    assert row.invoiced == D("340.00")  # 50 + 100 + 200 - 10, as issued
    assert row.booked == D("1900.00")
    pln = next(i for i in row.unrated if i.currency == "PLN")
    assert (pln.basis, pln.unrated) == ("invoiced", 1)


def test_several_periods_at_once_cost_the_same_seven_queries(mixed, alice, bob):
    windows = [(SEPT.start, SEPT.end), (date(2026, 7, 1), date(2026, 10, 1))]
    with CaptureQueriesContext(connection) as ctx:
        month, quarter = f.fulfilment_by_kam_windows(kam_ids=[alice.pk, bob.pk], windows=windows)
    assert len(ctx.captured_queries) == 7
    month, quarter = ({row.kam_id: row for row in rows} for rows in (month, quarter))
    assert month[alice.pk].invoiced == quarter[alice.pk].invoiced == D("2227.50")
    assert month[alice.pk].planned and quarter[alice.pk].planned
    assert not month[bob.pk].planned


def test_the_drill_down_converts_at_every_level(mixed, alice, alice_account):
    [account] = f.fulfilment_by_account(
        kam_id=alice.pk, start=SEPT.start, end=SEPT.end, currency="PLN"
    )
    assert account.invoiced == D("2227.50")
    assert [i.currency for i in account.issued if i.unrated] == ["EUR"]
    [category] = f.fulfilment_by_category(
        kam_id=alice.pk, account_id=alice_account.pk, start=SEPT.start, end=SEPT.end, currency="PLN"
    )
    assert category.invoiced == D("2270.00")  # lines as invoiced: 1,000 + 430 + 840
    months = f.fulfilment_by_month(
        kam_id=alice.pk,
        account_id=alice_account.pk,
        category_id=category.key,
        start=date(2026, 7, 1),
        end=date(2026, 10, 1),
        currency="PLN",
    )
    assert [(m.key, m.invoiced, m.lines) for m in months] == [(date(2026, 9, 1), D("2270.00"), 4)]
    lines = {
        line.invoice.currency + str(line.net_amount): line
        for line in f.fulfilment_lines(
            kam_id=alice.pk,
            account_id=alice_account.pk,
            category_id=category.key,
            start=SEPT.start,
            end=SEPT.end,
            currency="PLN",
        )
    }
    assert lines["EUR100.00"].rate_in_plan == D("4.30")
    assert lines["EUR100.00"].net_in_plan == D("430.00")
    assert lines["EUR50.00"].net_in_plan is None
    assert lines["PLN1000.00"].rate_in_plan == 1


def test_the_pages_show_the_rates_used_and_what_has_none(client, mixed, alice, alice_account):
    client.force_login(alice)
    page = client.get(reverse("commissions:fulfilment_kam", args=[alice.pk]), {"period": "2026-09"})
    text = page.content.decode()
    assert "2,227.50" in text
    assert "converted at each invoice's rate (4.2000\N{EN DASH}4.3000)" in text
    assert "converted at each credit note's rate (4.2500)" in text
    assert "1 invoice in EUR has no rate: figure not complete" in text
    assert "1 order in EUR has no rate: figure not complete" in text
    assert "350.00 EUR" in text  # the per-currency figure as issued
    lines = client.get(
        reverse("commissions:fulfilment_account", args=[alice.pk, alice_account.pk]),
        {"period": "2026-09", "category": "none", "month": "2026-09"},
    ).content.decode()
    assert "no rate" in lines and "430.00" in lines


def test_a_month_outside_the_period_shows_no_lines(client, mixed, alice, alice_account):
    client.force_login(alice)
    url = reverse("commissions:fulfilment_account", args=[alice.pk, alice_account.pk])
    inside = client.get(url, {"period": "2026-Q3", "category": "none", "month": "2026-09"})
    assert inside.context["lines"] is not None
    for month in ("2026-12", "nope", "2026"):
        page = client.get(url, {"period": "2026-Q3", "category": "none", "month": month})
        assert page.status_code == 200
        assert page.context["lines"] is None
    assert [m.key for m in inside.context["months"]] == [date(2026, 9, 1)]


def test_the_drill_down_pages_cost_the_same_queries_with_more_documents(
    client, mixed, alice, alice_account, issue
):
    client.force_login(alice)
    kam_page = reverse("commissions:fulfilment_kam", args=[alice.pk])
    account_page = reverse("commissions:fulfilment_account", args=[alice.pk, alice_account.pk])
    query = {"period": "2026-09", "category": "none", "month": "2026-09"}

    def count():
        counts = []
        for url, params in ((kam_page, {"period": "2026-09"}), (account_page, query)):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    few = count()
    for currency in ("EUR", "PLN", "EUR"):
        issue(alice_account, "10.00", issued=date(2026, 9, 20), currency=currency)
    # KAM page (13): session, user, the KAM; the fulfilment's seven; by account (invoices,
    # credit notes); notifications (what's left is not shown once the period is over).
    # Account page (15): session, user, the KAM; the fulfilment's seven (the plan's currency);
    # categories, the account, months, lines; notifications.
    assert count() == few == [13, 15]
