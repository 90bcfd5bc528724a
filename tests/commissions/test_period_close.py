"""Periods: recalculation is idempotent, closing freezes in the database, corrections go to the
next open period, reopening is an admin's, with a reason, audited."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from commissions.models import CommissionEntry, PeriodEvent, Statement
from commissions.services import periods
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    OCT,
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
    statement,
    total,
)

# The ledger's fixtures, visible to pytest in this module.
default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal


@pytest.mark.django_db
def test_recalculating_gives_the_same_entries_and_never_duplicates_one(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"), ("2000.00", "0"))
    calculate(fiona, SEPT)
    first = [(e.pk, e.amount) for e in entries(alice)]

    calculate(fiona, SEPT)

    assert [(e.pk, e.amount) for e in entries(alice)] == first
    assert statement(alice, SEPT).total == D("450.00") == total(alice, SEPT)


@pytest.mark.django_db
def test_a_closed_period_is_refused_any_change_by_the_database(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    entry = entries(alice)[0]

    for attempt in (
        lambda: CommissionEntry.objects.filter(pk=entry.pk).update(amount=D("1.00")),
        lambda: CommissionEntry.objects.filter(pk=entry.pk).delete(),
        lambda: Statement.objects.filter(kam=alice).update(total=D("1.00")),
        lambda: CommissionEntry.objects.create(
            period=entry.period,
            kam=alice,
            kind="earned",
            source_key="x",
            currency="PLN",
            on_date=SEPT,
            amount=D("5"),
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()

    assert CommissionEntry.objects.get(pk=entry.pk).amount == D("150.00")


@pytest.mark.django_db
def test_calculating_a_closed_period_is_refused_with_a_message(fiona, alice):
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    with pytest.raises(ValidationError, match="closed"):
        calculate(fiona, SEPT)


@pytest.mark.django_db
def test_closing_with_an_earlier_period_open_is_refused(fiona):
    calculate(fiona, SEPT)
    calculate(fiona, OCT)
    with pytest.raises(ValidationError, match="2026-09"):
        close(fiona, OCT)


@pytest.mark.django_db
def test_an_uncalculated_period_cannot_be_closed(fiona):
    with pytest.raises(ValidationError, match="calculated"):
        close(fiona, SEPT)


@pytest.mark.django_db
def test_only_finance_calculates_and_closes(alice, dora):
    for user in (alice, dora):
        with pytest.raises(PermissionDenied):
            calculate(user, SEPT)


@pytest.mark.django_db
def test_reopening_is_an_admins_with_a_reason_and_both_moves_are_audited(fiona, adam):
    calculate(fiona, SEPT)
    period = close(fiona, SEPT)
    with pytest.raises(PermissionDenied):
        periods.period_reopen(actor=fiona, period=period, reason="typo")
    with pytest.raises(ValidationError):
        periods.period_reopen(actor=adam, period=period, reason=" ")

    periods.period_reopen(actor=adam, period=period, reason="Wrong plan for Bob")

    assert [
        (e.action, e.actor, e.reason)
        for e in PeriodEvent.objects.filter(period=period).order_by("pk")
    ] == [
        ("calculate", fiona, ""),
        ("close", fiona, ""),
        ("reopen", adam, "Wrong plan for Bob"),
    ]


@pytest.mark.django_db
def test_a_correction_is_an_adjustment_in_the_next_open_period_naming_the_entry(
    on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    entry = entries(alice)[0]

    adjustment = periods.adjustment_add(
        actor=fiona,
        kam=alice,
        amount="-20.00",
        currency="PLN",
        note="Bonus agreed lower",
        corrects=entry,
    )

    assert (adjustment.period.month, adjustment.corrects, adjustment.amount) == (
        OCT,
        entry,
        D("-20.00"),
    )
    assert statement(alice, OCT).adjustments == D("-20.00")
    assert total(alice, SEPT) == D("150.00")


@pytest.mark.django_db
def test_writing_an_adjustment_into_a_closed_period_is_refused_and_writes_nothing(fiona, alice):
    calculate(fiona, SEPT)
    period = close(fiona, SEPT)
    with pytest.raises(ValidationError, match="closed"):
        periods.adjustment_add(
            actor=fiona, kam=alice, amount="5", currency="PLN", note="x", period=period
        )
    with pytest.raises(ValidationError, match="amount"):
        periods.adjustment_add(actor=fiona, kam=alice, amount="abc", currency="PLN", note="x")
    assert not CommissionEntry.objects.exists()


@pytest.mark.django_db
def test_a_dispute_accepted_becomes_an_adjustment_and_a_rejected_one_needs_a_reason(
    on_invoice, fiona, alice, bob, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"), ("500.00", "0"))
    calculate(fiona, SEPT)
    close(fiona, SEPT)
    first, second = entries(alice)
    with pytest.raises(PermissionDenied):
        periods.dispute_raise(actor=bob, entry=first, reason="mine")
    one = periods.dispute_raise(actor=alice, entry=first, reason="Rate should be 20 %")
    with pytest.raises(ValidationError):
        periods.dispute_raise(actor=alice, entry=first, reason="again")
    two = periods.dispute_raise(actor=alice, entry=second, reason="?")

    with pytest.raises(ValidationError):
        periods.dispute_resolve(actor=fiona, dispute=two, accept=False, resolution="")
    periods.dispute_resolve(actor=fiona, dispute=two, accept=False, resolution="The rate is 15 %.")
    accepted = periods.dispute_resolve(
        actor=fiona, dispute=one, accept=True, resolution="Agreed", amount="50.00"
    )

    assert accepted.adjustment.period.month == OCT
    assert accepted.adjustment.corrects == first
    assert statement(alice, OCT).total == D("50.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_calculations_at_once_produce_one_result(
    requires_postgres, on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"), ("2000.00", "0"))
    period = periods.period_get_or_create(month=SEPT)
    start = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            start.wait(timeout=10)
            periods.period_calculate(actor=fiona, period=period)
            outcomes.append("ok")
        except Exception as error:  # reported below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes == ["ok", "ok"]
    assert CommissionEntry.objects.filter(kam=alice).count() == 2
    assert Statement.objects.get(kam=alice).total == D("450.00")
    assert PeriodEvent.objects.filter(period=period, action="calculate").count() == 2
