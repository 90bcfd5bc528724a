from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Account, ContactRelation
from tests.factories import ContactRelationFactory, TerritoryFactory


def test_a_tax_id_taken_by_a_concurrent_save_is_a_validation_error(alice, alice_account):
    # full_clean() ran before the other save committed: the database constraint decides.
    with (
        mock.patch.object(Account, "full_clean"),
        pytest.raises(ValidationError) as error,
    ):
        services.account_create(actor=alice, data={"name": "Twin", "tax_id": alice_account.tax_id})
    assert error.value.message_dict == {"tax_id": ["Another account already has this tax ID."]}
    assert Account.objects.count() == 1


def test_a_relation_recorded_concurrently_is_a_validation_error(alice, alice_account):
    relation = ContactRelationFactory(from_contact__account=alice_account, kind="influences")
    with (
        mock.patch.object(ContactRelation, "full_clean"),
        pytest.raises(ValidationError, match="already recorded"),
    ):
        services.contact_relation_create(
            actor=alice,
            from_contact=relation.from_contact,
            to_contact=relation.to_contact,
            kind="influences",
        )
    assert ContactRelation.objects.count() == 1


def test_moving_an_account_to_another_territory_is_reported_on_the_territory(dora, alice_account):
    other = TerritoryFactory()
    with pytest.raises(ValidationError) as error:
        services.account_update(actor=dora, account=alice_account, data={"territory": other})
    assert set(error.value.message_dict) == {"territory"}


def test_a_kam_saving_their_own_owner_unchanged_is_fine(alice, alice_account):
    services.account_update(
        actor=alice, account=alice_account, data={"owner": alice, "name": "Same owner"}
    )
    alice_account.refresh_from_db()
    assert alice_account.name == "Same owner"
