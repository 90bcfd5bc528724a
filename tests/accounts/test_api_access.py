"""Who may do what through the accounts API: the role matrix, written as tables.

Records live under three accounts: A = alice's and B = bob's (North, director dora) and
C = charlie's (South, director sam). fiona is finance, adam the admin. Each account has a
dossier note, two contacts and one relation between them (see `dossiers` in conftest).

A record outside your scope is a 404; one you may see but not change is a 403 on writes.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Account, Contact, ContactRelation, DossierNote
from tests.accounts.conftest import Dossier
from tests.factories import AccountFactory, DossierNoteFactory

PERSONAS = ["alice", "bob", "charlie", "dora", "sam", "fiona", "adam"]
ENDPOINTS = ["accounts", "dossier-notes", "contacts", "contact-relations"]


@dataclass(frozen=True)
class Endpoint:
    """How to reach, change and create one kind of record through the API."""

    model: type[Model]
    record: Callable[[Dossier], Model]
    changed_field: str  # what PATCH and PUT rename, to tell a write that happened
    put: Callable[[Dossier], dict]
    create: Callable[[Dossier], dict]  # a new record under (or, for accounts, owned as) this one
    scope_field: str  # the input field that points into someone's scope

    def url(self, name: str, pk: int | None = None) -> str:
        return f"/api/v1/{name}/" if pk is None else f"/api/v1/{name}/{pk}/"


SPEC = {
    "accounts": Endpoint(
        model=Account,
        record=lambda d: d.account,
        changed_field="name",
        put=lambda d: {
            "name": "Renamed",
            "tax_id": d.account.tax_id,
            "territory": d.account.territory_id,
            "owner": d.account.owner_id,
            "status": d.account.status,
            "tier": d.account.tier,
            "currency": d.account.currency,
            "competitors": ["Acme"],
        },
        create=lambda d: {"name": "New client", "owner": d.account.owner_id},
        scope_field="owner",
    ),
    "dossier-notes": Endpoint(
        model=DossierNote,
        record=lambda d: d.note,
        changed_field="text",
        put=lambda d: {
            "account": d.account.pk,
            "noted_on": "2026-01-15",
            "source": "call",
            "text": "Renamed",
        },
        create=lambda d: {"account": d.account.pk, "noted_on": "2026-01-15", "text": "Heard"},
        scope_field="account",
    ),
    "contacts": Endpoint(
        model=Contact,
        record=lambda d: d.boss,
        changed_field="last_name",
        put=lambda d: {"account": d.account.pk, "first_name": "Ann", "last_name": "Renamed"},
        create=lambda d: {"account": d.account.pk, "first_name": "New", "last_name": "Person"},
        scope_field="account",
    ),
    "contact-relations": Endpoint(
        model=ContactRelation,
        record=lambda d: d.relation,
        changed_field="note",
        put=lambda d: {
            "from_contact": d.buyer.pk,
            "to_contact": d.boss.pk,
            "kind": "influences",
            "note": "Renamed",
        },
        create=lambda d: {"from_contact": d.boss.pk, "to_contact": d.buyer.pk, "kind": "allied"},
        scope_field="from_contact",
    ),
}

# The tables are aligned by hand; the formatter would undo it.
# fmt: off

# --- What each persona finds in each list: the accounts whose records are listed. ---------
#              accounts  dossier-notes  contacts  contact-relations
LISTED = {
    "alice":   ("A",     "A",           "A",      "A"),
    "bob":     ("B",     "B",           "B",      "B"),
    "charlie": ("C",     "C",           "C",      "C"),
    "dora":    ("AB",    "AB",          "AB",     "AB"),
    "sam":     ("C",     "C",           "C",      "C"),
    "fiona":   ("ABC",   "",            "ABC",    "ABC"),
    "adam":    ("ABC",   "ABC",         "ABC",    "ABC"),
}

# --- Status of GET, PATCH, PUT and DELETE on one record. ---------------------------------
ACTIONS = ["retrieve", "patch", "put", "delete"]
#                  GET  PATCH  PUT  DELETE
EDITS =           (200, 200,   200, 204)
EDITS_NO_DELETE = (200, 200,   200, 403)  # a KAM marks a client lost, never deletes it
READS =           (200, 403,   403, 403)
HIDDEN =          (404, 404,   404, 404)
LOGGED_OUT =      (401, 401,   401, 401)
# A relation is never changed in place (delete it and create another): PATCH and PUT are 405.
REL_EDITS =       (200, 405,   405, 204)
REL_READS =       (200, 405,   405, 403)
REL_HIDDEN =      (404, 405,   405, 404)

DETAIL = {
    #               record under A    under B           under C
    "accounts": {
        "alice":     (EDITS_NO_DELETE, HIDDEN,          HIDDEN),
        "bob":       (HIDDEN,          EDITS_NO_DELETE, HIDDEN),
        "charlie":   (HIDDEN,          HIDDEN,          EDITS_NO_DELETE),
        "dora":      (EDITS,           EDITS,           HIDDEN),
        "sam":       (HIDDEN,          HIDDEN,          EDITS),
        "fiona":     (READS,           READS,           READS),
        "adam":      (EDITS,           EDITS,           EDITS),
        "anonymous": (LOGGED_OUT,      LOGGED_OUT,      LOGGED_OUT),
    },
    "dossier-notes": {
        "alice":     (EDITS,           HIDDEN,          HIDDEN),
        "bob":       (HIDDEN,          EDITS,           HIDDEN),
        "charlie":   (HIDDEN,          HIDDEN,          EDITS),
        "dora":      (EDITS,           EDITS,           HIDDEN),
        "sam":       (HIDDEN,          HIDDEN,          EDITS),
        "fiona":     (HIDDEN,          HIDDEN,          HIDDEN),  # private: not for finance
        "adam":      (EDITS,           EDITS,           EDITS),
        "anonymous": (LOGGED_OUT,      LOGGED_OUT,      LOGGED_OUT),
    },
    "contacts": {
        "alice":     (EDITS,           HIDDEN,          HIDDEN),
        "bob":       (HIDDEN,          EDITS,           HIDDEN),
        "charlie":   (HIDDEN,          HIDDEN,          EDITS),
        "dora":      (EDITS,           EDITS,           HIDDEN),
        "sam":       (HIDDEN,          HIDDEN,          EDITS),
        "fiona":     (READS,           READS,           READS),
        "adam":      (EDITS,           EDITS,           EDITS),
        "anonymous": (LOGGED_OUT,      LOGGED_OUT,      LOGGED_OUT),
    },
    "contact-relations": {
        "alice":     (REL_EDITS,       REL_HIDDEN,      REL_HIDDEN),
        "bob":       (REL_HIDDEN,      REL_EDITS,       REL_HIDDEN),
        "charlie":   (REL_HIDDEN,      REL_HIDDEN,      REL_EDITS),
        "dora":      (REL_EDITS,       REL_EDITS,       REL_HIDDEN),
        "sam":       (REL_HIDDEN,      REL_HIDDEN,      REL_EDITS),
        "fiona":     (REL_READS,       REL_READS,       REL_READS),
        "adam":      (REL_EDITS,       REL_EDITS,       REL_EDITS),
        "anonymous": (LOGGED_OUT,      LOGGED_OUT,      LOGGED_OUT),
    },
}

# --- Status of creating a record under A, B or C (the same for all four endpoints). -------
# For accounts, "under A" means "owned by A's KAM". Outside scope is a 400 on the field that
# points there (as for an unknown id); in scope but read-only (finance) is a 403.
#                under A  under B  under C
CREATE = {
    "alice":     (201,    400,     400),
    "bob":       (400,    201,     400),
    "charlie":   (400,    400,     201),
    "dora":      (201,    201,     400),
    "sam":       (400,    400,     201),
    "fiona":     (403,    403,     403),
    "adam":      (201,    201,     201),
    "anonymous": (401,    401,     401),
}

# fmt: on

TARGETS = ["A", "B", "C"]


def snapshot(model: type[Model], pk: int) -> dict | None:
    return model.objects.filter(pk=pk).values().first()


def listed_ids(endpoint: str, dossiers: dict[str, Dossier], keys: str) -> set[int]:
    spec = SPEC[endpoint]
    ids = {spec.record(dossiers[key]).pk for key in keys}
    if endpoint == "contacts":
        ids |= {dossiers[key].buyer.pk for key in keys}
    return ids


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_shows_exactly_the_records_in_the_personas_scope(api_as, dossiers, persona, endpoint):
    response = api_as(persona).get(SPEC[endpoint].url(endpoint))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    expected = listed_ids(endpoint, dossiers, LISTED[persona][ENDPOINTS.index(endpoint)])
    assert {row["id"] for row in body["results"]} == expected
    assert body["count"] == len(expected)


def _detail_request(client: APIClient, endpoint: str, dossier: Dossier, action: str):
    spec = SPEC[endpoint]
    url = spec.url(endpoint, spec.record(dossier).pk)
    if action == "retrieve":
        return client.get(url)
    if action == "patch":
        return client.patch(url, {spec.changed_field: "Renamed"}, format="json")
    if action == "put":
        return client.put(url, spec.put(dossier), format="json")
    return client.delete(url)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_detail_action_answers_as_the_table_says_and_refused_writes_change_nothing(
    api_as, dossiers, persona, endpoint, target, action
):
    spec = SPEC[endpoint]
    record = spec.record(dossiers[target])
    before = snapshot(spec.model, record.pk)
    expected = DETAIL[endpoint][persona][TARGETS.index(target)][ACTIONS.index(action)]

    response = _detail_request(api_as(persona), endpoint, dossiers[target], action)

    assert response.status_code == expected, response.content
    after = snapshot(spec.model, record.pk)
    if expected == 200 and action == "retrieve":
        assert response.json()["id"] == record.pk
    elif expected == 200:
        assert after[spec.changed_field] == "Renamed"
        assert response.json()[spec.changed_field] == "Renamed"
    elif expected == 204:
        assert after is None
    else:
        assert after == before
    if expected == 404:
        assert response.json() == {"detail": f"No such {spec.model._meta.verbose_name}."}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_create_answers_as_the_table_says_and_refused_creates_add_nothing(
    api_as, dossiers, persona, endpoint, target
):
    spec = SPEC[endpoint]
    count_before = spec.model.objects.count()
    expected = CREATE[persona][TARGETS.index(target)]

    response = api_as(persona).post(
        spec.url(endpoint), spec.create(dossiers[target]), format="json"
    )

    assert response.status_code == expected, response.content
    if expected == 201:
        assert spec.model.objects.count() == count_before + 1
        assert spec.model.objects.filter(pk=response.json()["id"]).exists()
    else:
        assert spec.model.objects.count() == count_before
    if expected == 400:
        assert set(response.json()) >= {spec.scope_field}


def test_kam_creating_an_account_owns_it_in_their_territory(api_as, alice):
    response = api_as("alice").post("/api/v1/accounts/", {"name": "Delta"}, format="json")

    assert response.status_code == 201
    account = Account.objects.get(pk=response.json()["id"])
    assert account.owner == alice
    assert account.territory == alice.territory
    assert response.json()["owner"] == alice.pk


def test_director_creating_an_account_must_name_its_owner(api_as, dora):
    response = api_as("dora").post("/api/v1/accounts/", {"name": "Delta"}, format="json")

    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Account.objects.exists()


def test_director_reassigns_an_account_to_another_kam_of_the_territory(api_as, alice_account, bob):
    response = api_as("dora").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"owner": bob.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["owner"] == bob.pk
    alice_account.refresh_from_db()
    assert alice_account.owner == bob


def test_director_cannot_reassign_an_account_to_a_kam_of_another_territory(
    api_as, alice_account, charlie
):
    before = snapshot(Account, alice_account.pk)

    response = api_as("dora").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"owner": charlie.pk}, format="json"
    )

    assert response.status_code == 400
    assert "owner" in response.json()
    assert snapshot(Account, alice_account.pk) == before


def test_director_cannot_move_an_account_to_another_territory(api_as, alice_account, south):
    before = snapshot(Account, alice_account.pk)

    response = api_as("dora").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"territory": south.pk}, format="json"
    )

    assert response.status_code == 400
    assert snapshot(Account, alice_account.pk) == before


def test_admin_moves_an_account_to_another_territory_with_a_kam_from_there(
    api_as, alice_account, charlie, south
):
    response = api_as("adam").patch(
        f"/api/v1/accounts/{alice_account.pk}/",
        {"owner": charlie.pk, "territory": south.pk},
        format="json",
    )

    assert response.status_code == 200
    alice_account.refresh_from_db()
    assert (alice_account.owner, alice_account.territory) == (charlie, south)


def test_kam_cannot_reassign_their_account_to_a_teammate(api_as, alice_account, bob):
    before = snapshot(Account, alice_account.pk)

    response = api_as("alice").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"owner": bob.pk}, format="json"
    )

    assert response.status_code == 400
    assert "owner" in response.json()
    assert snapshot(Account, alice_account.pk) == before


def test_kam_cannot_move_their_account_to_another_territory(api_as, alice_account, south):
    before = snapshot(Account, alice_account.pk)

    response = api_as("alice").patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"territory": south.pk}, format="json"
    )

    assert response.status_code == 400
    assert "territory" in response.json()
    assert snapshot(Account, alice_account.pk) == before


def test_kam_may_resend_their_own_owner_territory_and_tier_unchanged(api_as, alice_account):
    response = api_as("alice").patch(
        f"/api/v1/accounts/{alice_account.pk}/",
        {
            "owner": alice_account.owner_id,
            "territory": alice_account.territory_id,
            "tier": alice_account.tier,
            "name": "Alpha Foods SA",
        },
        format="json",
    )

    assert response.status_code == 200
    alice_account.refresh_from_db()
    assert alice_account.name == "Alpha Foods SA"


@pytest.mark.parametrize("endpoint", ["dossier-notes", "contacts"])
def test_creating_under_an_account_outside_scope_answers_like_an_unknown_account(
    api_as, dossiers, endpoint
):
    client = api_as("alice")
    hidden = SPEC[endpoint].create(dossiers["B"])
    unknown = {**hidden, "account": 999_999}

    outside = client.post(SPEC[endpoint].url(endpoint), hidden, format="json")
    missing = client.post(SPEC[endpoint].url(endpoint), unknown, format="json")

    assert outside.status_code == missing.status_code == 400
    assert set(outside.json()) == set(missing.json()) == {"account"}
    hidden_id = str(dossiers["B"].account.pk)
    assert outside.json()["account"] == [
        message.replace("999999", hidden_id) for message in missing.json()["account"]
    ]


def test_relating_contacts_outside_scope_answers_like_unknown_contacts(api_as, dossiers):
    client = api_as("alice")
    hidden = dossiers["B"].boss.pk
    mine = dossiers["A"].boss.pk

    outside = client.post(
        "/api/v1/contact-relations/",
        {"from_contact": mine, "to_contact": hidden, "kind": "allied"},
        format="json",
    )
    missing = client.post(
        "/api/v1/contact-relations/",
        {"from_contact": mine, "to_contact": 999_999, "kind": "allied"},
        format="json",
    )

    assert outside.status_code == missing.status_code == 400
    assert outside.json()["to_contact"] == [
        message.replace("999999", str(hidden)) for message in missing.json()["to_contact"]
    ]


@pytest.mark.parametrize("endpoint", ["dossier-notes", "contacts"])
def test_a_record_cannot_move_to_another_account(api_as, dossiers, endpoint):
    spec = SPEC[endpoint]
    record = spec.record(dossiers["A"])
    before = snapshot(spec.model, record.pk)

    response = api_as("dora").patch(
        spec.url(endpoint, record.pk), {"account": dossiers["B"].account.pk}, format="json"
    )

    assert response.status_code == 400
    assert "account" in response.json()
    assert snapshot(spec.model, record.pk) == before


def test_note_created_through_the_api_is_authored_by_the_caller(api_as, dossiers, dora):
    response = api_as("dora").post(
        "/api/v1/dossier-notes/", SPEC["dossier-notes"].create(dossiers["A"]), format="json"
    )

    assert response.status_code == 201
    assert DossierNote.objects.get(pk=response.json()["id"]).author == dora
    assert response.json()["author"] == dora.pk


def test_finance_gets_contacts_without_personal_notes(api_as, dossiers):
    client = api_as("fiona")

    listed = client.get("/api/v1/contacts/").json()["results"]
    one = client.get(f"/api/v1/contacts/{dossiers['A'].boss.pk}/").json()

    assert listed
    assert all("personal_notes" not in row for row in listed)
    assert "personal_notes" not in one


def test_kam_gets_their_contacts_with_personal_notes(api_as, dossiers):
    one = api_as("alice").get(f"/api/v1/contacts/{dossiers['A'].boss.pk}/").json()

    assert one["personal_notes"] == "Likes sailing."


def test_finance_finds_no_notes_even_when_filtering_by_account(api_as, dossiers):
    response = api_as("fiona").get("/api/v1/dossier-notes/", {"account": dossiers["A"].account.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("endpoint", ["dossier-notes", "contacts", "contact-relations"])
def test_filtering_by_an_account_outside_scope_lists_nothing(api_as, dossiers, endpoint):
    response = api_as("alice").get(
        SPEC[endpoint].url(endpoint), {"account": dossiers["B"].account.pk}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_filtering_accounts_by_an_owner_outside_scope_answers_like_an_unknown_owner(
    api_as, dossiers, charlie
):
    # A director has the owner filter (a KAM does not: it would not narrow their list).
    client = api_as("dora")

    outside = client.get("/api/v1/accounts/", {"owner": charlie.pk})
    missing = client.get("/api/v1/accounts/", {"owner": 999_999})

    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()


def test_kam_filtering_by_another_owner_still_sees_only_their_accounts(api_as, dossiers, bob):
    response = api_as("alice").get("/api/v1/accounts/", {"owner": bob.pk})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [dossiers["A"].account.pk]


def test_lists_are_paginated_with_links_to_the_next_page(api_as, alice):
    AccountFactory.create_batch(51, owner=alice)

    first = api_as("alice").get("/api/v1/accounts/").json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/accounts/?page=2")


def test_token_authentication_reads_and_writes_without_csrf(alice, alice_account):
    token = Token.objects.create(user=alice)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    listed = client.get("/api/v1/accounts/")
    created = client.post("/api/v1/accounts/", {"name": "Delta"}, format="json")

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [alice_account.pk]
    assert created.status_code == 201


def test_an_unknown_token_is_refused(alice_account):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/v1/accounts/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_session_writes_need_the_csrf_token(alice, alice_account):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"name": "Renamed"}, format="json"
    )

    assert response.status_code == 403
    alice_account.refresh_from_db()
    assert alice_account.name == "Alpha Foods"


def test_an_inactive_user_with_a_session_sees_nothing(alice, alice_account):
    client = APIClient()
    client.force_login(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = client.get(f"/api/v1/accounts/{alice_account.pk}/")

    assert response.status_code == 401


@pytest.mark.parametrize(("persona", "offered"), [("alice", True), ("fiona", False)])
def test_options_offers_the_create_form_only_to_those_who_may_create(api_as, persona, offered):
    response = api_as(persona).options("/api/v1/accounts/")

    assert response.status_code == 200
    assert ("POST" in response.json().get("actions", {})) is offered


def test_accounts_and_notes_name_their_owner_and_author_in_full(api_as, alice, alice_account):
    DossierNoteFactory(account=alice_account, author=alice)
    client = api_as("alice")

    (account,) = client.get("/api/v1/accounts/").json()["results"]
    (note,) = client.get("/api/v1/dossier-notes/").json()["results"]

    assert account["owner_name"] == alice.get_full_name() != ""
    assert note["author_name"] == alice.get_full_name()
