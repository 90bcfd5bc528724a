from django.urls import reverse

from accounts.models import Account
from tests.factories import AccountFactory, CompetitorFactory

CREATE = reverse("accounts:create")


def _form(**overrides):
    data = {
        "name": "Delta Logistics",
        "legal_name": "Delta Logistics Sp. z o.o.",
        "tax_id": "PL1234567890",
        "status": "prospect",
        "tier": "B",
        "country": "PL",
        "currency": "PLN",
        "potential_amount": "250000.00",
    }
    data.update(overrides)
    return data


def test_kam_creates_an_account_they_own_in_their_territory(client, alice):
    client.force_login(alice)
    competitor = CompetitorFactory(name="DHL")
    response = client.post(CREATE, _form(competitors=[competitor.pk]))
    account = Account.objects.get(name="Delta Logistics")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[account.pk])
    assert (account.owner, account.territory) == (alice, alice.territory)
    assert list(account.competitors.all()) == [competitor]


def test_kam_form_has_no_owner_or_territory_fields(client, alice):
    client.force_login(alice)
    fields = client.get(CREATE).context["form"].fields
    assert "owner" not in fields and "territory" not in fields


def test_director_creates_an_account_for_a_kam_of_their_territory(client, dora, bob):
    client.force_login(dora)
    client.post(CREATE, _form(owner=bob.pk))
    account = Account.objects.get(name="Delta Logistics")
    assert (account.owner, account.territory) == (bob, dora.territory)


def test_director_cannot_give_an_account_to_a_kam_of_another_territory(client, dora, charlie):
    client.force_login(dora)
    response = client.post(CREATE, _form(owner=charlie.pk))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Account.objects.filter(name="Delta Logistics").exists()


def test_invalid_input_is_shown_next_to_the_fields_and_kept(client, alice):
    client.force_login(alice)
    response = client.post(
        CREATE, _form(name="", share_of_wallet="140", currency="zloty", potential_amount="-5")
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) >= {"name", "share_of_wallet", "currency", "potential_amount"}
    assert 'value="Delta Logistics Sp. z o.o."' in response.content.decode()
    assert not Account.objects.exists()


def test_tax_id_must_be_unique_but_may_be_left_empty(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(CREATE, _form(tax_id=alice_account.tax_id))
    assert "tax_id" in response.context["form"].errors
    client.post(CREATE, _form(name="First without", tax_id=""))
    client.post(CREATE, _form(name="Second without", tax_id="  "))
    assert Account.objects.filter(tax_id__isnull=True).count() == 2


def test_owner_edits_the_profile(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:edit", args=[alice_account.pk]),
        _form(
            name="Alpha Foods Group",
            tax_id=alice_account.tax_id,
            needs="Cold chain.",
            version=alice_account.version,
        ),
    )
    assert response.status_code == 302
    alice_account.refresh_from_db()
    assert (alice_account.name, alice_account.needs) == ("Alpha Foods Group", "Cold chain.")
    assert alice_account.owner == alice


def test_director_reassigns_an_account_to_another_kam(client, dora, bob, alice_account):
    client.force_login(dora)
    response = client.post(
        reverse("accounts:edit", args=[alice_account.pk]),
        _form(
            tax_id=alice_account.tax_id,
            owner=bob.pk,
            territory=dora.territory_id,
            version=alice_account.version,
        ),
    )
    assert response.status_code == 302
    alice_account.refresh_from_db()
    assert alice_account.owner == bob


def test_reassigned_account_leaves_the_old_kams_list(client, dora, alice, bob, alice_account):
    AccountFactory(owner=alice, name="Still Alices")
    client.force_login(dora)
    client.post(
        reverse("accounts:edit", args=[alice_account.pk]),
        _form(
            tax_id=alice_account.tax_id,
            owner=bob.pk,
            territory=dora.territory_id,
            version=alice_account.version,
        ),
    )
    client.force_login(alice)
    names = [a.name for a in client.get(reverse("accounts:list")).context["page"]]
    assert names == ["Still Alices"]
    assert client.get(reverse("accounts:detail", args=[alice_account.pk])).status_code == 404
