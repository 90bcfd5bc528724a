"""A KAM disputes any line their statement shows, also while its month is open (a reopened
period, or an adjustment finance added before calculating); finance accepts it as an
adjustment in that open period. A disputed line the recalculation no longer produces stays,
withdrawn to zero, with its dispute."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commissions.models import CommissionEntry, Dispute, SchemeVersion
from commissions.services import periods
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import (
    SEPT,
    calculate,
    close,
    entries,
    invoice_lines,
    statement,
)

default_schemes = ledger_helpers.default_schemes
on_invoice = ledger_helpers.on_invoice

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def reopened(on_invoice, fiona, adam, alice, alice_account):
    """September calculated (1,000.00 earns 150.00), closed, and reopened by the admin."""
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    period = close(fiona, SEPT)
    return periods.period_reopen(actor=adam, period=period, reason="wrong plan")


def test_the_kam_disputes_a_line_of_a_reopened_period_from_the_statement(client, reopened, alice):
    assert reopened.status == "open"
    [entry] = entries(alice, SEPT)
    client.force_login(alice)
    url = reverse("commissions:statement_detail", args=[statement(alice, SEPT).pk])
    page = client.get(url).content.decode()
    assert reverse("commissions:entry_dispute", args=[entry.pk]) in page
    assert 'id="lines-may-change"' in page

    client.post(reverse("commissions:entry_dispute", args=[entry.pk]), {"reason": "20 %?"})

    assert Dispute.objects.get().entry == entry


def test_finance_accepts_it_as_an_adjustment_in_that_open_period(reopened, fiona, alice):
    [entry] = entries(alice, SEPT)
    dispute = periods.dispute_raise(actor=alice, entry=entry, reason="20 %?")

    accepted = periods.dispute_resolve(
        actor=fiona, dispute=dispute, accept=True, resolution="Agreed", amount="50.00"
    )

    assert accepted.adjustment.period == reopened
    assert accepted.adjustment.corrects == entry
    assert statement(alice, SEPT).total == D("200.00")  # 150 + 50
    calculate(fiona, SEPT)  # a recalculation keeps the adjustment
    assert statement(alice, SEPT).total == D("200.00")


def test_an_adjustment_line_of_an_uncalculated_period_can_be_disputed(fiona, alice):
    adjustment = periods.adjustment_add(
        actor=fiona, kam=alice, amount="-30.00", currency="PLN", note="Phone bill"
    )
    assert adjustment.period.status == "open"

    dispute = periods.dispute_raise(actor=alice, entry=adjustment, reason="Not my phone")

    assert dispute.status == "open"


def test_a_disputed_line_no_longer_earned_stays_at_zero_with_its_dispute(
    client, on_invoice, fiona, alice, alice_account
):
    invoice_lines(fiona, alice_account, ("1000.00", "0"))
    calculate(fiona, SEPT)
    [entry] = entries(alice, SEPT)
    periods.dispute_raise(actor=alice, entry=entry, reason="Too little")
    # The scheme now earns on payment: the unpaid invoice's line earns nothing in September.
    SchemeVersion.objects.filter(scheme__code="standard").update(earned_on="payment")

    calculate(fiona, SEPT)
    calculate(fiona, SEPT)

    kept = CommissionEntry.objects.get(pk=entry.pk)
    assert (kept.amount, kept.is_withdrawn) == (D("0.00"), True)
    assert kept.disputes.get().status == "open"
    assert statement(alice, SEPT).total == D("0.00")
    client.force_login(alice)
    page = client.get(reverse("commissions:statement_detail", args=[statement(alice, SEPT).pk]))
    assert "kept at zero for its dispute" in page.content.decode()
