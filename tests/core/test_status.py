"""The one status flow (core/status.py): checked against the stored row, saved field by field."""

import pytest

from core.status import IllegalStatusMove, status_move
from deals.models import ORDER_FLOW, Order
from tests.deals.factories import OrderFactory


def test_a_move_is_checked_against_the_status_stored_now_not_the_copy(alice, alice_account):
    order = OrderFactory(account=alice_account)
    stale = Order.objects.get(pk=order.pk)
    status_move(order, to=Order.Status.CANCELLED, by=alice)

    with pytest.raises(IllegalStatusMove, match="cannot go from Cancelled to Confirmed"):
        status_move(stale, to=Order.Status.CONFIRMED, by=alice)
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_only_the_changed_fields_are_saved(alice, alice_account):
    order = OrderFactory(account=alice_account)
    stale = Order.objects.get(pk=order.pk)
    Order.objects.filter(pk=order.pk).update(note="Edited meanwhile")

    status_move(stale, to=Order.Status.CONFIRMED, by=alice)

    order.refresh_from_db()
    assert (order.status, order.note) == (Order.Status.CONFIRMED, "Edited meanwhile")


def test_the_move_writes_a_history_row_by_whom_made_it(alice, alice_account):
    order = OrderFactory(account=alice_account)
    status_move(order, to=Order.Status.CONFIRMED, by=alice)
    latest = order.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user) == (Order.Status.CONFIRMED, alice)


def test_final_states_and_labelled_moves_come_from_the_flow():
    assert ORDER_FLOW.final == {Order.Status.DELIVERED, Order.Status.CANCELLED}
    assert ORDER_FLOW.moves_from(Order.Status.RECEIVED) == [
        ("confirmed", "Confirmed"),
        ("cancelled", "Cancelled"),
    ]
