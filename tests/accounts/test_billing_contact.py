"""The account's billing contact: one of its own contacts, shown on the account page, chosen
on the account form (the nightly dunning run e-mails its letters to them)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import AccountForm
from accounts.services import account_update
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_a_contact_of_another_account_is_refused_naming_the_field(
    alice, alice_account, bob_account
):
    stranger = ContactFactory(account=bob_account)

    with pytest.raises(ValidationError) as error:
        account_update(actor=alice, account=alice_account, data={"billing_contact": stranger})

    assert "billing_contact" in error.value.message_dict
    alice_account.refresh_from_db()
    assert alice_account.billing_contact is None


def test_the_form_offers_only_the_accounts_own_contacts(alice, alice_account, bob_account):
    own = ContactFactory(account=alice_account)
    ContactFactory(account=bob_account)

    form = AccountForm(instance=alice_account, user=alice)

    assert list(form.fields["billing_contact"].queryset) == [own]
    assert "billing_contact" not in AccountForm(user=alice).fields  # a new account has none


def test_the_account_page_shows_the_billing_contact_or_that_letters_wait(
    client, alice, alice_account
):
    client.force_login(alice)
    assert (
        "none: dunning letters wait for finance"
        in client.get(f"/accounts/{alice_account.pk}/").content.decode()
    )

    contact = ContactFactory(account=alice_account, first_name="Ewa", email="ewa@alpha.example")
    account_update(actor=alice, account=alice_account, data={"billing_contact": contact})

    page = client.get(f"/accounts/{alice_account.pk}/").content.decode()
    assert f"{contact.full_name} · ewa@alpha.example" in page
