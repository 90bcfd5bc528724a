"""Two people allocating at once cannot over-allocate: real threads on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from receivables import services
from receivables.models import Allocation, Invoice, Payment

D = Decimal
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*jobs):
    """Run each job in its own thread and connection, released together by one barrier."""
    start = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(i, job):
        try:
            start.wait(timeout=10)
            job()
            outcomes[i] = "ok"
        except ValidationError as error:
            outcomes[i] = error
        except Exception as error:  # reported below, in the test's thread
            outcomes[i] = ("crash", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_payments_chosen_for_the_same_invoice_at_once_never_exceed_it(
    requires_postgres, fiona, alice_account, issue, pay
):
    invoice = issue(alice_account, "100.00")
    first, second = pay(alice_account, "60.00"), pay(alice_account, "60.00")

    outcomes = _race(
        lambda: services.payment_allocate(
            actor=fiona, payment=first, allocations=[(invoice, D("60.00"))]
        ),
        lambda: services.payment_allocate(
            actor=fiona, payment=second, allocations=[(invoice, D("60.00"))]
        ),
    )

    assert sorted(o == "ok" for o in outcomes) == [False, True]
    refused = next(o for o in outcomes if o != "ok")
    assert isinstance(refused, ValidationError) and "amount" in refused.message_dict
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.paid_total == D("60.00")
    assert sum(a.amount for a in Allocation.objects.filter(invoice=invoice)) == D("60.00")


def test_one_payment_allocated_oldest_first_twice_at_once_is_spent_once(
    requires_postgres, fiona, alice_account, issue, pay
):
    for _ in range(3):
        issue(alice_account, "50.00")
    payment = pay(alice_account, "80.00")

    outcomes = _race(
        lambda: services.payment_allocate(actor=fiona, payment=payment),
        lambda: services.payment_allocate(actor=fiona, payment=payment),
    )

    assert outcomes.count("ok") == 1
    assert Payment.objects.get(pk=payment.pk).allocated_total == D("80.00")
    assert sum(Invoice.objects.values_list("paid_total", flat=True)) == D("80.00")
