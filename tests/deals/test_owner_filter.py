"""Finance sees every KAM's deals, so its "Owner KAM" filter offers every KAM and narrows the
list, on the page and in the API (it used to offer nobody: the deals copy of the owner filter
asked who finance may assign accounts to)."""

from django.urls import reverse

from tests.deals.factories import DealFactory


def _deals(alice_account, bob_account, charlie_account):
    return {
        account.owner.username: DealFactory(account=account, title=f"{account.owner} deal")
        for account in (alice_account, bob_account, charlie_account)
    }


def test_finance_filters_the_deal_list_by_any_kam(
    client, fiona, alice, bob, charlie, alice_account, bob_account, charlie_account
):
    deals = _deals(alice_account, bob_account, charlie_account)
    client.force_login(fiona)

    page = client.get(reverse("deals:deal_list"))
    choices = set(page.context["filter"].form.fields["owner"].queryset)
    assert {alice, bob, charlie} <= choices
    filtered = client.get(reverse("deals:deal_list"), {"owner": charlie.pk})

    assert filtered.status_code == 200
    assert not filtered.context["filter"].errors
    assert deals["charlie"].title in filtered.content.decode()
    assert deals["alice"].title not in filtered.content.decode()


def test_finance_filters_the_deals_api_by_any_kam(
    api_as, charlie, alice_account, bob_account, charlie_account
):
    deals = _deals(alice_account, bob_account, charlie_account)

    response = api_as("fiona").get("/api/v1/deals/", {"owner": charlie.pk})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [deals["charlie"].pk]
