"""The benchmark's COPY loader: the rows it promises, valid for every constraint, pages open."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Account, Contact
from activities.models import Activity
from bench import load
from deals.models import OfferLine, OrderLine
from team.models import User

TINY = load.Profile(
    territories=2,
    kams_per_territory=2,
    accounts=40,
    contacts_per_account=3,
    lines=400,
    activities=200,
)


@pytest.fixture
def loaded(requires_postgres, db):
    return load.load(profile=TINY)


def test_the_loader_writes_the_profile(loaded):
    assert (Account.objects.count(), Contact.objects.count()) == (40, 120)
    # About the target: which deals get offers and how many lines a document has are drawn
    # (at this size the draws swing by a tenth; at the large profile's by a few thousandths).
    assert 340 <= OfferLine.objects.count() < 410 and 340 <= OrderLine.objects.count() < 410
    assert Activity.objects.count() == 200
    assert User.objects.filter(role="kam").count() == 4
    assert loaded["offer lines"] == OfferLine.objects.count()


def test_every_foreign_key_it_wrote_points_at_a_row(loaded):
    # COPY ran without the foreign-key triggers; check what they would have.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and model.objects.exists():
                targets = field.related_model.objects.values("pk")
                orphans = model.objects.exclude(**{f"{field.attname}__isnull": True}).exclude(
                    **{f"{field.attname}__in": targets}
                )
                assert not orphans.exists(), f"{model.__name__}.{field.name}"


def test_the_pages_open_and_new_rows_get_fresh_ids(loaded, client):
    client.force_login(User.objects.get(username="director1"))
    for name in ("deals:board", "deals:deal_list", "accounts:list", "activities:list"):
        assert client.get(reverse(name)).status_code == 200, name
    kam = User.objects.filter(role="kam").first()
    account = Account.objects.create(name="New", territory_id=kam.territory_id, owner=kam)
    assert account.pk == 41
