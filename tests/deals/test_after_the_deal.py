"""Contracts, orders, returns and complaints: the rules, the lists and their filters."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deals import services
from deals.models import Complaint, Order, OrderLine
from tests.deals.factories import (
    ComplaintFactory,
    ContractFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ReturnFactory,
)

TODAY = timezone.localdate


def _listed(client, url_name, **params):
    return list(client.get(reverse(url_name), params).context["page"])


def test_contracts_expiring_in_the_next_30_60_90_days(kam, alice_account):
    soon = ContractFactory(account=alice_account, end_date=TODAY() + timedelta(days=20))
    later = ContractFactory(account=alice_account, end_date=TODAY() + timedelta(days=75))
    ContractFactory(account=alice_account, end_date=TODAY() + timedelta(days=200))
    ContractFactory(
        account=alice_account, end_date=TODAY() + timedelta(days=10), status="terminated"
    )
    assert _listed(kam, "deals:contract_list", expiring_within="30") == [soon]
    assert _listed(kam, "deals:contract_list", expiring_within="90") == [soon, later]


def test_contract_filters_by_status_account_and_number(kam, alice_account):
    draft = ContractFactory(account=alice_account, status="draft", number="UM/DRAFT")
    ContractFactory(account=alice_account)
    assert _listed(kam, "deals:contract_list", status="draft") == [draft]
    assert _listed(kam, "deals:contract_list", q="draft") == [draft]
    assert len(_listed(kam, "deals:contract_list", account=str(alice_account.pk))) == 2


def test_contract_must_end_after_it_starts_and_keep_its_number_unique(alice, alice_account):
    data = {"number": "UM/1", "start_date": TODAY(), "end_date": TODAY(), "value": D("1")}
    services.contract_create(actor=alice, account=alice_account, data=data)
    with pytest.raises(ValidationError, match="already has this number"):
        services.contract_create(actor=alice, account=alice_account, data=data)
    with pytest.raises(ValidationError, match="end on or after"):
        services.contract_create(
            actor=alice,
            account=alice_account,
            data={**data, "number": "UM/2", "end_date": TODAY() - timedelta(days=1)},
        )


def test_contract_history_records_status_changes(alice, alice_account):
    contract = ContractFactory(account=alice_account, status="draft")
    services.contract_move(actor=alice, contract=contract, to_status="active")
    statuses = contract.history.order_by("history_id").values_list("status", flat=True)
    assert list(statuses) == ["draft", "active"]
    with pytest.raises(ValidationError, match="cannot go from Active to Draft"):
        services.contract_move(actor=alice, contract=contract, to_status="draft")


def test_late_orders_are_flagged_in_the_list_and_filter(kam, alice_account):
    on_time = OrderFactory(account=alice_account, status="delivered")
    late_delivery = OrderFactory(
        account=alice_account,
        status="delivered",
        promised_date=TODAY() - timedelta(days=9),
        delivered_date=TODAY() - timedelta(days=2),
    )
    overdue = OrderFactory(
        account=alice_account, status="shipped", promised_date=TODAY() - timedelta(days=1)
    )
    rows = {order.pk: order.is_late for order in _listed(kam, "deals:order_list")}
    assert rows == {on_time.pk: False, late_delivery.pk: True, overdue.pk: True}
    assert {o.pk for o in _listed(kam, "deals:order_list", late="true")} == {
        late_delivery.pk,
        overdue.pk,
    }
    assert [o.pk for o in _listed(kam, "deals:order_list", status="shipped")] == [overdue.pk]


def test_order_is_created_with_lines_priced_on_the_server(alice, alice_account):
    product = ProductFactory(list_price=D("12.35"))
    order = services.order_create(
        actor=alice,
        account=alice_account,
        data={"requested_date": TODAY()},
        lines=[
            {"product": product, "quantity": D("3")},
            {"product": product, "quantity": D("1.5"), "unit_price": D("10")},
        ],
    )
    assert sorted(order.lines.values_list("line_total", flat=True)) == [D("15.00"), D("37.05")]


def test_the_api_refuses_an_order_line_for_an_inactive_product(api_as, alice_account):
    retired = ProductFactory(is_active=False)

    response = api_as("alice").post(
        "/api/v1/orders/",
        {
            "account": alice_account.pk,
            "currency": "PLN",
            "requested_date": str(timezone.localdate() + timedelta(days=7)),
            "lines": [{"product": retired.pk, "quantity": "1"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "product" in response.json()
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_an_order_line_for_an_inactive_product_cannot_be_added(alice, alice_account):
    line = OrderLineFactory(order__account=alice_account)
    retired = ProductFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        services.order_line_add(actor=alice, order=line.order, product=retired, quantity=D("1"))

    assert "product" in error.value.message_dict


def test_an_order_moves_only_along_its_pipeline(alice, alice_account):
    order = OrderFactory(account=alice_account)
    with pytest.raises(ValidationError, match="at least one line"):
        services.order_move(actor=alice, order=order, to_status="confirmed")
    OrderLineFactory(order=order)
    services.order_move(actor=alice, order=order, to_status="confirmed")
    with pytest.raises(ValidationError, match="future"):
        services.order_mark_delivered(
            actor=alice, order=order, delivered_date=TODAY() + timedelta(days=1)
        )
    services.order_mark_delivered(actor=alice, order=order)
    order.refresh_from_db()
    assert (order.status, order.delivered_date) == (Order.Status.DELIVERED, TODAY())
    with pytest.raises(ValidationError, match="cannot go from Delivered"):
        services.order_move(actor=alice, order=order, to_status="cancelled")


def test_returns_cannot_exceed_what_was_delivered_and_carry_the_value_lost(alice, alice_account):
    line = OrderLineFactory(
        order__account=alice_account,
        order__status="delivered",
        quantity=D("5"),
        unit_price=D("9.99"),
    )
    item = services.return_record(actor=alice, order_line=line, quantity=D("3"), reason="quality")
    assert item.value == D("29.97")
    with pytest.raises(ValidationError, match="Only 2 of 5"):
        services.return_record(actor=alice, order_line=line, quantity=D("3"), reason="late")


def test_goods_not_yet_shipped_cannot_be_returned(alice, alice_account):
    line = OrderLineFactory(order__account=alice_account)
    with pytest.raises(ValidationError, match="shipped or delivered"):
        services.return_record(actor=alice, order_line=line, quantity=D("1"), reason="late")


def test_the_api_refuses_a_return_dated_in_the_future(api_as, alice_account):
    line = OrderLineFactory(order__account=alice_account, order__status=Order.Status.DELIVERED)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = api_as("alice").post(
        "/api/v1/returns/",
        {
            "order_line": line.pk,
            "quantity": "1",
            "reason": "quality",
            "returned_on": str(tomorrow),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "returned_on" in response.json()
    assert not line.returns.exists()


def test_a_return_dated_today_is_recorded(alice, alice_account):
    line = OrderLineFactory(order__account=alice_account, order__status=Order.Status.DELIVERED)

    item = services.return_record(
        actor=alice,
        order_line=line,
        quantity=D("1"),
        reason="quality",
        returned_on=timezone.localdate(),
    )

    assert item.returned_on == timezone.localdate()


def test_returns_analysis_sums_by_reason_product_and_account(kam, alice_account):
    first = ReturnFactory(
        order_line__order__account=alice_account, reason="quality", quantity=D("2")
    )
    ReturnFactory(order_line=first.order_line, reason="late", quantity=D("1"))
    ReturnFactory(
        order_line__order__account=alice_account,
        reason="quality",
        returned_on=TODAY() - timedelta(days=400),
    )
    analysis = kam.get(reverse("deals:returns_analysis")).context["analysis"]
    assert (analysis.count, analysis.value) == (2, {"PLN": D("285.00")})
    assert [(r["reason"], r["value"]) for r in analysis.by_reason] == [
        ("quality", D("190.00")),
        ("late", D("95.00")),
    ]
    assert [r["value"] for r in analysis.by_account] == [D("285.00")]
    old = kam.get(
        reverse("deals:returns_analysis"),
        {"start": str(TODAY() - timedelta(days=500)), "end": str(TODAY() - timedelta(days=300))},
    ).context["analysis"]
    assert old.count == 1


def test_returns_analysis_survives_nonsense_dates(kam):
    response = kam.get(reverse("deals:returns_analysis"), {"start": "2026-13-45", "end": "soon"})
    assert response.status_code == 200


def test_the_returns_analysis_of_the_first_day_of_the_calendar_opens(kam):
    response = kam.get(reverse("deals:returns_analysis"), {"end": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["analysis"].start == date.min


def test_return_list_filters_by_reason_and_dates(kam, alice_account):
    quality = ReturnFactory(order_line__order__account=alice_account, reason="quality")
    ReturnFactory(
        order_line__order__account=alice_account,
        reason="price",
        returned_on=TODAY() - timedelta(days=40),
    )
    assert _listed(kam, "deals:return_list", reason="quality") == [quality]
    assert _listed(kam, "deals:return_list", returned_after=str(TODAY() - timedelta(days=5))) == [
        quality
    ]


def test_complaints_resolve_with_a_resolution_and_open_ones_show_on_the_account(
    kam, alice, alice_account
):
    complaint = ComplaintFactory(account=alice_account, subject="Broken pallets")
    page = kam.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()
    assert "Broken pallets" in page
    with pytest.raises(ValidationError, match="resolved"):
        services.complaint_resolve(actor=alice, complaint=complaint, resolution=" ")
    services.complaint_resolve(actor=alice, complaint=complaint, resolution="Credit note")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolved_on) == (Complaint.Status.RESOLVED, TODAY())
    page = kam.get(reverse("accounts:detail", args=[alice_account.pk])).content.decode()
    assert "Broken pallets" not in page
    assert [c.pk for c in _listed(kam, "deals:complaint_list", status="resolved")] == [complaint.pk]


def test_a_complaint_names_a_contact_of_its_own_account(alice, alice_account, bob_account):
    from tests.factories import ContactFactory

    stranger = ContactFactory(account=bob_account)
    with pytest.raises(ValidationError, match="works at this account"):
        services.complaint_open(
            actor=alice, account=alice_account, data={"subject": "S", "contact": stranger}
        )


def test_forms_keep_the_input_when_the_service_refuses_it(kam, alice_account):
    response = kam.post(
        reverse("deals:contract_create") + f"?account={alice_account.pk}",
        {
            "number": "UM/X",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "value": "10",
            "currency": "PLN",
            "payment_terms_days": "30",
            "renewal": "manual",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "end on or after its start" in page and 'value="UM/X"' in page


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("deals:deal_create", {"account": "x", "amount": "lots", "probability": "999"}),
        ("deals:contract_create", {"value": "-1", "start_date": "2026-02-30"}),
        ("deals:order_create", {"requested_date": "tomorrow", "account": "0"}),
        ("deals:complaint_create", {"severity": "doom", "contact": "1e9"}),
    ],
)
def test_garbage_in_create_forms_comes_back_as_errors(kam, url_name, data):
    response = kam.post(reverse(url_name), data)
    assert response.status_code == 200
    assert response.context["form"].errors
