import pytest
from django.core.exceptions import ValidationError

from team.models import User


def test_a_kam_who_owns_accounts_cannot_be_moved_to_another_territory(alice, alice_account, south):
    user = User.objects.get(pk=alice.pk)
    user.territory = south
    with pytest.raises(ValidationError, match="reassign them"):
        user.full_clean()


def test_a_kam_without_accounts_moves_freely(bob, south):
    user = User.objects.get(pk=bob.pk)
    user.territory = south
    user.full_clean()
