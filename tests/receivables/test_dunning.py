"""The nightly dunning run: one level at a time, never twice, never a disputed, held or paid
invoice; promises kept or broken."""

from datetime import timedelta
from decimal import Decimal

import pytest

from receivables import services, tasks
from receivables.models import CollectionAction, Invoice
from tests.deals.factories import ComplaintFactory
from tests.receivables.conftest import DAY

D = Decimal


def level_of(invoice):
    invoice = Invoice.objects.select_related("dunning_level").get(pk=invoice.pk)
    return invoice.dunning_level.name if invoice.dunning_level else None


@pytest.fixture
def overdue(alice_account, issue):
    """An invoice 45 days past due on DAY: past the first three levels' days."""
    return issue(
        alice_account, "100.00", issued=DAY - timedelta(days=75), due=DAY - timedelta(days=45)
    )


def test_one_level_a_night_and_never_the_same_twice(overdue, adam):
    services.dunning_run(today=DAY)
    assert level_of(overdue) == "Friendly reminder"
    services.dunning_run(today=DAY)  # the same night again (a retried job): nothing more
    assert level_of(overdue) == "Friendly reminder"
    services.dunning_run(today=DAY + timedelta(days=1))
    assert level_of(overdue) == "First demand"
    services.dunning_run(today=DAY + timedelta(days=2))
    assert level_of(overdue) == "Final demand"
    services.dunning_run(today=DAY + timedelta(days=3))
    assert level_of(overdue) == "Final demand"  # legal comes at 60 days
    levels = CollectionAction.objects.filter(invoice=overdue, kind="level")
    assert levels.count() == 3


def test_not_yet_due_levels_wait_for_their_days(alice_account, issue, adam):
    recent = issue(
        alice_account, "10.00", issued=DAY - timedelta(days=32), due=DAY - timedelta(days=2)
    )
    services.dunning_run(today=DAY)
    assert level_of(recent) is None
    services.dunning_run(today=DAY + timedelta(days=1))
    assert level_of(recent) == "Friendly reminder"


def test_disputed_held_and_paid_invoices_are_not_chased(
    fiona, alice, alice_account, issue, pay, adam
):
    disputed = issue(
        alice_account, "10.00", issued=DAY - timedelta(days=60), due=DAY - timedelta(days=40)
    )
    held = issue(
        alice_account, "20.00", issued=DAY - timedelta(days=60), due=DAY - timedelta(days=40)
    )
    paid = issue(
        alice_account, "30.00", issued=DAY - timedelta(days=60), due=DAY - timedelta(days=40)
    )
    complaint = ComplaintFactory(account=alice_account)
    services.collection_action_log(
        actor=alice,
        account=alice_account,
        invoice=disputed,
        kind="dispute",
        happened_on=DAY - timedelta(days=60),
        complaint=complaint,
    )
    Invoice.objects.filter(pk=held.pk).update(hold_until=DAY + timedelta(days=5))
    services.payment_allocate(
        actor=fiona, payment=pay(alice_account, "30.00"), allocations=[(paid, D(30))]
    )
    services.dunning_run(today=DAY)
    assert [level_of(i) for i in (disputed, held, paid)] == [None, None, None]
    complaint.status, complaint.resolution = "resolved", "Credited"
    complaint.save()
    services.dunning_run(today=DAY)
    assert level_of(disputed) == "Friendly reminder"


def test_a_broken_promise_raises_the_level_and_a_kept_one_is_marked_kept(
    fiona, alice, alice_account, overdue, issue, pay, adam
):
    kept = issue(
        alice_account, "50.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=10)
    )
    for invoice in (overdue, kept):
        services.collection_action_log(
            actor=alice,
            account=alice_account,
            invoice=invoice,
            kind="promise",
            happened_on=DAY - timedelta(days=10),
            promised_on=DAY - timedelta(days=3),
            promised_amount=invoice.gross_total,
        )
    services.payment_allocate(
        actor=fiona, payment=pay(alice_account, "50.00"), allocations=[(kept, D(50))]
    )
    result = services.dunning_run(today=DAY)
    assert result["promises_broken"] == 1 and result["promises_kept"] == 1
    assert level_of(overdue) == "Friendly reminder"  # raised by the broken promise, once
    states = dict(
        CollectionAction.objects.filter(kind="promise").values_list("invoice_id", "promise_state")
    )
    assert states == {overdue.pk: "broken", kept.pk: "kept"}


def test_the_task_takes_a_date_and_runs_the_same(overdue, adam):
    assert tasks.dunning_run.delay(today=DAY.isoformat()).get()["moved"] == 1
    assert tasks.dunning_run.delay(today=DAY.isoformat()).get()["moved"] == 0
    with pytest.raises(ValueError, match="ISO date"):
        tasks.dunning_run.delay(today="yesterday")
