"""Type-ahead pickers: small JSON endpoints scoped to what the user may see, and select
boxes that render only the chosen record."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activities.forms import TaskAssignForm
from deals.forms import OfferLineForm
from tests.deals.factories import ContractFactory, DealFactory, OrderFactory, ProductFactory
from tests.factories import AccountFactory, ContactFactory


def pick(client, url_name, **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response.json()["results"]


def texts(results):
    return [r["text"] for r in results]


def test_account_picker_offers_only_the_kams_own_accounts(
    client, alice, alice_account, bob_account
):
    client.force_login(alice)
    assert texts(pick(client, "accounts:pick", q="")) == ["Alpha Foods"]
    assert texts(pick(client, "accounts:pick", q="beta")) == []


def test_account_picker_follows_the_chosen_kam(client, dora, alice_account, bob_account):
    client.force_login(dora)
    assert texts(pick(client, "accounts:pick", q="")) == ["Alpha Foods", "Beta Retail"]
    assert texts(pick(client, "accounts:pick", owner=bob_account.owner_id)) == ["Beta Retail"]


def test_account_picker_matches_part_of_a_name_or_tax_id(client, alice):
    AccountFactory(owner=alice, name="Polska Spółka Mleczarska", tax_id="PL1112223334")
    AccountFactory(owner=alice, name="Other")
    client.force_login(alice)
    assert texts(pick(client, "accounts:pick", q="mlecz")) == ["Polska Spółka Mleczarska"]
    assert texts(pick(client, "accounts:pick", q="2223")) == ["Polska Spółka Mleczarska"]


def test_picker_names_the_ids_it_is_given_within_scope(client, alice, alice_account, bob_account):
    client.force_login(alice)
    results = pick(client, "accounts:pick", ids=f"{alice_account.pk},{bob_account.pk}")
    assert [(r["value"], r["text"]) for r in results] == [(alice_account.pk, "Alpha Foods")]


def test_contact_picker_keeps_to_one_account(client, alice, alice_account):
    ContactFactory(account=alice_account, first_name="Ewa", last_name="Nowak")
    ContactFactory(account=AccountFactory(owner=alice), first_name="Ewa", last_name="Kos")
    client.force_login(alice)
    assert texts(pick(client, "accounts:pick_contacts", q="ewa", account=alice_account.pk)) == [
        "Ewa Nowak"
    ]


def test_owner_picker_for_a_director_holds_the_territorys_kams(client, dora, alice, bob, charlie):
    client.force_login(dora)
    assert {r["value"] for r in pick(client, "pick_owners")} == {alice.pk, bob.pk}


def test_deal_contract_and_order_pickers_are_scoped(client, alice, alice_account, bob_account):
    DealFactory(account=alice_account, title="Mine")
    DealFactory(account=bob_account, title="Bob's")
    ContractFactory(account=alice_account, number="C-MINE")
    ContractFactory(account=bob_account, number="C-BOB")
    order = OrderFactory(account=alice_account, reference="PO-1")
    OrderFactory(account=bob_account, reference="PO-2")
    client.force_login(alice)
    assert texts(pick(client, "deals:pick_deals")) == ["Mine"]
    assert texts(pick(client, "deals:pick_contracts", q="c-")) == ["C-MINE"]
    assert [r["value"] for r in pick(client, "deals:pick_orders", q="po")] == [order.pk]


def test_product_picker_shows_sku_name_and_list_price(client, alice):
    ProductFactory(sku="GL-100", name="Gloves", list_price=Decimal("1234.50"), unit="box")
    ProductFactory(sku="GL-200", name="Gloves EUR", currency="EUR")
    ProductFactory(sku="GL-300", name="Old gloves", is_active=False)
    client.force_login(alice)
    results = pick(client, "deals:pick_products", q="gl", currency="PLN")
    assert [(r["text"], r["detail"]) for r in results] == [("GL-100 Gloves", "1,234.50 PLN / box")]


def test_pickers_answer_get_only_and_not_anonymously(client, alice):
    assert client.get(reverse("accounts:pick")).status_code == 302
    client.force_login(alice)
    assert client.post(reverse("accounts:pick")).status_code == 405


def test_assign_task_account_picker_depends_on_the_kam(dora):
    html = str(TaskAssignForm(user=dora)["account"])
    assert f'data-picker="{reverse("accounts:pick")}"' in html
    assert 'data-picker-depends="owner"' in html


def test_a_picker_renders_only_the_chosen_record(alice, alice_account):
    products = ProductFactory.create_batch(3)
    form = OfferLineForm(data={"product": products[1].pk}, currency="PLN")
    html = str(form["product"])
    assert html.count("<option") == 2  # the empty choice and the chosen product
    assert str(products[1]) in html
    assert "currency=PLN" in html


@pytest.mark.parametrize("url_name", ["deals:deal_list", "deals:order_list", "accounts:list"])
def test_list_filters_use_pickers(client, dora, url_name):
    client.force_login(dora)
    assert b"data-picker=" in client.get(reverse(url_name)).content


def test_picker_costs_the_same_however_many_rows(
    client, dora, alice, bob, django_assert_num_queries
):
    for owner in (alice, bob, alice, bob):
        AccountFactory(owner=owner)
    client.force_login(dora)
    # session, user, the first matches with owner and territory joined
    with django_assert_num_queries(3):
        client.get(reverse("accounts:pick"), {"q": "client"})


@pytest.mark.parametrize("url_name", ["receivables:invoice_list", "receivables:payment_list"])
def test_money_lists_filter_by_account_and_kam_with_pickers(client, fiona, alice, url_name):
    client.force_login(fiona)
    page = client.get(reverse(url_name)).content.decode()
    assert f'data-picker="{reverse("accounts:pick")}"' in page
    assert f'data-picker="{reverse("pick_owners")}"' in page
    assert str(alice) not in page  # the KAMs are not all listed in a drop-down
