"""Who lands where, who sees which dashboard, and edited URLs answering 404 (the role matrix),
for the pages and API v1."""

import pytest
from django.urls import reverse

COCKPIT = reverse("dashboards:cockpit")
KAM = reverse("dashboards:kam")
FINANCE = reverse("dashboards:finance")


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("alice", KAM),
        ("dora", COCKPIT),
        ("fiona", FINANCE),
        ("adam", COCKPIT),
    ],
)
def test_each_role_lands_on_its_own_dashboard(client, personas, persona, landing):
    client.force_login(personas[persona])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == landing


# persona -> (cockpit, KAM dashboard, finance dashboard) status codes
MATRIX = {
    "alice": (404, 200, 404),
    "charlie": (404, 200, 404),
    "dora": (200, 404, 404),  # a director opens a KAM's dashboard by naming the KAM
    "sam": (200, 404, 404),
    "fiona": (404, 404, 200),
    "adam": (200, 404, 200),
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_role_matrix_for_the_pages(client, personas, persona):
    client.force_login(personas[persona])
    codes = tuple(client.get(url).status_code for url in (COCKPIT, KAM, FINANCE))
    assert codes == MATRIX[persona]


API = ["/api/v1/dashboards/director/", "/api/v1/dashboards/kam/", "/api/v1/dashboards/finance/"]


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_role_matrix_for_the_api(api_as, personas, persona):
    client = api_as(persona)
    codes = tuple(client.get(url).status_code for url in API)
    assert codes == MATRIX[persona]


def test_anonymous_is_sent_to_log_in_and_the_api_refuses(client, api_as, db):
    assert client.get(COCKPIT).status_code == 302
    assert api_as("anonymous").get(API[0]).status_code in (401, 403)


def test_a_director_editing_the_territory_gets_404(client, dora, south, north):
    client.force_login(dora)
    assert client.get(COCKPIT, {"territory": north.pk}).status_code == 200
    assert client.get(COCKPIT, {"territory": south.pk}).status_code == 404
    assert client.get(COCKPIT, {"territory": "x"}).status_code == 404


def test_an_admin_picks_the_territory(client, adam, south, north, charlie):
    client.force_login(adam)
    page = client.get(COCKPIT, {"territory": south.pk})
    assert page.status_code == 200
    assert page.context["scope"].territory == south
    assert client.get(COCKPIT, {"territory": 999999}).status_code == 404


def test_drill_down_edited_to_another_territory_is_404(
    client, dora, alice, charlie, alice_account, charlie_account
):
    client.force_login(dora)
    kam = "commissions:fulfilment_kam"
    account = "commissions:fulfilment_account"
    assert client.get(reverse(kam, args=[alice.pk])).status_code == 200
    assert client.get(reverse(kam, args=[charlie.pk])).status_code == 404
    assert client.get(reverse(account, args=[alice.pk, alice_account.pk])).status_code == 200
    # South's KAM and account, and North's KAM on South's account, at every level.
    for args in ([charlie.pk, charlie_account.pk], [alice.pk, charlie_account.pk]):
        for query in ("", "?category=none", "?category=none&month=2026-09"):
            assert client.get(reverse(account, args=args) + query).status_code == 404


def test_a_director_sees_a_kams_dashboard_of_their_territory_only(client, dora, alice, charlie):
    client.force_login(dora)
    assert client.get(KAM, {"kam": alice.pk}).status_code == 200
    assert client.get(KAM, {"kam": charlie.pk}).status_code == 404


def test_a_kam_cannot_open_another_kams_dashboard(client, api_as, alice, bob):
    client.force_login(alice)
    assert client.get(KAM, {"kam": bob.pk}).status_code == 404
    assert api_as("alice").get(API[1], {"kam": bob.pk}).status_code == 404


def test_pages_answer_get_only(client, dora):
    client.force_login(dora)
    assert client.post(COCKPIT).status_code == 405


def test_api_refuses_an_unknown_period(api_as, dora):
    response = api_as("dora").get(API[0], {"period": "decade"})
    assert response.status_code == 400
    assert "period" in response.json()


def test_health_scores_api_keeps_to_the_readers_accounts(api_as, alice_account, bob_account):
    from django.utils import timezone

    from health.models import HealthScore

    for account in (alice_account, bob_account):
        HealthScore.objects.create(
            account=account, month=timezone.localdate().replace(day=1), score=50,
            revenue_trend=50, share_of_wallet=50, relationship=50, payment=50, service=50,
            pipeline=50, computed_at=timezone.now(),
        )  # fmt: skip
    mine = api_as("alice").get("/api/v1/health-scores/").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [r["account"] for r in rows] == [alice_account.pk]
    assert api_as("alice").get("/api/v1/health-scores/", {"month": "nope"}).status_code == 400
    dora_rows = api_as("dora").get("/api/v1/health-scores/").json()
    dora_rows = dora_rows["results"] if isinstance(dora_rows, dict) else dora_rows
    assert len(dora_rows) == 2


def test_the_account_page_shows_the_health_panel_with_reasons(client, alice, alice_account):
    from django.utils import timezone

    from health.models import HealthScore

    HealthScore.objects.create(
        account=alice_account, month=timezone.localdate().replace(day=1), score=42,
        revenue_trend=50, share_of_wallet=50, relationship=25, payment=50, service=50,
        pipeline=50, computed_at=timezone.now(),
        reasons={"relationship": {"code": "dm_not_contacted", "days": 94}},
        weights={"relationship": 25},
    )  # fmt: skip
    client.force_login(alice)
    page = client.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()
    assert 'id="health"' in page
    assert "no contact with the decision-maker in 94 days" in page
