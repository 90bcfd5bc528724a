"""Lists that answer questions: sorting, totals per currency, exports, and filters that say
what they do."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.listing import CurrencyTotal, totals_by_currency
from deals.models import Contract, Deal, Order
from tests.deals.factories import ContractFactory, DealFactory, OrderFactory, ReturnFactory

DEALS = reverse("deals:deal_list")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


@pytest.fixture
def deals(alice_account, bob_account, charlie_account):
    today = timezone.localdate()
    return {
        "won_pln": DealFactory(
            account=alice_account, title="Won PLN", stage=Deal.Stage.WON, amount=Decimal("100")
        ),
        "won_eur": DealFactory(
            account=alice_account,
            title="Won EUR",
            stage=Deal.Stage.WON,
            amount=Decimal("30.50"),
            currency="EUR",
        ),
        "soon": DealFactory(
            account=alice_account,
            title="Closing soon",
            amount=Decimal("10"),
            expected_close_date=today + timedelta(days=3),
        ),
        "later": DealFactory(
            account=alice_account,
            title='=HYPERLINK("http://evil")',
            amount=Decimal("70"),
            expected_close_date=today + timedelta(days=40),
        ),
        "bob": DealFactory(account=bob_account, title="Bob's deal"),
        "charlie": DealFactory(account=charlie_account, title="Charlie's deal"),
    }


def titles(response) -> list[str]:
    return [deal.title for deal in response.context["page"]]


def test_deals_default_to_open_first_closing_soonest(client, alice, deals):
    client.force_login(alice)
    response = client.get(DEALS)
    assert titles(response)[:2] == ["Closing soon", deals["later"].title]
    assert set(titles(response)[2:]) == {"Won PLN", "Won EUR"}
    assert "open deals first, closing soonest" in response.content.decode()


def test_column_header_sorts_and_a_second_click_reverses(client, alice, deals):
    client.force_login(alice)
    response = client.get(DEALS, {"ordering": "-amount"})
    assert titles(response)[0] == "Won PLN"
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert "?ordering=amount" in page  # the header now sorts the other way
    assert titles(client.get(DEALS, {"ordering": "amount"}))[0] == "Closing soon"


def test_sorting_keeps_the_other_filters(client, alice, deals):
    client.force_login(alice)
    page = client.get(DEALS, {"stage": "won", "ordering": "amount"}).content.decode()
    assert "?stage=won&amp;ordering=-amount" in page


def test_totals_are_per_currency_for_the_whole_filtered_set(client, alice, deals):
    client.force_login(alice)
    response = client.get(DEALS, {"stage": "won"})
    assert response.context["totals"] == [
        CurrencyTotal(currency="EUR", count=1, amount=Decimal("30.50")),
        CurrencyTotal(currency="PLN", count=1, amount=Decimal("100.00")),
    ]
    assert "30.50 EUR" in response.content.decode()


def test_totals_count_every_row_not_just_the_page(alice, alice_account):
    DealFactory.create_batch(30, account=alice_account, amount=Decimal("1.10"))

    assert totals_by_currency(
        Deal.objects.select_related("account", "owner").visible_to(alice), amount="amount"
    ) == [CurrencyTotal(currency="PLN", count=30, amount=Decimal("33.00"))]


def test_csv_export_has_the_filtered_rows_the_user_may_see(client, alice, deals):
    client.force_login(alice)
    response = client.get(DEALS, {"stage": "won", "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="deals.csv"'
    rows = csv_rows(response)
    assert rows[0][:3] == ["ID", "Deal", "Account"]
    assert sorted(row[1] for row in rows[1:]) == ["Won EUR", "Won PLN"]
    amounts = {row[1]: row[5] for row in rows[1:]}
    assert amounts == {"Won EUR": "30.50", "Won PLN": "100.00"}


def test_director_exports_the_territory_and_never_another(client, dora, deals):
    client.force_login(dora)
    rows = csv_rows(client.get(DEALS, {"export": "csv"}))
    assert "Bob's deal" in {row[1] for row in rows}
    assert "Charlie's deal" not in {row[1] for row in rows}


def test_export_neutralises_text_a_spreadsheet_would_run(client, alice, deals):
    client.force_login(alice)
    rows = csv_rows(client.get(DEALS, {"export": "csv"}))
    assert '\'=HYPERLINK("http://evil")' in {row[1] for row in rows}


def test_xlsx_export_keeps_amounts_as_numbers_and_formulas_as_text(client, alice, deals):
    client.force_login(alice)
    response = client.get(DEALS, {"export": "xlsx", "ordering": "amount"})
    assert response["Content-Disposition"] == 'attachment; filename="deals.xlsx"'
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("ID", "Deal")
    assert [row[5] for row in rows[1:]] == [10, 30.5, 70, 100]
    evil = next(cell for cell in sheet["B"] if str(cell.value).startswith("'="))
    assert evil.data_type == "s"


def test_export_costs_the_same_however_many_rows(client, dora, deals, django_assert_num_queries):
    client.force_login(dora)
    # session, user, the rows (read in chunks by one cursor)
    with django_assert_num_queries(3):
        body(client.get(DEALS, {"export": "csv"}))


def test_contracts_ends_within_offers_any_and_does_not_narrow_by_itself(
    client, alice, alice_account
):
    ContractFactory(
        account=alice_account,
        number="UM/FAR",
        end_date=timezone.localdate() + timedelta(days=200),
    )
    client.force_login(alice)
    url = reverse("deals:contract_list")
    page = client.get(url).content.decode()
    assert '<option value="" selected>Any</option>' in page
    # what pressing Filter sends with the select left alone
    response = client.get(url, {"q": "UM/FAR", "expiring_within": ""})
    assert [c.number for c in response.context["page"]] == ["UM/FAR"]
    assert [c.number for c in client.get(url, {"expiring_within": "30"}).context["page"]] == []


def test_contracts_default_to_live_ones_ending_soonest(client, alice, alice_account):
    today = timezone.localdate()
    ContractFactory(
        account=alice_account,
        number="DRAFT",
        status=Contract.Status.DRAFT,
        end_date=today + timedelta(days=1),
    )
    ContractFactory(account=alice_account, number="LATER", end_date=today + timedelta(days=90))
    ContractFactory(account=alice_account, number="SOON", end_date=today + timedelta(days=20))
    client.force_login(alice)
    response = client.get(reverse("deals:contract_list"))
    assert [c.number for c in response.context["page"]] == ["SOON", "LATER", "DRAFT"]


def test_orders_late_first_and_the_late_filter_says_any(client, alice, alice_account):
    today = timezone.localdate()
    on_time = OrderFactory(account=alice_account, requested_date=today + timedelta(days=5))
    late = OrderFactory(
        account=alice_account,
        requested_date=today - timedelta(days=20),
        promised_date=today - timedelta(days=10),
        status=Order.Status.CONFIRMED,
    )
    client.force_login(alice)
    response = client.get(reverse("deals:order_list"))
    assert [o.pk for o in response.context["page"]] == [late.pk, on_time.pk]
    page = response.content.decode()
    assert "Unknown" not in page
    assert '<option value="" selected>Any</option>' in page
    late_only = client.get(reverse("deals:order_list"), {"late": "true"})
    assert [o.pk for o in late_only.context["page"]] == [late.pk]


def test_orders_found_by_number_or_reference(client, alice, alice_account):
    order = OrderFactory(account=alice_account, reference="PO-778")
    OrderFactory(account=alice_account)
    client.force_login(alice)
    url = reverse("deals:order_list")
    assert [o.pk for o in client.get(url, {"q": f"#{order.pk}"}).context["page"]] == [order.pk]
    assert [o.pk for o in client.get(url, {"q": "po-778"}).context["page"]] == [order.pk]


def test_filters_are_labelled_as_a_person_would(client, alice):
    client.force_login(alice)
    returns = client.get(reverse("deals:return_list")).content.decode()
    assert "Returned from" in returns
    assert "greater than" not in returns
    assert 'type="date"' in returns
    orders = client.get(reverse("deals:order_list")).content.decode()
    assert "Requested from" in orders


def test_return_totals_use_the_orders_currency(client, alice, alice_account):
    ReturnFactory(order_line__order__account=alice_account, order_line__order__currency="EUR")
    ReturnFactory(order_line__order__account=alice_account)
    client.force_login(alice)
    totals = client.get(reverse("deals:return_list")).context["totals"]
    assert [(t.currency, t.count) for t in totals] == [("EUR", 1), ("PLN", 1)]


@pytest.mark.parametrize(
    "url_name",
    [
        "deals:deal_list",
        "deals:contract_list",
        "deals:order_list",
        "deals:return_list",
        "deals:complaint_list",
        "deals:catalogue",
    ],
)
def test_every_list_exports_both_formats(client, fiona, url_name, deals):
    client.force_login(fiona)
    page = client.get(reverse(url_name)).content.decode()
    assert "export=csv" in page
    assert "export=xlsx" in page
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(url_name), {"export": fmt})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
