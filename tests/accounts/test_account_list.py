from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, CompetitorFactory, UserFactory

URL = reverse("accounts:list")


def _names(response):
    return [account.name for account in response.context["page"]]


@pytest.fixture
def admin_client(client, adam):
    client.force_login(adam)
    return client


def test_search_matches_name_legal_name_and_tax_id(admin_client, alice):
    AccountFactory(owner=alice, name="Orlen Paliwa", tax_id="PL7740001454")
    AccountFactory(owner=alice, name="Other", legal_name="Mlekpol Sp. z o.o.")
    AccountFactory(owner=alice, name="Unrelated")
    assert _names(admin_client.get(URL, {"q": "orlen"})) == ["Orlen Paliwa"]
    assert _names(admin_client.get(URL, {"q": "7740001"})) == ["Orlen Paliwa"]
    assert _names(admin_client.get(URL, {"q": "mlekpol"})) == ["Other"]


def test_filter_by_tier(admin_client, alice):
    AccountFactory(owner=alice, name="Top", tier="A")
    AccountFactory(owner=alice, name="Small", tier="C")
    assert _names(admin_client.get(URL, {"tier": "C"})) == ["Small"]
    assert _names(admin_client.get(URL, {"tier": ["A", "C"]})) == ["Small", "Top"]


def test_filter_by_status(admin_client, alice):
    AccountFactory(owner=alice, name="Live", status="active")
    AccountFactory(owner=alice, name="Gone", status="lost")
    assert _names(admin_client.get(URL, {"status": "lost"})) == ["Gone"]


def test_filter_by_territory(admin_client, alice, charlie):
    AccountFactory(owner=alice, name="Northern")
    AccountFactory(owner=charlie, name="Southern")
    territory = charlie.territory_id
    assert _names(admin_client.get(URL, {"territory": territory})) == ["Southern"]


def test_filter_by_owner(admin_client, alice, bob):
    AccountFactory(owner=alice, name="Mine")
    AccountFactory(owner=bob, name="Bobs")
    assert _names(admin_client.get(URL, {"owner": bob.pk})) == ["Bobs"]


def test_filter_by_industry(admin_client, alice):
    AccountFactory(owner=alice, name="Pharma One", industry="Pharmaceuticals")
    AccountFactory(owner=alice, name="Shop", industry="Retail")
    assert _names(admin_client.get(URL, {"industry": "pharma"})) == ["Pharma One"]


def test_sort_by_potential_descending(admin_client, alice):
    AccountFactory(owner=alice, name="Mid", potential_amount=Decimal("500"))
    AccountFactory(owner=alice, name="Big", potential_amount=Decimal("900"))
    AccountFactory(owner=alice, name="Low", potential_amount=Decimal("100"))
    assert _names(admin_client.get(URL, {"ordering": "-potential"})) == ["Big", "Mid", "Low"]


def test_owner_filter_offers_only_kams_in_the_directors_territory(client, dora, alice, charlie):
    client.force_login(dora)
    choices = client.get(URL).context["filter"].form.fields["owner"].queryset
    assert alice in choices
    assert charlie not in choices


def test_a_kam_cannot_list_another_kams_accounts_through_the_owner_filter(
    client, alice, bob_account
):
    client.force_login(alice)
    response = client.get(URL, {"owner": bob_account.owner_id})
    assert _names(response) == []


def test_garbage_filter_values_show_a_message_not_an_error(admin_client, alice):
    AccountFactory(owner=alice, name="Kept")
    response = admin_client.get(URL, {"owner": "abc", "tier": "Z", "page": "x"})
    assert response.status_code == 200
    assert b"Some filters were not understood" in response.content


def test_list_is_paginated_by_25_and_keeps_filters_in_page_links(admin_client, alice):
    AccountFactory.create_batch(30, owner=alice, tier="B")
    response = admin_client.get(URL, {"tier": "B"})
    assert len(response.context["page"]) == 25
    assert "tier=B&amp;page=2" in response.content.decode()
    assert len(admin_client.get(URL, {"tier": "B", "page": 2}).context["page"]) == 5


def test_htmx_filter_request_returns_only_the_table(admin_client, alice):
    AccountFactory(owner=alice, name="Fragment")
    response = admin_client.get(URL, {"q": "frag"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Fragment" in body
    assert "<html" not in body


def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, dora):
    client.force_login(dora)
    kams = UserFactory.create_batch(2, territory=dora.territory, reports_to=dora)
    competitor = CompetitorFactory()

    def add_accounts(count):
        for index in range(count):
            account = AccountFactory(owner=kams[index % 2])
            account.competitors.add(competitor)

    add_accounts(2)
    # session, user with territory, count, page of accounts (owner and territory joined),
    # totals of potential per currency over the whole filtered set, the count of offers
    # waiting for the director's approval (in the menu), the bell's unread count; the owner
    # picker reads no choices until a KAM is chosen; the saved views of the list
    with django_assert_num_queries(8):
        client.get(URL)
    add_accounts(6)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["page"]) == 8


def test_finance_can_filter_by_any_kam(client, fiona, alice, charlie):
    AccountFactory(owner=alice, name="North client")
    AccountFactory(owner=charlie, name="South client")
    client.force_login(fiona)
    assert _names(client.get(URL, {"owner": charlie.pk})) == ["South client"]


def test_htmx_history_restore_gets_the_whole_page(admin_client, alice):
    response = admin_client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_equal_sort_keys_still_page_without_repeats(admin_client, alice):
    AccountFactory.create_batch(30, owner=alice, tier="A", name="Same name")
    first = admin_client.get(URL, {"ordering": "tier"}).context["page"]
    second = admin_client.get(URL, {"ordering": "tier", "page": 2}).context["page"]
    ids = [a.pk for a in first] + [a.pk for a in second]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 30
