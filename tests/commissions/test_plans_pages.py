"""The plans, fulfilment and ABC pages and API: who sees what (outside scope = 404), the
grid's in-place edit, refusals with a message, and query budgets that do not grow with rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissions.models import SalesPlan, SalesPlanChange
from commissions.services.abc import abc_run
from commissions.services.plans import plan_cell_set
from tests.factories import AccountFactory, UserFactory

D = Decimal
YEAR = timezone.localdate().year


@pytest.fixture
def planned(alice, bob, charlie, dora, sam, alice_account, bob_account, charlie_account, issue):
    for kam, director in ((alice, dora), (bob, dora), (charlie, sam)):
        for month in (1, 2):
            plan_cell_set(
                actor=director,
                kam=kam,
                month=date(YEAR, month, 1),
                field="revenue_target",
                value="1000",
            )
    for account in (alice_account, bob_account, charlie_account):
        issue(account, "500.00", issued=timezone.localdate())
    abc_run()
    return {"alice": alice, "bob": bob, "charlie": charlie}


def client_as(client, user):
    client.force_login(user)
    return client


# (url name, args by persona fixture names, who gets 200) ------------------------------------
PAGES = {
    "grid": (lambda p, a: reverse("commissions:plan_grid"), {"dora", "sam", "fiona", "adam"}),
    "my_plan": (lambda p, a: reverse("commissions:my_plan"), {"alice", "bob", "charlie"}),
    "kam_plan": (
        lambda p, a: reverse("commissions:kam_plan", args=[p["alice"].pk]),
        {"alice", "dora", "fiona", "adam"},
    ),
    "fulfilment": (
        lambda p, a: reverse("commissions:fulfilment"),
        {"alice", "bob", "charlie", "dora", "sam", "fiona", "adam"},
    ),
    "fulfilment_kam": (
        lambda p, a: reverse("commissions:fulfilment_kam", args=[p["alice"].pk]),
        {"alice", "dora", "fiona", "adam"},
    ),
    "fulfilment_account": (
        lambda p, a: (
            reverse("commissions:fulfilment_account", args=[p["alice"].pk, a.pk]) + "?category=none"
        ),
        {"alice", "dora", "fiona", "adam"},
    ),
    "abc": (
        lambda p, a: reverse("commissions:abc"),
        {"alice", "bob", "charlie", "dora", "sam", "fiona", "adam"},
    ),
}
PERSONAS = ["alice", "bob", "charlie", "dora", "sam", "fiona", "adam"]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix_of_the_pages(client, planned, personas, alice_account, page, persona):
    url, allowed = PAGES[page]
    response = client_as(client, personas[persona]).get(url(planned, alice_account))
    assert response.status_code == (200 if persona in allowed else 404)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_is_sent_to_log_in(client, planned, alice_account, page):
    url, _ = PAGES[page]
    response = client.get(url(planned, alice_account))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def cell(client, kam, value, *, field="revenue_target", month=None, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("commissions:plan_cell"),
        {
            "kam": kam.pk,
            "month": (month or date(YEAR, 3, 1)).isoformat(),
            "field": field,
            "value": value,
            "reason": "typed in",
        },
        headers=headers,
    )


def test_director_edits_a_cell_in_place(client, dora, alice):
    response = cell(client_as(client, dora), alice, "12 500,50")
    assert response.status_code == 200
    assert 'value="12500.50"' in response.content.decode()
    plan = SalesPlan.objects.get(kam=alice, month=date(YEAR, 3, 1))
    assert plan.revenue_target == D("12500.50")
    assert SalesPlanChange.objects.get(plan=plan).reason == "typed in"


def test_a_negative_cell_is_refused_beside_the_typed_figure(client, dora, alice):
    response = cell(client_as(client, dora), alice, "-5")
    page = response.content.decode()
    assert "cannot be negative" in page
    assert 'value="-5"' in page
    assert not SalesPlan.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("sam", 404), ("fiona", 403)])
def test_who_cannot_edit_a_cell(client, personas, alice, persona, status):
    assert cell(client_as(client, personas[persona]), alice, "1").status_code == status
    assert not SalesPlan.objects.exists()


def test_cell_wants_post(client, dora):
    assert client_as(client, dora).get(reverse("commissions:plan_cell")).status_code == 405


def test_cell_without_htmx_redirects_with_a_message(client, dora, alice):
    response = cell(client_as(client, dora), alice, "10", htmx=False)
    assert response.status_code == 302


def test_a_cell_for_a_non_kam_is_refused_with_a_message(client, adam, sam):
    response = cell(client_as(client, adam), sam, "1")
    assert response.status_code == 400
    assert "not a KAM" in response.content.decode()
    assert not SalesPlan.objects.exists()


def test_director_spreads_a_yearly_figure_from_the_grid(client, dora, alice):
    response = client_as(client, dora).post(
        reverse("commissions:plan_year"),
        {
            "year": YEAR + 1,
            "kam": alice.pk,
            "action": "spread",
            "field": "revenue_target",
            "total": "120000",
            "method": "even",
            "reason": "next year",
        },
    )
    assert response.status_code == 302
    plans = SalesPlan.objects.filter(kam=alice, month__year=YEAR + 1)
    assert sum(plan.revenue_target for plan in plans) == D("120000")


def test_a_spread_without_a_figure_comes_back_with_the_form_and_its_error(client, dora, alice):
    response = client_as(client, dora).post(
        reverse("commissions:plan_year"),
        {"year": YEAR, "kam": alice.pk, "action": "spread", "field": "revenue_target"},
    )
    assert response.status_code == 400
    assert "Type the yearly figure" in response.content.decode()
    assert not SalesPlan.objects.exists()


def test_a_kam_cannot_spread(client, alice):
    response = client_as(client, alice).post(reverse("commissions:plan_year"), {})
    assert response.status_code == 404


def test_the_kam_sees_their_plan_and_no_input(client, planned, alice):
    page = client_as(client, alice).get(reverse("commissions:my_plan")).content.decode()
    assert "My plan" in page
    assert "plan-cell" not in page


def test_the_finance_grid_is_read_only(client, planned, fiona):
    page = client_as(client, fiona).get(reverse("commissions:plan_grid")).content.decode()
    assert "plan-cell" not in page
    assert planned["alice"].get_full_name() in page


def test_only_an_admin_runs_the_classification(client, planned, dora, adam):
    assert client_as(client, dora).post(reverse("commissions:abc_run")).status_code == 404
    response = client_as(client, adam).post(reverse("commissions:abc_run"))
    assert response.status_code == 302


def test_the_account_page_shows_the_class_and_its_changes(client, planned, alice, alice_account):
    page = client_as(client, alice).get(reverse("accounts:detail", args=[alice_account.pk]))
    text = page.content.decode()
    assert "ABC class" in text
    assert "Computed class" in text
    assert "Set the tier by hand" not in text  # a KAM does not set tiers


def test_director_sets_a_tier_by_hand_from_the_account_page(client, planned, dora, alice_account):
    client_as(client, dora)
    response = client.post(
        reverse("commissions:tier_override", args=[alice_account.pk]),
        {"tier": "B", "reason": "strategic", "expires_on": f"{YEAR + 1}-06-30"},
    )
    assert response.status_code == 302
    alice_account.refresh_from_db()
    assert alice_account.tier == "B"
    page = client.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()
    assert "differs from the computed class" in page


def test_a_kam_setting_a_tier_gets_a_403(client, planned, alice, alice_account):
    response = client_as(client, alice).post(
        reverse("commissions:tier_override", args=[alice_account.pk]),
        {"tier": "A", "reason": "x", "expires_on": f"{YEAR + 1}-06-30"},
    )
    assert response.status_code == 403


def test_a_bad_period_is_said_and_the_page_still_shows(client, planned, dora):
    page = client_as(client, dora).get(reverse("commissions:fulfilment") + "?period=nope")
    assert page.status_code == 200
    assert "Not a period" in page.content.decode()


# --- Query budgets ------------------------------------------------------------------------------


def more_kams(territory, director, count, issue):
    for index in range(count):
        kam = UserFactory(role="kam", territory=territory, reports_to=director)
        account = AccountFactory(owner=kam, name=f"Extra {index} {kam.pk}")
        issue(account, "100.00", issued=timezone.localdate())
        for month in (1, 2, 3):
            plan_cell_set(
                actor=director,
                kam=kam,
                month=date(YEAR, month, 1),
                field="revenue_target",
                value="7",
            )


@pytest.mark.parametrize(
    "name", ["commissions:plan_grid", "commissions:fulfilment", "commissions:abc"]
)
def test_page_queries_do_not_grow_with_rows(client, planned, dora, north, issue, name):
    client_as(client, dora)
    client.get(reverse(name))  # warm the session and the caches
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse(name)).status_code == 200
    more_kams(north, dora, 3, issue)
    abc_run()
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse(name)).status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_plan_grid_query_budget(client, planned, dora, django_assert_num_queries):
    client_as(client, dora)
    client.get(reverse("commissions:plan_grid"))
    # session, user, kams, plans, last year's plans, approvals badge, notifications badge,
    # changes
    with django_assert_num_queries(8):
        client.get(reverse("commissions:plan_grid"))


def test_fulfilment_query_budget(client, planned, dora, django_assert_num_queries):
    client_as(client, dora)
    client.get(reverse("commissions:fulfilment"))
    # session, user, kam ids, the seven of fulfilment_by_kam (kams, plans, booked, invoiced,
    # credit notes, collected, new clients), approvals badge, notifications badge
    with django_assert_num_queries(12):
        client.get(reverse("commissions:fulfilment"))


def test_drill_down_to_an_account_the_kam_neither_owns_nor_was_credited_on_is_a_404(
    client, planned, alice, charlie_account
):
    url = reverse("commissions:fulfilment_account", args=[alice.pk, charlie_account.pk])
    assert client_as(client, alice).get(url).status_code == 404
