"""API v1 for plans, fulfilment and tier history: same scope and services as the pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissions.models import SalesPlan, SalesPlanChange, TierChange
from commissions.services.abc import abc_run
from commissions.services.plans import plan_cell_set
from tests.factories import AccountFactory, UserFactory

D = Decimal
YEAR = timezone.localdate().year


@pytest.fixture
def planned(alice, bob, charlie, dora, sam, alice_account, bob_account, charlie_account, issue):
    for kam, director in ((alice, dora), (bob, dora), (charlie, sam)):
        plan_cell_set(
            actor=director, kam=kam, month=date(YEAR, 1, 1), field="revenue_target", value="1000"
        )
    for account in (alice_account, bob_account, charlie_account):
        issue(account, "400.00", issued=date(YEAR, 1, 15))
    abc_run(as_of=date(YEAR, 1, 31))


def ids(response, key="kam"):
    return sorted(row[key] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("persona", "who"),
    [
        ("alice", {"alice"}),
        ("dora", {"alice", "bob"}),
        ("sam", {"charlie"}),
        ("fiona", {"alice", "bob", "charlie"}),
        ("adam", {"alice", "bob", "charlie"}),
    ],
)
def test_plans_list_is_scoped(api_as, planned, personas, persona, who):
    response = api_as(persona).get("/api/v1/plans/")
    assert response.status_code == 200
    assert ids(response) == sorted(personas[name].pk for name in who)


def test_director_writes_a_plan_for_their_kam(api_as, dora, alice):
    response = api_as("dora").post(
        "/api/v1/plans/",
        {"kam": alice.pk, "month": f"{YEAR}-05-17", "revenue_target": "5000", "reason": "api"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["month"] == f"{YEAR}-05-01"
    assert SalesPlanChange.objects.get().reason == "api"


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("sam", 404), ("fiona", 403)])
def test_others_cannot_write_plans(api_as, personas, alice, persona, status):
    response = api_as(persona).post(
        "/api/v1/plans/",
        {"kam": alice.pk, "month": f"{YEAR}-05-01", "revenue_target": "5000"},
        format="json",
    )
    assert response.status_code == status
    assert not SalesPlan.objects.exists()


def test_a_negative_target_is_a_400_with_the_field(api_as, dora, alice):
    response = api_as("dora").post(
        "/api/v1/plans/",
        {"kam": alice.pk, "month": f"{YEAR}-05-01", "revenue_target": "-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "negative" in str(response.json())


def test_a_plan_for_a_non_kam_is_refused(api_as, adam, dora):
    response = api_as("adam").post(
        "/api/v1/plans/",
        {"kam": dora.pk, "month": f"{YEAR}-05-01", "revenue_target": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert "not a KAM" in str(response.json()["kam"])


def test_fulfilment_by_kam_period_and_basis(api_as, planned, alice):
    response = api_as("dora").get(
        f"/api/v1/fulfilment/?kam={alice.pk}&period={YEAR}-01&basis=invoiced"
    )
    assert response.status_code == 200
    (row,) = response.json()
    assert row["invoiced"] == "400.00"
    assert row["ratio"] == "40.0"
    assert "collected" not in row


def test_fulfilment_of_a_kam_outside_the_scope_is_a_404(api_as, planned, charlie):
    assert api_as("dora").get(f"/api/v1/fulfilment/?kam={charlie.pk}").status_code == 404
    assert api_as("alice").get(f"/api/v1/fulfilment/?kam={charlie.pk}").status_code == 404


@pytest.mark.parametrize("query", ["period=2026-13", "basis=nope", "kam=x"])
def test_fulfilment_bad_query_is_a_400(api_as, planned, query):
    assert api_as("dora").get(f"/api/v1/fulfilment/?{query}").status_code == 400


def test_tier_history_is_scoped_to_visible_accounts(
    api_as, planned, alice_account, charlie_account
):
    rows = api_as("alice").get("/api/v1/tier-history/").json()["results"]
    accounts = {row["account"] for row in rows}
    assert charlie_account.pk not in accounts
    everything = api_as("fiona").get("/api/v1/tier-history/").json()["results"]
    assert charlie_account.pk in {row["account"] for row in everything}


def test_anonymous_gets_401(api_as):
    assert api_as("anonymous").get("/api/v1/plans/").status_code == 401


@pytest.mark.parametrize(
    "url", ["/api/v1/plans/", f"/api/v1/fulfilment/?period={YEAR}", "/api/v1/tier-history/"]
)
def test_api_lists_take_the_same_queries_however_many_rows(
    api_as, planned, dora, north, issue, alice_account, bob_account, url
):
    for account in (alice_account, bob_account):  # at least two rows of each list at first
        TierChange.objects.create(
            account=account,
            changed_on=date(YEAR, 1, 1),
            from_tier="B",
            to_tier="A",
            share=1,
            source="computed",
        )
    client = api_as("dora")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for index in range(3):
        kam = UserFactory(role="kam", territory=north, reports_to=dora)
        account = AccountFactory(owner=kam, name=f"More {index}")
        issue(account, "10.00", issued=date(YEAR, 1, 20))
        plan_cell_set(
            actor=dora, kam=kam, month=date(YEAR, 2, 1), field="revenue_target", value="9"
        )
    abc_run(as_of=date(YEAR, 1, 31))
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
