"""Edits made in the admin leave the account's trail too (the admin bypasses the services):
a reassignment (with the open work handed over), a tier change, a creation and a deletion each
leave an AccountEvent, and an admin edit moves the version so a stale page is refused."""

from django.urls import reverse

from accounts import services
from accounts.models import Account, AccountEvent
from core.concurrency import EditConflict
from tests.deals.factories import DealFactory


def _form(account, **changes):
    data = {
        "name": account.name,
        "legal_name": account.legal_name,
        "tax_id": account.tax_id or "",
        "industry": account.industry,
        "segment": account.segment,
        "status": account.status,
        "tier": account.tier,
        "territory": account.territory_id,
        "owner": account.owner_id,
        "country": account.country,
        "potential_amount": account.potential_amount,
        "currency": account.currency,
        "share_of_wallet": account.share_of_wallet or "",
        "financials-TOTAL_FORMS": "0",
        "financials-INITIAL_FORMS": "0",
    }
    return {**{k: ("" if v is None else v) for k, v in data.items()}, **changes}


def _kinds(account_id):
    return list(
        AccountEvent.objects.filter(account_id=account_id)
        .order_by("pk")
        .values_list("kind", "from_value", "to_value", "detail")
    )


def test_an_admin_reassignment_and_tier_change_leave_the_trail(
    admin_client, alice, bob, alice_account
):
    DealFactory(account=alice_account, stage="negotiation", owner=alice)
    url = reverse("admin:accounts_account_change", args=[alice_account.pk])

    response = admin_client.post(url, _form(alice_account, owner=bob.pk, tier="C"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _kinds(alice_account.pk) == [
        ("reassigned", str(alice), str(bob), ""),
        ("handed_over", "", "", "1 open deals"),
        ("tier_changed", "A (top 80 % of revenue)", "C (the rest)", ""),
    ]
    assert alice_account.deals.get().owner == bob


def test_an_admin_edit_moves_the_version(admin_client, alice, alice_account):
    seen = alice_account.version
    url = reverse("admin:accounts_account_change", args=[alice_account.pk])
    assert admin_client.post(url, _form(alice_account, needs="Set by admin")).status_code == 302
    stale = Account.objects.get(pk=alice_account.pk)
    try:
        services.account_update(actor=alice, account=stale, data={"needs": "Mine"}, version=seen)
    except EditConflict:
        pass
    else:
        raise AssertionError("a save from before the admin's edit was applied")
    assert Account.objects.get(pk=alice_account.pk).needs == "Set by admin"


def test_an_admin_deletion_leaves_a_row(admin_client, alice_account):
    url = reverse("admin:accounts_account_delete", args=[alice_account.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert [k for k, *_ in _kinds(alice_account.pk)] == ["deleted"]
