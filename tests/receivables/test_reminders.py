"""Receivables' reminder rules, collected by the runner in activities through core's hook."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from activities.models import Notification
from activities.services import reminders_create
from core.reminders import RuleContext, reminder_rules
from receivables import reminders, services
from tests.receivables.conftest import DAY

D = Decimal
NOW = datetime(DAY.year, DAY.month, DAY.day, 8, tzinfo=UTC)
CTX = RuleContext(now=NOW, zones={})


def test_the_rules_are_registered_through_the_hook():
    assert set(reminders.RULES) <= set(reminder_rules())


def test_an_invoice_reaching_a_level_reminds_its_owner_once_per_level(
    alice, alice_account, issue, adam
):
    invoice = issue(
        alice_account, "10.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=20)
    )
    services.dunning_run(today=DAY)
    [reminder] = list(reminders.invoice_overdue(ctx=CTX))
    assert reminder.recipient_id == alice.pk and reminder.subject_id == invoice.pk
    assert "Friendly reminder" in reminder.title
    assert reminders_create(now=NOW) >= 1
    assert reminders_create(now=NOW) >= 1
    assert Notification.objects.filter(kind="invoice_overdue").count() == 1
    services.dunning_run(today=DAY + timedelta(days=1))
    reminders_create(now=NOW + timedelta(days=1))
    assert Notification.objects.filter(kind="invoice_overdue").count() == 2


def test_a_broken_promise_reminds_the_owner_and_finance(alice, fiona, alice_account, issue, adam):
    invoice = issue(
        alice_account, "10.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=20)
    )
    services.collection_action_log(
        actor=alice,
        account=alice_account,
        invoice=invoice,
        kind="promise",
        happened_on=DAY - timedelta(days=5),
        promised_on=DAY - timedelta(days=1),
        promised_amount=D(10),
    )
    services.dunning_run(today=DAY)
    recipients = {r.recipient_id for r in reminders.promise_broken(ctx=CTX)}
    assert recipients == {alice.pk, fiona.pk}


def test_a_credit_review_coming_due_reminds_the_owner(alice, fiona, alice_account):
    services.credit_profile_set(
        actor=fiona, account=alice_account, data={"next_review": DAY}, reason="Yearly"
    )
    recipients = {r.recipient_id for r in reminders.credit_review_due(ctx=CTX)}
    assert recipients == {alice.pk, fiona.pk}


def test_finance_is_reminded_of_broken_promises_but_not_of_sales_work(
    alice, fiona, alice_account, issue, adam
):
    from tests.factories import ActivityFactory

    invoice = issue(
        alice_account, "10.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=20)
    )
    services.collection_action_log(
        actor=alice,
        account=alice_account,
        invoice=invoice,
        kind="promise",
        happened_on=DAY - timedelta(days=5),
        promised_on=DAY - timedelta(days=1),
        promised_amount=D(10),
    )
    services.dunning_run(today=DAY)
    # An activity finance happens to own: a sales reminder finance must not get.
    ActivityFactory(account=alice_account, owner=fiona, starts_at=NOW + timedelta(days=1))

    reminders_create(now=NOW)

    kinds = set(Notification.objects.filter(recipient=fiona).values_list("kind", flat=True))
    assert kinds == {"promise_broken"}
    assert "promise_broken" in set(
        Notification.objects.filter(recipient=alice).values_list("kind", flat=True)
    )
