"""The cockpit's plan against actual (invoiced, booked, collected: commissions' fulfilment,
each bar a link to its drill-down), its Pareto curve and concentration (the ABC page's chart),
and the one figure in the reporting currency where invoices are in several.

North (dora): alice's Alpha Foods invoiced 700 today, bob's Beta Retail 200 and Bolt 100;
South: charlie's Gamma Pharma 5,000. Within North: Alpha 70 %, Beta 20 %, Bolt 10 %.
"""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from commissions.models import SalesPlan
from commissions.selectors.fulfilment import fulfilment_by_kam
from commissions.services.abc import abc_run
from core.models import ExchangeRate
from dashboards.access import cockpit_scope
from dashboards.selectors import cockpit
from tests.factories import AccountFactory


@pytest.fixture
def north(alice, bob, alice_account, bob_account, charlie_account, issue):
    today = timezone.localdate()
    SalesPlan.objects.create(kam=alice, month=today.replace(day=1), revenue_target=D("1000"))
    bolt = AccountFactory(owner=bob, name="Bolt", territory=bob_account.territory)
    for account, amount in ((alice_account, "700.00"), (bob_account, "200.00"), (bolt, "100.00")):
        issue(account, amount, issued=today)
    issue(charlie_account, "5000.00", issued=today)
    abc_run(as_of=today)
    return {"today": today, "bolt": bolt}


def _cockpit(dora, key="month"):
    return cockpit(scope=cockpit_scope(dora), now=timezone.now(), period_key=key)


def test_plan_rows_carry_every_basis_of_the_commissions_fulfilment(north, dora, alice, bob):
    data = _cockpit(dora)
    [row] = data.plan_chosen  # bob has no plan this month
    month = data.period
    [same] = fulfilment_by_kam(kam_ids=[alice.pk], start=month.start, end=month.end)
    assert row.figures == same
    assert (row.target, row.invoiced, row.ratio) == (D("1000"), D("700.00"), D("70.0"))
    assert [k.username for k in data.unplanned] == ["bob"]


def test_each_plan_bar_links_to_the_kams_drill_down_for_the_period(client, north, dora, alice):
    client.force_login(dora)
    page = client.get(reverse("dashboards:cockpit"), {"period": "quarter"})
    today = north["today"]
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    drill = reverse("commissions:fulfilment_kam", args=[alice.pk]) + f"?period={quarter}"
    svg = str(page.context["charts"]["plan"])
    # The plan (the marker) and the three bases, each bar a link.
    assert svg.count(f'xlink:href="{drill}"') == 4
    for name in ("Plan", "Invoiced", "Booked", "Collected"):
        assert f">{name}<" in svg
    assert f'href="{drill}"' in page.content.decode()  # the KAM's name in the table
    assert client.get(drill).status_code == 200


def test_the_pareto_curve_ranks_the_territorys_accounts_among_themselves(
    north, dora, alice_account, bob_account
):
    data = _cockpit(dora)
    assert [(p.name, p.share, p.cumulative_share, p.accounts_share) for p in data.pareto] == [
        ("Alpha Foods", D("70.0"), D("70.0"), D("33.3")),
        ("Beta Retail", D("20.0"), D("90.0"), D("66.7")),
        ("Bolt", D("10.0"), D("100.0"), D("100.0")),
    ]
    # Key client: 10 % or more of the company's revenue (700 of 6,000); South is not here.
    assert [p.name for p in data.key_clients] == ["Alpha Foods"]


def test_concentration_top_shares_and_hhi_of_the_territory(north, dora):
    now = _cockpit(dora).concentration_now
    assert (now.top1_share, now.top5_share) == (D("70.0000"), D("100.0000"))
    assert now.hhi == D("5400.00")  # 70² + 20² + 10²


def test_cockpit_and_abc_page_draw_the_same_pareto_chart_every_point_a_link(
    client, north, dora, alice_account
):
    client.force_login(dora)
    cockpit_page = client.get(reverse("dashboards:cockpit")).content.decode()
    abc_page = client.get(reverse("commissions:abc")).content.decode()
    account = reverse("accounts:detail", args=[alice_account.pk])
    for text in (cockpit_page, abc_page):
        curve = re.search(r'<figure class="chart pareto-chart".*?</figure>', text, re.S).group()
        assert "<svg" in curve and "data:image" not in curve
        assert "<style" not in curve and "style=" not in curve and "<script" not in curve
        assert f'xlink:href="{account}"' in curve
        for name in ("Class A", "Key clients", "80 % of revenue", "95 % of revenue"):
            assert name in curve
    assert "data:image" not in abc_page


def test_one_figure_in_pln_with_the_rates_and_a_missing_rate_said(
    client, north, dora, alice, alice_account, issue
):
    today = north["today"]
    issue(alice_account, "100.00", issued=today, currency="EUR")  # no rate yet
    ExchangeRate.objects.create(day=today, currency="EUR", rate=D("4.30"))
    issue(alice_account, "200.00", issued=today, currency="EUR")
    [row] = _cockpit(dora).plan_chosen
    assert row.invoiced == D("1560.00")  # 700 + 200 x 4.30; the 100 EUR has no rate
    assert not row.figures.invoiced_complete
    client.force_login(dora)
    text = client.get(reverse("dashboards:cockpit"), {"period": "month"}).content.decode()
    assert "1 invoice in EUR has no rate: figure not complete" in text
    assert "Invoiced: 300.00 EUR" in text  # the per-currency figure, as issued
    assert "converted at each invoice's rate (4.3000)" in text
