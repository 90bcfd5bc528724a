"""The hooks through which higher apps plug into lower ones (core/panels, reminders, signals)."""

from accounts.services import account_hand_over
from activities import reminders as activity_reminders
from core.reminders import reminder_rules
from deals import reminders as deal_reminders
from deals.models import Deal
from tests.deals.factories import DealFactory
from tests.factories import ActivityFactory


def test_every_apps_reminder_rules_are_collected():
    rules = reminder_rules()
    assert set(activity_reminders.RULES) <= set(rules)
    assert set(deal_reminders.RULES) <= set(rules)


def test_the_account_page_collects_the_panels_of_the_apps_above_accounts(
    client, alice, alice_account
):
    client.force_login(alice)
    panels = client.get(f"/accounts/{alice_account.pk}/").context["panels"]
    assert [p.template for p in panels] == [
        "deals/partials/account_panel.html",
        "activities/partials/account_activity.html",
        "receivables/partials/account_money.html",
        "commissions/plans/partials/account_abc.html",
        "reports/partials/account_actions.html",
    ]


def test_finance_gets_no_timeline_panel(client, fiona, alice_account):
    client.force_login(fiona)
    panels = client.get(f"/accounts/{alice_account.pk}/").context["panels"]
    assert [p.template for p in panels] == [
        "deals/partials/account_panel.html",
        "receivables/partials/account_money.html",
        "commissions/plans/partials/account_abc.html",
    ]


def test_a_handover_says_what_each_app_moved(alice, bob, dora, alice_account):
    DealFactory.create_batch(2, account=alice_account, stage=Deal.Stage.NEGOTIATION)
    ActivityFactory(account=alice_account)
    alice_account.owner = bob
    alice_account.save()

    moved = account_hand_over(account=alice_account, from_user_id=alice.pk, actor=dora)

    assert {(str(m.what), m.count) for m in moved} == {
        ("open deals", 2),
        ("planned activities", 1),
    }
    assert set(Deal.objects.values_list("owner", flat=True)) == {bob.pk}
