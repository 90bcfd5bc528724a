"""A contract's deal, an order's contract and a complaint's person are type-ahead pickers of
the account's own records (never a drop-down of every row), and a record of another account is
refused with a message, the input kept."""

import pytest
from django.urls import reverse

from accounts.forms import ContactRelationForm
from deals.forms import ComplaintForm, ContractForm, OrderForm
from deals.models import Complaint, Contract, Order
from tests.deals.factories import ContractFactory, DealFactory
from tests.factories import AccountFactory, ContactFactory

FORMS = [
    (ContractForm, "deal", "deals:pick_deals"),
    (OrderForm, "contract", "deals:pick_contracts"),
    (ComplaintForm, "contact", "accounts:pick_contacts"),
]


@pytest.fixture
def many(alice, alice_account):
    other = AccountFactory(owner=alice)
    for account in (alice_account, other):
        DealFactory.create_batch(3, account=account)
        ContractFactory.create_batch(3, account=account)
        ContactFactory.create_batch(3, account=account)
    return other


@pytest.mark.parametrize(("form_class", "field", "url_name"), FORMS)
def test_on_an_account_the_picker_keeps_to_its_records(
    alice, alice_account, many, form_class, field, url_name
):
    html = str(form_class(user=alice, account=alice_account)[field])
    assert f'data-picker="{reverse(url_name)}"' in html
    assert f"account={alice_account.pk}" in html
    assert html.count("<option") == 1  # only the empty choice: the rest come as you type


@pytest.mark.parametrize(("form_class", "field", "url_name"), FORMS)
def test_while_the_account_is_picked_the_picker_follows_it(
    alice, many, form_class, field, url_name
):
    html = str(form_class(user=alice)[field])
    assert f'data-picker="{reverse(url_name)}"' in html
    assert 'data-picker-depends="account"' in html
    assert html.count("<option") == 1


def test_the_pickers_answer_only_the_chosen_accounts_records(client, alice, alice_account, many):
    client.force_login(alice)
    for url_name in ("deals:pick_deals", "deals:pick_contracts", "accounts:pick_contacts"):
        results = client.get(reverse(url_name), {"account": alice_account.pk}).json()["results"]
        assert len(results) == 3, url_name


def test_a_record_of_another_account_is_refused_with_a_message(client, alice, alice_account, many):
    client.force_login(alice)
    foreign_deal = many.deals.first()
    foreign_contract = many.contracts.first()
    foreign_person = many.contacts.first()
    cases = [
        (
            "deals:contract_create",
            {
                "account": alice_account.pk,
                "deal": foreign_deal.pk,
                "number": "K/2026/777",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "value": "1000",
                "currency": "PLN",
                "payment_terms_days": "30",
                "renewal": "manual",
            },
            "deal",
            Contract,
        ),
        (
            "deals:order_create",
            {
                "account": alice_account.pk,
                "contract": foreign_contract.pk,
                "reference": "PO-777",
                "currency": "PLN",
                "requested_date": "2026-05-01",
            },
            "contract",
            Order,
        ),
        (
            "deals:complaint_create",
            {
                "account": alice_account.pk,
                "contact": foreign_person.pk,
                "subject": "Late delivery",
                "description": "Two pallets late.",
                "severity": "medium",
            },
            "contact",
            Complaint,
        ),
    ]
    for url_name, data, field, model in cases:
        before = model.objects.count()
        response = client.post(reverse(url_name), data)
        assert response.status_code == 200, url_name
        form = response.context["form"]
        assert form.errors.get(field), (url_name, form.errors)
        assert model.objects.count() == before
        assert form[field].value() == str(data[field])  # the choice is kept, shown back


def test_the_influence_map_relation_form_picks_the_accounts_people(alice_account):
    ContactFactory.create_batch(4, account=alice_account)
    form = ContactRelationForm(account=alice_account)
    for name in ("from_contact", "to_contact"):
        html = str(form[name])
        assert f'data-picker="{reverse("accounts:pick_contacts")}"' in html
        assert f"account={alice_account.pk}" in html
        assert html.count("<option") == 1
