"""The scoped querysets every account-scoped model shares (core/access.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Account, DossierNote
from activities.models import Activity
from deals.models import Offer
from tests.deals.factories import OfferFactory
from tests.factories import ActivityFactory, DossierNoteFactory


def test_a_kam_sees_only_the_offers_on_their_own_accounts(alice, bob_account, alice_account):
    mine = OfferFactory(deal__account=alice_account)
    OfferFactory(deal__account=bob_account)
    assert list(Offer.objects.visible_to(alice)) == [mine]


@pytest.mark.parametrize("pk", ["abc", None, 2**70, "1; DROP", 99999])
def test_a_bad_or_unknown_id_is_a_404_not_a_500(alice, pk):
    with pytest.raises(Http404):
        Account.objects.get_for_user(alice, pk)


def test_outside_scope_is_a_404_even_with_write(alice, bob_account):
    with pytest.raises(Http404):
        Account.objects.get_for_user(alice, bob_account.pk, write=True)


def test_finance_reads_a_deep_record_but_may_not_change_it(fiona, alice_account):
    offer = OfferFactory(deal__account=alice_account)
    assert Offer.objects.get_for_user(fiona, offer.pk) == offer
    with pytest.raises(PermissionDenied):
        Offer.objects.get_for_user(fiona, offer.pk, write=True)


def test_a_director_changes_their_territorys_records(dora, alice_account):
    offer = OfferFactory(deal__account=alice_account)
    assert Offer.objects.get_for_user(dora, offer.pk, write=True) == offer
    assert Offer.objects.editable_by(dora).filter(pk=offer.pk).exists()


def test_get_for_user_reads_the_row_and_its_account_in_one_query(
    alice, alice_account, django_assert_num_queries
):
    offer = OfferFactory(deal__account=alice_account)
    with django_assert_num_queries(1):
        Offer.objects.get_for_user(alice, offer.pk, write=True)


def test_dossier_notes_stay_private_to_sales(fiona, alice, alice_account):
    note = DossierNoteFactory(account=alice_account, author=alice)
    assert not DossierNote.objects.visible_to(fiona).exists()
    with pytest.raises(Http404):
        DossierNote.objects.get_for_user(fiona, note.pk)


def test_a_kam_sees_a_task_assigned_to_them_on_another_account_but_not_its_peers(
    alice, bob, bob_account
):
    assigned = ActivityFactory(account=bob_account, owner=alice)
    ActivityFactory(account=bob_account, owner=bob)
    assert list(Activity.objects.visible_to(alice)) == [assigned]
    assert Activity.objects.get_for_user(alice, assigned.pk, write=True) == assigned
