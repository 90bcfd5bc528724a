from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Account, ContactRelation
from activities.models import Activity
from tests.deals.factories import DealFactory
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    ContactRelationFactory,
    TerritoryFactory,
)


def _first_check_misses_the_other_write(model):
    """As if a concurrent request saved its row between our full_clean() and our save()."""
    real = model.full_clean
    checks = iter([lambda self, *args, **kwargs: None])

    def full_clean(self, *args, **kwargs):
        return next(checks, real)(self, *args, **kwargs)

    return mock.patch.object(model, "full_clean", full_clean)


def test_a_tax_id_taken_by_a_concurrent_save_is_a_validation_error(alice, alice_account):
    with (
        _first_check_misses_the_other_write(Account),
        pytest.raises(ValidationError) as error,
    ):
        services.account_create(actor=alice, data={"name": "Twin", "tax_id": alice_account.tax_id})
    assert list(error.value.message_dict) == ["tax_id"]
    assert Account.objects.count() == 1


def test_a_relation_recorded_concurrently_is_a_validation_error(alice, alice_account):
    relation = ContactRelationFactory(from_contact__account=alice_account, kind="influences")
    with (
        _first_check_misses_the_other_write(ContactRelation),
        pytest.raises(ValidationError, match="already recorded"),
    ):
        services.contact_relation_create(
            actor=alice,
            from_contact=relation.from_contact,
            to_contact=relation.to_contact,
            kind="influences",
        )
    assert ContactRelation.objects.count() == 1


def test_an_account_cannot_move_to_a_territory_its_owner_does_not_work_in(dora, alice_account):
    other = TerritoryFactory(name="Mazovia")
    with pytest.raises(ValidationError) as error:
        services.account_update(actor=dora, account=alice_account, data={"territory": other})
    assert error.value.message_dict["owner"] == [
        f"{alice_account.owner} works in North, not in Mazovia."
    ]


def test_a_kam_saving_their_own_owner_unchanged_is_fine(alice, alice_account):
    services.account_update(
        actor=alice, account=alice_account, data={"owner": alice, "name": "Same owner"}
    )
    alice_account.refresh_from_db()
    assert alice_account.name == "Same owner"


@pytest.mark.parametrize("kind", ["allied", "rival"])
def test_a_symmetric_relation_is_not_recorded_twice_the_other_way_round(alice, alice_account, kind):
    relation = ContactRelationFactory(from_contact__account=alice_account, kind=kind)
    with pytest.raises(ValidationError, match="other way round"):
        services.contact_relation_create(
            actor=alice,
            from_contact=relation.to_contact,
            to_contact=relation.from_contact,
            kind=kind,
        )


def test_reporting_lines_cannot_loop(alice, alice_account):
    ceo, cfo, buyer = ContactFactory.create_batch(3, account=alice_account)
    ContactRelationFactory(from_contact=cfo, to_contact=ceo, kind="reports_to")
    ContactRelationFactory(from_contact=buyer, to_contact=cfo, kind="reports_to")
    with pytest.raises(ValidationError) as error:
        services.contact_relation_create(
            actor=alice, from_contact=ceo, to_contact=buyer, kind="reports_to"
        )
    assert list(error.value.message_dict) == ["to_contact"]


def test_the_model_itself_refuses_relations_across_accounts(alice_account, bob_account):
    relation = ContactRelation(
        from_contact=ContactFactory(account=alice_account),
        to_contact=ContactFactory(account=bob_account),
        kind="influences",
    )
    with pytest.raises(ValidationError, match="same account"):
        relation.full_clean()


def test_the_model_itself_refuses_an_owner_who_is_not_a_kam(dora, alice_account):
    alice_account.owner = dora
    with pytest.raises(ValidationError, match="must be a key account manager"):
        alice_account.full_clean()


def test_reassigning_an_account_hands_its_open_work_to_the_new_owner(
    dora, alice, bob, alice_account
):
    open_deal = DealFactory(account=alice_account, stage="negotiation")
    won_deal = DealFactory(account=alice_account, stage="won")
    planned = ActivityFactory(account=alice_account, owner=alice, status="planned")
    done = ActivityFactory(account=alice_account, owner=alice, status="done")
    version = open_deal.version

    services.account_update(actor=dora, account=alice_account, data={"owner": bob})

    open_deal.refresh_from_db()
    won_deal.refresh_from_db()
    assert (open_deal.owner, open_deal.version) == (bob, version + 1)
    assert won_deal.owner == alice
    assert Activity.objects.get(pk=planned.pk).owner == bob
    assert Activity.objects.get(pk=done.pk).owner == alice
    assert open_deal.history.first().owner_id == bob.pk
