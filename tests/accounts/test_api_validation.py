"""Bad input to the accounts API gets a 400 with field errors, never a 500."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.models import Account, Contact, ContactRelation
from tests.factories import (
    AccountFactory,
    CompetitorFactory,
    ContactFactory,
    ContactRelationFactory,
)


@pytest.fixture
def alice_api(api_as, alice):
    return api_as("alice")


@pytest.fixture
def contact(alice_account):
    return ContactFactory(account=alice_account, last_name="Boss")


@pytest.fixture
def colleague(alice_account):
    return ContactFactory(account=alice_account, last_name="Buyer")


def assert_field_error(response, field: str):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert isinstance(body[field], list)
    assert all(isinstance(message, str) and message for message in body[field])


ACCOUNT_BAD_INPUT = [
    # (field, value, why it is refused)
    ("name", "", "blank"),
    ("name", None, "null"),
    ("name", "x" * 201, "longer than 200"),
    ("name", ["Delta"], "list where a string goes"),
    ("name", {"text": "Delta"}, "object where a string goes"),
    ("tax_id", "1" * 33, "longer than 32"),
    ("tax_id", ["PL1"], "list where a string goes"),
    ("tier", "Z", "unknown tier"),
    ("tier", ["A"], "list where a choice goes"),
    ("status", "closed", "unknown status"),
    ("segment", "galactic", "unknown segment"),
    ("potential_amount", "-1", "negative potential"),
    ("potential_amount", -0.01, "negative potential as a number"),
    ("potential_amount", "a lot", "not a number"),
    ("potential_amount", {"amount": 1}, "object where a number goes"),
    ("potential_amount", "1e20", "more digits than the column holds"),
    ("share_of_wallet", "100.01", "over 100 %"),
    ("share_of_wallet", 250, "over 100 % and too many digits"),
    ("share_of_wallet", -5, "negative share"),
    ("currency", "pln", "lower-case currency"),
    ("currency", "EURO", "four letters"),
    ("currency", "P1N", "digit in currency"),
    ("country", "POL", "three-letter country"),
    ("website", "not a url", "not a URL"),
    ("owner", "abc", "owner not an id"),
    ("owner", {"id": 1}, "owner as an object"),
    ("owner", True, "owner as a boolean"),
    ("owner", 10**30, "owner id beyond any integer column"),
    ("territory", "north", "territory not an id"),
    ("competitors", "Acme", "string where a list goes"),
    ("competitors", ["Nobody Inc"], "unknown competitor"),
    ("competitors", [{"name": "Acme"}], "objects in the list"),
]


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, value, _ in ACCOUNT_BAD_INPUT],
    ids=[why for _, _, why in ACCOUNT_BAD_INPUT],
)
def test_account_create_refuses_bad_field_with_a_field_error(alice_api, field, value):
    response = alice_api.post("/api/v1/accounts/", {"name": "Delta", field: value}, format="json")

    assert_field_error(response, field)
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, value, _ in ACCOUNT_BAD_INPUT if field != "owner"],
    ids=[why for field, _, why in ACCOUNT_BAD_INPUT if field != "owner"],
)
def test_account_update_refuses_bad_field_and_keeps_the_row(alice_api, alice_account, field, value):
    before = Account.objects.filter(pk=alice_account.pk).values().get()

    response = alice_api.patch(
        f"/api/v1/accounts/{alice_account.pk}/", {field: value}, format="json"
    )

    assert_field_error(response, field)
    assert Account.objects.filter(pk=alice_account.pk).values().get() == before


def test_account_with_a_tax_id_already_taken_gets_a_tax_id_error(alice_api, charlie_account):
    response = alice_api.post(
        "/api/v1/accounts/",
        {"name": "Copy", "tax_id": f"  {charlie_account.tax_id} "},
        format="json",
    )

    assert_field_error(response, "tax_id")
    assert response.json()["tax_id"] == ["Another account already has this tax ID."]
    assert Account.objects.count() == 1


def test_account_may_keep_its_own_tax_id(alice_api, alice_account):
    response = alice_api.patch(
        f"/api/v1/accounts/{alice_account.pk}/", {"tax_id": alice_account.tax_id}, format="json"
    )

    assert response.status_code == 200


def test_several_accounts_may_have_no_tax_id(alice_api, alice):
    AccountFactory(owner=alice, tax_id=None)

    response = alice_api.post("/api/v1/accounts/", {"name": "Delta", "tax_id": ""}, format="json")

    assert response.status_code == 201
    assert Account.objects.get(pk=response.json()["id"]).tax_id is None


def test_account_body_must_be_an_object(alice_api):
    response = alice_api.post("/api/v1/accounts/", [{"name": "Delta"}], format="json")

    assert_field_error(response, "non_field_errors")


def test_malformed_json_is_a_400(alice_api):
    response = alice_api.generic(
        "POST", "/api/v1/accounts/", '{"name": "Delta",', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()


CONTACT_BAD_INPUT = [
    ("influence", "high", "string for influence"),
    ("influence", 0, "influence 0"),
    ("influence", 6, "influence 6"),
    ("influence", [3], "list for influence"),
    ("influence", {"value": 3}, "object for influence"),
    ("decision_role", "king", "unknown decision role"),
    ("attitude", "hostile", "unknown attitude"),
    ("relationship_stage", "married", "unknown stage"),
    ("preferred_channel", "pigeon", "unknown channel"),
    ("email", "not-an-email", "bad email"),
    ("birthday", "yesterday", "bad date"),
    ("birthday", 19800101, "number for a date"),
    ("is_vip", "perhaps", "not a boolean"),
    ("is_vip", [True], "list for a boolean"),
    ("first_name", "x" * 81, "first name too long"),
    ("first_name", "Ann\x00", "NUL character"),
]


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, value, _ in CONTACT_BAD_INPUT],
    ids=[why for _, _, why in CONTACT_BAD_INPUT],
)
def test_contact_create_refuses_bad_field_with_a_field_error(
    alice_api, alice_account, field, value
):
    body = {"account": alice_account.pk, "first_name": "Ann", "last_name": "Lee", field: value}

    response = alice_api.post("/api/v1/contacts/", body, format="json")

    assert_field_error(response, field)
    assert not Contact.objects.exists()


@pytest.mark.parametrize("account", ["abc", None, [1], {"id": 1}, 10**30])
def test_contact_with_a_garbage_account_gets_an_account_error(alice_api, alice_account, account):
    body = {"account": account, "first_name": "Ann", "last_name": "Lee"}

    response = alice_api.post("/api/v1/contacts/", body, format="json")

    assert_field_error(response, "account")


NOTE_BAD_INPUT = [
    ("source", "gossip", "unknown source"),
    ("noted_on", "soon", "bad date"),
    ("noted_on", None, "missing date"),
    ("text", "", "blank text"),
    ("text", {"a": 1}, "object for text"),
]


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, value, _ in NOTE_BAD_INPUT],
    ids=[why for _, _, why in NOTE_BAD_INPUT],
)
def test_note_create_refuses_bad_field_with_a_field_error(alice_api, alice_account, field, value):
    body = {"account": alice_account.pk, "noted_on": "2026-01-15", "text": "Heard", field: value}

    response = alice_api.post("/api/v1/dossier-notes/", body, format="json")

    assert_field_error(response, field)


def test_relation_with_an_unknown_kind_gets_a_kind_error(alice_api, contact, colleague):
    response = alice_api.post(
        "/api/v1/contact-relations/",
        {"from_contact": contact.pk, "to_contact": colleague.pk, "kind": "married"},
        format="json",
    )

    assert_field_error(response, "kind")


def test_relation_between_people_of_two_accounts_gets_a_to_contact_error(
    api_as, alice_account, bob_account
):
    alices = ContactFactory(account=alice_account)
    bobs = ContactFactory(account=bob_account)

    response = api_as("dora").post(
        "/api/v1/contact-relations/",
        {"from_contact": alices.pk, "to_contact": bobs.pk, "kind": "influences"},
        format="json",
    )

    assert_field_error(response, "to_contact")
    assert not ContactRelation.objects.exists()


def test_relation_of_a_contact_to_themselves_is_refused(alice_api, contact):
    response = alice_api.post(
        "/api/v1/contact-relations/",
        {"from_contact": contact.pk, "to_contact": contact.pk, "kind": "allied"},
        format="json",
    )

    assert_field_error(response, "non_field_errors")
    assert response.json()["non_field_errors"] == ["A contact cannot be related to themselves."]
    assert not ContactRelation.objects.exists()


def test_the_same_relation_cannot_be_recorded_twice(alice_api, contact, colleague):
    ContactRelationFactory(from_contact=contact, to_contact=colleague, kind="influences")

    response = alice_api.post(
        "/api/v1/contact-relations/",
        {"from_contact": contact.pk, "to_contact": colleague.pk, "kind": "influences"},
        format="json",
    )

    assert_field_error(response, "non_field_errors")
    assert response.json()["non_field_errors"] == ["This relation is already recorded."]
    assert ContactRelation.objects.count() == 1


GARBAGE_FILTERS = [
    ("accounts", {"owner": "abc"}),
    ("accounts", {"owner": "999999"}),
    ("accounts", {"territory": "north"}),
    ("accounts", {"tier": "Z"}),
    ("accounts", {"status": "closed"}),
    ("accounts", {"ordering": "password"}),
    ("accounts", {"q": "nul\x00byte"}),
    ("dossier-notes", {"account": "xyz"}),
    ("dossier-notes", {"source": "gossip"}),
    ("dossier-notes", {"noted_after": "last week"}),
    ("dossier-notes", {"noted_before": "2026-13-45"}),
    ("contacts", {"account": "xyz"}),
    ("contacts", {"decision_role": "king"}),
    ("contacts", {"attitude": "hostile"}),
    ("contacts", {"q": "nul\x00byte"}),
    ("contact-relations", {"account": "xyz"}),
    ("contact-relations", {"contact": "xyz"}),
    ("contact-relations", {"from_contact": "1.2.3"}),
    ("contact-relations", {"kind": "married"}),
]


@pytest.mark.parametrize(("endpoint", "params"), GARBAGE_FILTERS)
def test_garbage_filter_value_is_a_400_naming_the_filter(api_as, alice_account, endpoint, params):
    # An admin is offered every filter (a KAM has no owner or territory filter to misuse).
    response = api_as("adam").get(f"/api/v1/{endpoint}/", params)

    assert_field_error(response, next(iter(params)))


@pytest.mark.parametrize("value", ["9" * 23, "0", "-1", "1e3", "1.5"])
@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        ("dossier-notes", "account"),
        ("contacts", "account"),
        ("contact-relations", "account"),
        ("contact-relations", "contact"),
        ("contact-relations", "from_contact"),
        ("contact-relations", "to_contact"),
    ],
)
def test_id_filter_that_no_id_can_match_is_a_400(alice_api, alice_account, endpoint, name, value):
    response = alice_api.get(f"/api/v1/{endpoint}/", {name: value})

    assert_field_error(response, name)


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "1.5"])
@pytest.mark.parametrize("endpoint", ["accounts", "dossier-notes", "contacts", "contact-relations"])
def test_garbage_id_in_the_url_is_a_404(alice_api, alice_account, endpoint, pk):
    assert alice_api.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404
    assert alice_api.delete(f"/api/v1/{endpoint}/{pk}/").status_code == 404


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
# "@alice" and the like stand for that fixture's id, known only once the test runs.
STANDS_FOR = {
    "@alice": "alice",
    "@charlie": "charlie",
    "@dora": "dora",
    "@north": "north",
    "@south": "south",
}
plausible = {
    "name": st.text(max_size=210),
    "tax_id": st.text(max_size=40),
    "tier": st.sampled_from(["A", "B", "C", "Z", ""]),
    "status": st.sampled_from(["prospect", "active", "lost", "closed"]),
    "segment": st.sampled_from(["smb", "public", "galactic", ""]),
    "owner": st.sampled_from(["@alice", "@charlie", "@dora"]) | st.integers(),
    "territory": st.sampled_from(["@north", "@south"]) | st.integers(),
    "potential_amount": st.decimals(allow_nan=False, allow_infinity=False).map(str),
    "share_of_wallet": st.decimals(allow_nan=False, allow_infinity=False).map(str),
    "currency": st.sampled_from(["PLN", "EUR"]) | st.text(max_size=4),
    "country": st.text(max_size=3),
    "website": st.sampled_from(["https://example.com"]) | st.text(max_size=40),
    "competitors": st.lists(st.sampled_from(["Acme", "Nobody"]), max_size=3),
}
anything = {field: strategy | json_values for field, strategy in plausible.items()}
account_bodies = st.one_of(
    # Nearly valid: dora names one of her KAMs, then any other field may be off.
    st.fixed_dictionaries(
        {"name": st.text(min_size=1, max_size=200), "owner": st.just("@alice")},
        optional={field: plausible[field] for field in plausible if field not in ("name", "owner")},
    ),
    st.fixed_dictionaries({}, optional=anything),
    json_values,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=account_bodies)
def test_random_json_bodies_never_make_account_create_fail(
    api_as, request, dora, alice, charlie, south, body
):
    CompetitorFactory(name="Acme")
    if isinstance(body, dict):
        body = {
            field: request.getfixturevalue(STANDS_FOR[value]).pk
            if isinstance(value, str) and value in STANDS_FOR
            else value
            for field, value in body.items()
        }

    response = api_as("dora").post("/api/v1/accounts/", body, format="json")

    assert response.status_code in (201, 400), response.content
    event(f"status {response.status_code}")
