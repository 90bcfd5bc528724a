"""Fixtures for the accounts API tests: a small dossier per account."""

from dataclasses import dataclass

import pytest

from accounts.models import Account, Contact, ContactRelation, DossierNote
from tests.factories import (
    AccountFinancialsFactory,
    CompetitorFactory,
    ContactFactory,
    ContactRelationFactory,
    DossierNoteFactory,
)


@dataclass
class Dossier:
    """One account with a note, two contacts and the relation between them."""

    account: Account
    note: DossierNote
    boss: Contact
    buyer: Contact
    relation: ContactRelation


def dossier_build(account: Account) -> Dossier:
    boss = ContactFactory(account=account, last_name="Boss")
    buyer = ContactFactory(account=account, last_name="Buyer")
    return Dossier(
        account=account,
        note=DossierNoteFactory(account=account),
        boss=boss,
        buyer=buyer,
        relation=ContactRelationFactory(from_contact=buyer, to_contact=boss),
    )


@pytest.fixture
def dossiers(alice_account, bob_account, charlie_account) -> dict[str, Dossier]:
    """Keyed "A", "B", "C" for alice's, bob's and charlie's account, as in the test tables."""
    for account in (alice_account, bob_account, charlie_account):
        account.competitors.add(CompetitorFactory(name="Acme"))
        AccountFinancialsFactory(account=account, year=2024)
    return {
        "A": dossier_build(alice_account),
        "B": dossier_build(bob_account),
        "C": dossier_build(charlie_account),
    }
