"""An invoice is credited to the KAM who owned its account on the issue date, for good."""

from django.utils import timezone

from accounts import services as account_services
from tests.receivables.conftest import DAY


def test_invoice_is_credited_to_the_owner_and_stays_after_a_handover(
    issue, alice_account, alice, bob, dora
):
    today = timezone.localdate()
    invoice = issue(alice_account, "1000.00", issued=today)
    assert invoice.credited_to == alice

    account_services.account_update(actor=dora, account=alice_account, data={"owner": bob})
    invoice.refresh_from_db()
    assert invoice.credited_to == alice
    assert issue(alice_account, "500.00", issued=today).credited_to == bob


def test_a_backdated_invoice_is_credited_to_the_owner_of_that_day(
    issue, alice_account, alice, bob, dora
):
    account_services.account_update(actor=dora, account=alice_account, data={"owner": bob})

    assert issue(alice_account, "10.00", issued=DAY).credited_to == alice
