from datetime import date
from decimal import Decimal

from commissions.models import SalesPlan
from commissions.selectors.fulfilment import invoiced_fulfilment
from receivables import services

SEPT, OCT = date(2026, 9, 1), date(2026, 10, 1)


def test_invoiced_fulfilment_is_net_invoiced_less_credit_notes_over_the_target(
    issue, fiona, alice, alice_account, bob_account
):
    SalesPlan.objects.create(kam=alice, month=SEPT, revenue_target=Decimal("1000"))
    invoice = issue(alice_account, "600.00", issued=date(2026, 9, 10))
    issue(alice_account, "200.00", issued=OCT)  # the next month
    issue(alice_account, "50.00", issued=date(2026, 9, 11), currency="EUR")  # another currency
    issue(bob_account, "900.00", issued=date(2026, 9, 12))  # another KAM's
    services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=Decimal("100.00"),
    )

    result = invoiced_fulfilment(kam_id=alice.pk, start=SEPT, end=OCT)

    assert result.invoiced_net == Decimal("500.00")
    assert result.ratio == Decimal("0.5")


def test_no_plan_means_no_fulfilment_to_speak_of(alice):
    assert invoiced_fulfilment(kam_id=alice.pk, start=SEPT, end=OCT) is None
