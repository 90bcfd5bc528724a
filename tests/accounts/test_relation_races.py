"""The influence map's rules hold when two relations are written at the same instant: no
reporting cycle (X reports to Y while Y reports to X) and no symmetric tie recorded both ways
(the account's row is locked while a relation is checked and written)."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import ContactRelation
from tests.factories import ContactFactory
from tests.races import at_once

TRIES = 8

pytestmark = pytest.mark.django_db(transaction=True)


def _relate(actor, a, b, kind):
    return partial(
        services.contact_relation_create, actor=actor, from_contact=a, to_contact=b, kind=kind
    )


@pytest.mark.parametrize(
    "kind",
    [ContactRelation.Kind.REPORTS_TO, ContactRelation.Kind.ALLIED, ContactRelation.Kind.RIVAL],
)
def test_a_relation_and_its_mirror_at_once_keep_one(requires_postgres, alice, alice_account, kind):
    for _ in range(TRIES):
        x, y = ContactFactory(account=alice_account), ContactFactory(account=alice_account)
        results = at_once(_relate(alice, x, y, kind), _relate(alice, y, x, kind))
        assert sum(isinstance(r, ValidationError) for r in results) == 1, results
        between = ContactRelation.objects.filter(
            from_contact__in=[x, y], to_contact__in=[x, y], kind=kind
        )
        assert between.count() == 1


def test_a_three_person_cycle_closed_from_two_sides_at_once(
    requires_postgres, alice, alice_account
):
    for _ in range(TRIES):
        x, y, z = (ContactFactory(account=alice_account) for _ in range(3))
        services.contact_relation_create(
            actor=alice, from_contact=x, to_contact=y, kind=ContactRelation.Kind.REPORTS_TO
        )
        # y -> z and z -> x each are fine alone; together they close x -> y -> z -> x.
        results = at_once(
            _relate(alice, y, z, ContactRelation.Kind.REPORTS_TO),
            _relate(alice, z, x, ContactRelation.Kind.REPORTS_TO),
        )
        assert sum(isinstance(r, ValidationError) for r in results) == 1, results
