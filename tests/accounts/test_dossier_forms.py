from decimal import Decimal

from django.urls import reverse

from accounts.models import Contact, ContactRelation, DossierNote
from tests.factories import ContactFactory, ContactRelationFactory, DossierNoteFactory

CONTACT = {
    "first_name": "Katarzyna",
    "last_name": "Wiśniewska",
    "position": "Head of Purchasing",
    "email": "k.wisniewska@example.pl",
    "decision_role": "decision_maker",
    "influence": "5",
    "attitude": "supporter",
    "relationship_stage": "acquainted",
    "is_vip": "on",
    "birthday": "1980-04-12",
}


def test_kam_adds_a_dated_note_with_its_source(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:note_create", args=[alice_account.pk]),
        {"noted_on": "2026-11-20", "source": "public_info", "text": "Opened a plant in Gdańsk."},
    )
    assert response.status_code == 302
    note = DossierNote.objects.get()
    assert (note.account, note.author, note.source) == (alice_account, alice, "public_info")


def test_note_without_text_is_refused_and_the_date_kept(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:note_create", args=[alice_account.pk]),
        {"noted_on": "2026-11-20", "source": "call", "text": ""},
    )
    assert "text" in response.context["form"].errors
    assert 'value="2026-11-20"' in response.content.decode()
    assert not DossierNote.objects.exists()


def test_note_edit_keeps_the_original_author(client, dora, alice_account):
    note = DossierNoteFactory(account=alice_account, text="Old")
    client.force_login(dora)
    client.post(
        reverse("accounts:note_edit", args=[note.pk]),
        {"noted_on": "2026-01-05", "source": "meeting", "text": "Corrected"},
    )
    note.refresh_from_db()
    assert (note.text, note.author) == ("Corrected", alice_account.owner)


def test_kam_adds_a_contact(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(reverse("accounts:contact_create", args=[alice_account.pk]), CONTACT)
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.account, contact.influence, contact.is_vip) == (alice_account, 5, True)


def test_contact_influence_outside_1_to_5_is_refused_and_input_kept(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:contact_create", args=[alice_account.pk]),
        {**CONTACT, "influence": "9", "email": "not-an-email"},
    )
    assert set(response.context["form"].errors) == {"influence", "email"}
    assert "Wiśniewska" in response.content.decode()
    assert not Contact.objects.exists()


def test_relation_links_two_people_of_the_account(client, alice, alice_account):
    a, b = ContactFactory.create_batch(2, account=alice_account)
    client.force_login(alice)
    response = client.post(
        reverse("accounts:relation_create", args=[alice_account.pk]),
        {"from_contact": a.pk, "kind": "influences", "to_contact": b.pk},
    )
    assert response.status_code == 302
    assert ContactRelation.objects.filter(from_contact=a, to_contact=b, kind="influences").exists()


def test_relation_form_offers_only_people_of_this_account(
    client, alice, alice_account, bob_account
):
    mine = ContactFactory(account=alice_account)
    theirs = ContactFactory(account=bob_account)
    client.force_login(alice)
    response = client.post(
        reverse("accounts:relation_create", args=[alice_account.pk]),
        {"from_contact": mine.pk, "kind": "allied", "to_contact": theirs.pk},
    )
    assert "to_contact" in response.context["form"].errors
    assert not ContactRelation.objects.exists()


def test_self_and_duplicate_relations_are_refused_with_a_message(client, alice, alice_account):
    relation = ContactRelationFactory(from_contact__account=alice_account)
    client.force_login(alice)
    url = reverse("accounts:relation_create", args=[alice_account.pk])
    same = client.post(
        url,
        {
            "from_contact": relation.from_contact_id,
            "kind": "rival",
            "to_contact": relation.from_contact_id,
        },
    )
    assert "cannot be related to themselves" in same.content.decode()
    duplicate = client.post(
        url,
        {
            "from_contact": relation.from_contact_id,
            "kind": relation.kind,
            "to_contact": relation.to_contact_id,
        },
    )
    assert "already recorded" in duplicate.content.decode()
    assert ContactRelation.objects.count() == 1


def test_deleting_a_contact_removes_their_relations(client, alice, alice_account):
    relation = ContactRelationFactory(from_contact__account=alice_account)
    client.force_login(alice)
    client.post(reverse("accounts:contact_delete", args=[relation.to_contact_id]))
    assert not ContactRelation.objects.exists()
    assert Contact.objects.count() == 1


def test_kam_records_a_year_of_indicators_and_a_second_entry_replaces_it(
    client, alice, alice_account
):
    client.force_login(alice)
    url = reverse("accounts:financials_edit", args=[alice_account.pk])
    client.post(url, {"year": 2025, "revenue": "1000000", "employees": 40, "currency": "PLN"})
    response = client.post(
        url, {"year": 2025, "revenue": "1250000.50", "employees": 42, "currency": "PLN"}
    )
    assert response.status_code == 302
    row = alice_account.financials.get()
    assert (row.year, row.revenue, row.employees) == (2025, Decimal("1250000.50"), 42)


def test_indicators_with_a_wrong_year_are_refused_and_kept(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:financials_edit", args=[alice_account.pk]),
        {"year": 1200, "revenue": "abc", "currency": "PLN"},
    )
    assert set(response.context["form"].errors) == {"year", "revenue"}
    assert not alice_account.financials.exists()
