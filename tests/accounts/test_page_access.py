"""Every account page against every role: nothing leaks, nothing outside scope changes.

Personas (tests/conftest.py): alice and bob are KAMs in North under director dora; charlie is
a KAM in South under sam; fiona is finance; adam is admin. The subject is alice's account.
"""

import pytest
from django.urls import reverse

from accounts.models import Account, Contact, ContactRelation, DossierNote
from tests.factories import ContactFactory, ContactRelationFactory, DossierNoteFactory

OUTSIDE, READ_ONLY, READ_WRITE, MANAGE = "outside", "read-only", "read-write", "manage"

# How each persona relates to alice's account.
SCOPE = {
    "alice": READ_WRITE,  # owner KAM
    "bob": OUTSIDE,  # teammate in the same territory
    "charlie": OUTSIDE,  # KAM in another territory
    "dora": MANAGE,  # alice's director
    "sam": OUTSIDE,  # director of another territory
    "fiona": READ_ONLY,  # finance
    "adam": MANAGE,  # admin
}
# Dossier notes are private: finance cannot see them at all.
NOTE_SCOPE = {**SCOPE, "fiona": OUTSIDE}
VIEW_STATUS = {OUTSIDE: 404, READ_ONLY: 200, READ_WRITE: 200, MANAGE: 200}
WRITE_STATUS = {OUTSIDE: 404, READ_ONLY: 403, READ_WRITE: 200, MANAGE: 200}
DELETE_STATUS = {OUTSIDE: 404, READ_ONLY: 403, READ_WRITE: 403, MANAGE: 302}


@pytest.fixture
def dossier(alice_account):
    boss = ContactFactory(account=alice_account, last_name="Boss")
    relation = ContactRelationFactory(from_contact__account=alice_account, to_contact=boss)
    note = DossierNoteFactory(account=alice_account, text="Budget freeze until March.")
    return {"account": alice_account, "contact": boss, "relation": relation, "note": note}


def _login(client, personas, name):
    client.force_login(personas[name])


@pytest.mark.parametrize("name", SCOPE)
def test_account_page_is_visible_only_in_scope(client, personas, dossier, name):
    _login(client, personas, name)
    response = client.get(reverse("accounts:detail", args=[dossier["account"].pk]))
    assert response.status_code == VIEW_STATUS[SCOPE[name]]


@pytest.mark.parametrize("name", SCOPE)
def test_account_list_shows_only_accounts_in_scope(
    client, personas, alice_account, bob_account, charlie_account, name
):
    _login(client, personas, name)
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 200
    shown = {account.name for account in response.context["page"]}
    expected = {
        "alice": {"Alpha Foods"},
        "bob": {"Beta Retail"},
        "charlie": {"Gamma Pharma"},
        "dora": {"Alpha Foods", "Beta Retail"},
        "sam": {"Gamma Pharma"},
        "fiona": {"Alpha Foods", "Beta Retail", "Gamma Pharma"},
        "adam": {"Alpha Foods", "Beta Retail", "Gamma Pharma"},
    }[name]
    assert shown == expected


@pytest.mark.parametrize("name", SCOPE)
def test_account_edit_is_allowed_only_to_those_who_may_change_it(client, personas, dossier, name):
    _login(client, personas, name)
    account = dossier["account"]
    url = reverse("accounts:edit", args=[account.pk])
    assert client.get(url).status_code == WRITE_STATUS[SCOPE[name]]
    response = client.post(
        url,
        {
            "name": "Renamed",
            "status": "active",
            "tier": "A",
            "country": "PL",
            "currency": "PLN",
            "owner": account.owner_id,
            "territory": account.territory_id,
            "version": account.version,
        },
    )
    expected = WRITE_STATUS[SCOPE[name]]
    assert response.status_code == (302 if expected == 200 else expected)
    account.refresh_from_db()
    assert (account.name == "Renamed") == (expected == 200)


@pytest.mark.parametrize("name", SCOPE)
def test_account_delete_is_for_directors_and_admins_only(client, personas, dossier, name):
    _login(client, personas, name)
    account = dossier["account"]
    response = client.post(reverse("accounts:delete", args=[account.pk]))
    assert response.status_code == DELETE_STATUS[SCOPE[name]]
    assert Account.objects.filter(pk=account.pk).exists() == (response.status_code != 302)


@pytest.mark.parametrize("name", SCOPE)
@pytest.mark.parametrize(
    ("url_name", "subject"),
    [
        ("accounts:financials_edit", "account"),
        ("accounts:note_create", "account"),
        ("accounts:note_edit", "note"),
        ("accounts:contact_create", "account"),
        ("accounts:contact_edit", "contact"),
        ("accounts:relation_create", "account"),
    ],
)
def test_dossier_forms_open_only_for_those_who_may_change_the_account(
    client, personas, dossier, name, url_name, subject
):
    _login(client, personas, name)
    response = client.get(reverse(url_name, args=[dossier[subject].pk]))
    scope = NOTE_SCOPE if subject == "note" else SCOPE
    assert response.status_code == WRITE_STATUS[scope[name]]


@pytest.mark.parametrize("name", SCOPE)
@pytest.mark.parametrize(
    ("url_name", "subject", "model"),
    [
        ("accounts:note_delete", "note", DossierNote),
        ("accounts:contact_delete", "contact", Contact),
        ("accounts:relation_delete", "relation", ContactRelation),
    ],
)
def test_dossier_entries_are_deleted_only_by_those_who_may_change_the_account(
    client, personas, dossier, name, url_name, subject, model
):
    _login(client, personas, name)
    obj = dossier[subject]
    response = client.post(reverse(url_name, args=[obj.pk]))
    expected = WRITE_STATUS[(NOTE_SCOPE if subject == "note" else SCOPE)[name]]
    assert response.status_code == (302 if expected == 200 else expected)
    assert model.objects.filter(pk=obj.pk).exists() == (expected != 200)


@pytest.mark.parametrize("name", SCOPE)
def test_note_and_contact_posts_outside_scope_change_nothing(client, personas, dossier, name):
    _login(client, personas, name)
    account = dossier["account"]
    client.post(
        reverse("accounts:note_create", args=[account.pk]),
        {"noted_on": "2026-11-20", "source": "call", "text": "Posted by " + name},
    )
    client.post(
        reverse("accounts:contact_edit", args=[dossier["contact"].pk]),
        {
            "first_name": "Hacked",
            "last_name": "X",
            "decision_role": "user",
            "influence": 1,
            "attitude": "neutral",
            "relationship_stage": "unknown",
            "version": dossier["contact"].version,
        },
    )
    may_write = WRITE_STATUS[SCOPE[name]] == 200
    assert DossierNote.objects.filter(text="Posted by " + name).exists() == may_write
    dossier["contact"].refresh_from_db()
    assert (dossier["contact"].first_name == "Hacked") == may_write


def test_finance_sees_the_account_without_private_notes(client, fiona, dossier):
    dossier["contact"].personal_notes = "Daughter starts university in Krakow."
    dossier["contact"].save()
    client.force_login(fiona)
    response = client.get(reverse("accounts:detail", args=[dossier["account"].pk]))
    page = response.content.decode()
    assert dossier["contact"].last_name in page
    assert "Budget freeze until March." not in page
    assert "Daughter starts university" not in page
    assert "Edit" not in page


@pytest.mark.parametrize("name", ["charlie", "fiona"])
def test_those_who_cannot_create_accounts_get_403_or_see_no_button(client, personas, name):
    _login(client, personas, name)
    response = client.get(reverse("accounts:create"))
    assert response.status_code == (200 if name == "charlie" else 403)


@pytest.mark.parametrize("method", ["get", "put", "patch"])
@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:delete",
        "accounts:note_delete",
        "accounts:contact_delete",
        "accounts:relation_delete",
    ],
)
def test_delete_urls_accept_only_post(client, alice, dossier, method, url_name):
    client.force_login(alice)
    pk = {
        "accounts:delete": dossier["account"].pk,
        "accounts:note_delete": dossier["note"].pk,
        "accounts:contact_delete": dossier["contact"].pk,
        "accounts:relation_delete": dossier["relation"].pk,
    }[url_name]
    assert getattr(client, method)(reverse(url_name, args=[pk])).status_code == 405
