"""Sales plans (duty 2.1): cells, yearly figures spread over the months, last year copied, and
every change kept; only the director of the KAM's territory (or an admin) sets them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from commissions.models import SalesPlan, SalesPlanChange
from commissions.services import plans as services

D = Decimal
JAN = date(2027, 1, 1)


def test_director_sets_a_cell_and_the_change_is_kept_with_who_and_why(dora, alice):
    services.plan_cell_set(
        actor=dora, kam=alice, month=date(2027, 3, 15), field="revenue_target", value="1000"
    )
    plan = services.plan_cell_set(
        actor=dora,
        kam=alice,
        month=date(2027, 3, 1),
        field="revenue_target",
        value="1200.50",
        reason="new client",
    )

    assert plan.month == date(2027, 3, 1)
    assert plan.revenue_target == D("1200.50")
    last = SalesPlanChange.objects.filter(plan=plan).first()
    assert (last.old_value, last.new_value, last.changed_by, last.reason) == (
        D("1000.00"),
        D("1200.50"),
        dora,
        "new client",
    )
    assert SalesPlanChange.objects.filter(plan=plan).count() == 2


def test_setting_the_same_value_again_keeps_no_change(dora, alice):
    for _ in range(2):
        services.plan_cell_set(actor=dora, kam=alice, month=JAN, field="margin_target", value="300")
    assert SalesPlanChange.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "cannot be negative"),
        ("abc", "Enter a number"),
        ("1e20", "too large"),
    ],
)
def test_bad_targets_are_refused_with_a_message_and_nothing_written(dora, alice, value, message):
    with pytest.raises(ValidationError, match=message):
        services.plan_cell_set(
            actor=dora, kam=alice, month=JAN, field="revenue_target", value=value
        )
    assert not SalesPlan.objects.exists()


def test_new_clients_must_be_a_whole_number(dora, alice):
    with pytest.raises(ValidationError, match="whole number"):
        services.plan_cell_set(
            actor=dora, kam=alice, month=JAN, field="new_clients_target", value="1.5"
        )


def test_a_plan_for_someone_who_is_not_a_kam_is_refused(adam, dora, sam):
    with pytest.raises(ValidationError, match="not a KAM"):
        services.plan_cell_set(actor=adam, kam=sam, month=JAN, field="revenue_target", value="1")


def test_director_of_another_territory_and_the_kam_cannot_set_plans(sam, alice):
    with pytest.raises(PermissionDenied):
        services.plan_cell_set(actor=sam, kam=alice, month=JAN, field="revenue_target", value="1")
    with pytest.raises(PermissionDenied):
        services.plan_cell_set(actor=alice, kam=alice, month=JAN, field="revenue_target", value="1")
    assert not SalesPlan.objects.exists()


def test_even_spread_gives_the_last_month_the_rounding_remainder(dora, alice):
    result = services.plan_year_spread(
        actor=dora, kam=alice, year=2027, field="revenue_target", total="100000", method="even"
    )

    values = [plan.revenue_target for plan in result.plans]
    assert values[:11] == [D("8333.33")] * 11
    assert values[11] == D("8333.37")
    assert sum(values) == D("100000")
    assert result.changed == 12


def test_seasonal_spread_follows_last_years_invoiced_net(dora, alice, alice_account, issue):
    issue(alice_account, "300.00", issued=date(2026, 3, 10))
    issue(alice_account, "100.00", issued=date(2026, 9, 10))

    result = services.plan_year_spread(
        actor=dora, kam=alice, year=2027, field="revenue_target", total="1000", method="seasonal"
    )

    by_month = {plan.month.month: plan.revenue_target for plan in result.plans}
    assert by_month[3] == D("750.00")
    assert by_month[9] == D("250.00")
    assert by_month[1] == D("0")
    assert result.method == "seasonal"


def test_seasonal_spread_without_last_year_falls_back_to_even(dora, alice):
    result = services.plan_year_spread(
        actor=dora, kam=alice, year=2027, field="new_clients_target", total="14", method="seasonal"
    )
    values = [plan.new_clients_target for plan in result.plans]
    assert result.method == "even"
    assert values == [1] * 11 + [3]


def test_copy_last_year_plus_ten_percent(dora, alice):
    services.plan_cell_set(
        actor=dora, kam=alice, month=date(2026, 5, 1), field="revenue_target", value="1000.05"
    )
    services.plan_cell_set(
        actor=dora, kam=alice, month=date(2026, 5, 1), field="new_clients_target", value="2"
    )

    services.plan_year_copy(actor=dora, kam=alice, year=2027, percent="10", reason="growth")

    plan = SalesPlan.objects.get(kam=alice, month=date(2027, 5, 1))
    assert plan.revenue_target == D("1100.06")  # 1100.055 rounded half up once
    assert plan.new_clients_target == 2
    assert SalesPlanChange.objects.filter(plan=plan, reason="growth").count() == 2


def test_copy_without_last_years_plan_says_so(dora, alice):
    with pytest.raises(ValidationError, match="no plan for 2026"):
        services.plan_year_copy(actor=dora, kam=alice, year=2027, percent="5")


@settings(deadline=None)  # pure arithmetic; a loaded machine must not fail it
@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=12, max_size=12),
)
def test_a_spread_always_adds_up_exactly_and_no_month_is_negative(total, weights):
    parts = services.spread(total=total, weights=weights)
    assert sum(parts) == total
    assert all(part >= 0 for part in parts)
