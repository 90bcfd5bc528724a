"""model_update (core/services.py): an allow-list, and only what changed is saved."""

from core.services import model_update
from deals.models import Complaint
from tests.deals.factories import ComplaintFactory


def test_keys_outside_the_allow_list_are_not_written(alice, alice_account, bob_account):
    complaint = ComplaintFactory(account=alice_account)
    data = {"subject": "Late delivery", "account": bob_account, "status": "resolved"}

    _, changed = model_update(instance=complaint, fields=["subject"], data=data)

    complaint.refresh_from_db()
    assert changed
    assert (complaint.subject, complaint.account, complaint.status) == (
        "Late delivery",
        alice_account,
        Complaint.Status.OPEN,
    )


def test_nothing_changed_saves_nothing(alice_account, django_assert_num_queries):
    complaint = ComplaintFactory(account=alice_account)
    with django_assert_num_queries(0):
        _, changed = model_update(
            instance=complaint, fields=["subject"], data={"subject": complaint.subject}
        )
    assert not changed


def test_only_the_changed_fields_are_saved(alice_account):
    complaint = ComplaintFactory(account=alice_account)
    Complaint.objects.filter(pk=complaint.pk).update(description="Written meanwhile")

    model_update(instance=complaint, fields=["subject", "description"], data={"subject": "New"})

    complaint.refresh_from_db()
    assert (complaint.subject, complaint.description) == ("New", "Written meanwhile")
