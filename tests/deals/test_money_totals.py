"""Totals are per currency: a PLN deal and a EUR deal never add up to one figure."""

from decimal import Decimal as D

from django.urls import reverse

from tests.deals.factories import DealFactory, ReturnFactory


def test_the_board_totals_each_currency_apart_per_stage_and_per_kam(kam, alice, alice_account):
    DealFactory(account=alice_account, stage="offer", amount=D("100000"), probability=25)
    DealFactory(
        account=alice_account, stage="offer", amount=D("100000"), currency="EUR", probability=10
    )
    DealFactory(account=alice_account, stage="offer", amount=D("0.05"), probability=50)

    response = kam.get(reverse("deals:board"))

    board = response.context["board"]
    offer = next(column for column in board.columns if column.stage == "offer")
    assert offer.count == 3
    assert offer.amount == {"EUR": D("100000.00"), "PLN": D("100000.05")}
    assert offer.weighted == {"EUR": D("10000.00"), "PLN": D("25000.03")}
    assert board.open_amount == offer.amount
    [row] = board.by_kam
    assert (row.owner_id, row.count, row.amount) == (alice.pk, 3, offer.amount)
    body = response.content.decode()
    assert "100,000 EUR" in body and "100,000 PLN" in body and "200,000" not in body


def test_the_returns_analysis_totals_each_currency_apart(kam, alice_account):
    ReturnFactory(order_line__order__account=alice_account, quantity=D("1"))
    ReturnFactory(
        order_line__order__account=alice_account, order_line__order__currency="EUR", quantity=D("2")
    )

    response = kam.get(reverse("deals:returns_analysis"))

    analysis = response.context["analysis"]
    assert analysis.value == {"EUR": D("190.00"), "PLN": D("95.00")}
    assert [(row["currency"], row["value"]) for row in analysis.by_reason] == [
        ("EUR", D("190.00")),
        ("PLN", D("95.00")),
    ]
    page = response.content.decode()
    # The sum of both currencies (285.00) appears nowhere; a record's id may contain 285.
    assert "285.00" not in page and "285,00" not in page
