"""The hooks through which higher apps plug into lower ones (core/panels, reminders, signals)."""

from accounts.services import account_hand_over
from activities import reminders as activity_reminders
from core import panels as core_panels
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
        "health/partials/account_health.html",
        "receivables/partials/account_money.html",
        "commissions/plans/partials/account_abc.html",
        "reports/partials/account_actions.html",
        "reports/partials/account_documents.html",
    ]


def test_finance_gets_no_timeline_panel(client, fiona, alice_account):
    client.force_login(fiona)
    panels = client.get(f"/accounts/{alice_account.pk}/").context["panels"]
    assert [p.template for p in panels] == [
        "deals/partials/account_panel.html",
        "health/partials/account_health.html",
        "receivables/partials/account_money.html",
        "commissions/plans/partials/account_abc.html",
        "reports/partials/account_documents.html",  # the statement of account, not the QBR
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


def test_each_apps_panel_provider_runs_once_a_request(client, alice, alice_account, monkeypatch):
    # cProfile counts a generator's every resumption as a call (and `strip_dirs` merges the
    # providers that share a line number), so a profile shows each provider "twice"; it runs
    # once, and its queries are counted once in the page's budget.
    calls = []

    def counted(source):
        def provider(request, account):
            calls.append(source.__module__)
            return source(request, account)

        return provider

    providers = [source.__module__ for source in core_panels._panel_sources()]
    sources = [counted(source) for source in core_panels._panel_sources()]
    monkeypatch.setattr(core_panels, "_panel_sources", lambda: sources)
    client.force_login(alice)
    client.get(f"/accounts/{alice_account.pk}/")
    assert calls == providers and len(set(calls)) == 6
