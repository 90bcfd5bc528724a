"""No lost update: accounts, contacts, contracts, orders and complaints carry a version; a
save made from a version someone has saved since is refused (page: input kept and the current
values shown; API: 409 with `current_version`), and a status move never writes other fields."""

from functools import partial

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Account, Contact
from core.concurrency import EditConflict
from deals import services
from deals.models import Complaint, Contract, Order
from tests.deals.factories import ComplaintFactory, ContractFactory, OrderFactory
from tests.factories import ContactFactory
from tests.races import at_once

TRIES = 8


RECORDS = {
    # name: (make(account), update(actor, record, data, version), a field, two values)
    "account": (
        lambda account: account,
        lambda actor, obj, data, version: account_services.account_update(
            actor=actor, account=obj, data=data, version=version
        ),
        "needs",
    ),
    "contact": (
        lambda account: ContactFactory(account=account),
        lambda actor, obj, data, version: account_services.contact_update(
            actor=actor, contact=obj, data=data, version=version
        ),
        "position",
    ),
    "contract": (
        lambda account: ContractFactory(account=account, status=Contract.Status.DRAFT),
        lambda actor, obj, data, version: services.contract_update(
            actor=actor, contract=obj, data=data, version=version
        ),
        "notes",
    ),
    "order": (
        lambda account: OrderFactory(account=account),
        lambda actor, obj, data, version: services.order_update(
            actor=actor, order=obj, data=data, version=version
        ),
        "note",
    ),
    "complaint": (
        lambda account: ComplaintFactory(account=account),
        lambda actor, obj, data, version: services.complaint_update(
            actor=actor, complaint=obj, data=data, version=version
        ),
        "description",
    ),
}


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


@pytest.mark.parametrize("name", RECORDS)
def test_a_save_from_a_stale_version_is_refused_not_written_over(name, alice, dora, alice_account):
    make, update, field = RECORDS[name]
    obj = make(alice_account)
    first, second = _fresh(obj), _fresh(obj)
    update(dora, first, {field: "Dora's words"}, first.version)
    with pytest.raises(EditConflict) as conflict:
        update(alice, second, {field: "Alice's words"}, second.version)
    assert conflict.value.current_version == second.version + 1
    stored = _fresh(obj)
    assert getattr(stored, field) == "Dora's words"
    assert stored.version == obj.version + 1


@pytest.mark.parametrize("name", RECORDS)
@pytest.mark.django_db(transaction=True)
def test_two_saves_from_one_version_at_once_keep_exactly_one(
    requires_postgres, name, alice, dora, alice_account
):
    make, update, field = RECORDS[name]
    obj = make(alice_account)
    for attempt in range(TRIES):
        version = _fresh(obj).version
        results = at_once(
            partial(update, dora, _fresh(obj), {field: f"Dora {attempt}"}, version),
            partial(update, alice, _fresh(obj), {field: f"Alice {attempt}"}, version),
        )
        refused = [r for r in results if isinstance(r, EditConflict)]
        assert len(refused) == 1, results
        stored = _fresh(obj)
        assert stored.version == version + 1
        assert getattr(stored, field) in (f"Dora {attempt}", f"Alice {attempt}")


# --- Status moves write only the status -----------------------------------------------------


MOVES = {
    "contract": (
        lambda account: ContractFactory(account=account, status=Contract.Status.DRAFT),
        lambda actor, obj: services.contract_move(
            actor=actor, contract=obj, to_status=Contract.Status.ACTIVE
        ),
        "status",
        Contract.Status.ACTIVE,
    ),
    "order": (
        lambda account: OrderFactory(account=account, status=Order.Status.SHIPPED),
        lambda actor, obj: services.order_mark_delivered(actor=actor, order=obj),
        "status",
        Order.Status.DELIVERED,
    ),
    "complaint": (
        lambda account: ComplaintFactory(account=account),
        lambda actor, obj: services.complaint_resolve(
            actor=actor, complaint=obj, resolution="Replaced the batch."
        ),
        "status",
        Complaint.Status.RESOLVED,
    ),
}


@pytest.mark.parametrize("name", MOVES)
def test_a_move_from_a_stale_copy_keeps_an_edit_saved_meanwhile(name, alice, alice_account):
    make, move, status_field, to = MOVES[name]
    _, update, field = RECORDS[name]
    obj = make(alice_account)
    stale = _fresh(obj)
    update(alice, _fresh(obj), {field: "Edited meanwhile"}, obj.version)
    move(alice, stale)
    stored = _fresh(obj)
    assert (getattr(stored, status_field), getattr(stored, field)) == (to, "Edited meanwhile")
    # The caller's copy is the row as saved, and so is the history row (where kept).
    assert getattr(stale, field) == "Edited meanwhile"
    if hasattr(stored, "history"):
        assert getattr(stored.history.first(), field) == "Edited meanwhile"


@pytest.mark.parametrize("name", MOVES)
@pytest.mark.django_db(transaction=True)
def test_a_move_racing_an_edit_keeps_both(requires_postgres, name, alice, alice_account):
    make, move, status_field, to = MOVES[name]
    _, update, field = RECORDS[name]
    for attempt in range(TRIES):
        obj = make(alice_account)
        at_once(
            partial(move, alice, _fresh(obj)),
            partial(update, alice, _fresh(obj), {field: f"Edit {attempt}"}, obj.version),
        )
        stored = _fresh(obj)
        assert getattr(stored, status_field) == to
        assert getattr(stored, field) == f"Edit {attempt}"


# --- Pages: the user's input kept, the current values shown --------------------------------


def test_the_contact_page_shows_the_conflict_and_keeps_the_input(
    client, alice, dora, alice_account
):
    contact = ContactFactory(account=alice_account, position="Buyer")
    url = reverse("accounts:contact_edit", args=[contact.pk])
    form = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "decision_role": contact.decision_role,
        "influence": contact.influence,
        "attitude": contact.attitude,
        "relationship_stage": contact.relationship_stage,
        "version": contact.version,
    }
    client.force_login(dora)
    assert client.post(url, {**form, "position": "Head of purchasing"}).status_code == 302
    client.force_login(alice)

    response = client.post(url, {**form, "position": "Chief buyer"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this contact since you opened it" in page
    assert 'value="Chief buyer"' in page  # the user's input, kept
    assert "Head of purchasing" in page and "differs from yours" in page
    assert Contact.objects.get(pk=contact.pk).position == "Head of purchasing"
    # Saving again, having seen theirs, replaces it knowingly.
    assert response.context["form"]["version"].value() == contact.version + 1
    resend = client.post(url, {**form, "position": "Chief buyer", "version": contact.version + 1})
    assert resend.status_code == 302
    assert Contact.objects.get(pk=contact.pk).position == "Chief buyer"


def test_the_contract_page_shows_the_conflict_and_keeps_the_input(
    client, alice, dora, alice_account
):
    contract = ContractFactory(account=alice_account, status=Contract.Status.DRAFT, notes="")
    url = reverse("deals:contract_edit", args=[contract.pk])
    form = {
        "number": contract.number,
        "signed_on": contract.signed_on.isoformat(),
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "value": "240000.00",
        "currency": contract.currency,
        "payment_terms_days": contract.payment_terms_days,
        "renewal": contract.renewal,
        "version": 1,
    }
    client.force_login(dora)
    assert client.post(url, {**form, "notes": "Dora: index by CPI"}).status_code == 302
    client.force_login(alice)
    response = client.post(url, {**form, "notes": "Alice: fixed prices"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this contract since you opened it" in page
    assert "Alice: fixed prices" in page and "Dora: index by CPI" in page
    assert Contract.objects.get(pk=contract.pk).notes == "Dora: index by CPI"


def test_the_account_page_refuses_a_stale_save(client, alice, dora, alice_account):
    url = reverse("accounts:edit", args=[alice_account.pk])
    form = {
        "name": alice_account.name,
        "tax_id": alice_account.tax_id,
        "status": alice_account.status,
        "tier": alice_account.tier,
        "country": "PL",
        "currency": "PLN",
        "version": alice_account.version,
    }
    client.force_login(dora)
    data = {**form, "owner": alice.pk, "territory": alice.territory_id, "needs": "Cold chain"}
    assert client.post(url, data).status_code == 302
    client.force_login(alice)
    response = client.post(url, {**form, "needs": "Faster deliveries"})
    assert response.status_code == 200
    assert "Someone else changed this account since you opened it" in response.content.decode()
    assert Account.objects.get(pk=alice_account.pk).needs == "Cold chain"


# --- API: 409 with the current version; PATCHes of other fields both kept ------------------


API = {
    "account": ("/api/v1/accounts/{}/", "needs"),
    "contact": ("/api/v1/contacts/{}/", "position"),
    "contract": ("/api/v1/contracts/{}/", "notes"),
    "order": ("/api/v1/orders/{}/", "note"),
    "complaint": ("/api/v1/complaints/{}/", "description"),
}


@pytest.mark.parametrize("name", API)
def test_the_api_answers_409_to_a_stale_version(name, api_as, alice_account):
    make = RECORDS[name][0]
    obj = make(alice_account)
    url, field = API[name]
    client = api_as("alice")
    read = client.get(url.format(obj.pk)).json()
    assert read["version"] == obj.version
    ok = client.patch(
        url.format(obj.pk), {field: "First", "version": read["version"]}, format="json"
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == read["version"] + 1
    stale = client.patch(
        url.format(obj.pk), {field: "Second", "version": read["version"]}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == read["version"] + 1
    assert getattr(_fresh(obj), field) == "First"


@pytest.mark.django_db(transaction=True)
def test_two_api_patches_of_different_fields_at_once_keep_both(
    requires_postgres, alice, alice_account
):
    from rest_framework.test import APIClient

    url = f"/api/v1/accounts/{alice_account.pk}/"

    def patch(data):
        client = APIClient()
        client.force_authenticate(alice)
        response = client.patch(url, data, format="json")
        assert response.status_code == 200, response.content
        return response

    for attempt in range(TRIES):
        at_once(
            partial(patch, {"needs": f"Needs {attempt}"}),
            partial(patch, {"city": f"City {attempt}"}),
        )
        stored = Account.objects.get(pk=alice_account.pk)
        assert (stored.needs, stored.city) == (f"Needs {attempt}", f"City {attempt}")
