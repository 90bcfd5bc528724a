"""Exchange rates: conversion at the document's date, the rate shown, a missing rate said."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.models import ExchangeRate
from core.money import convert, convert_totals
from core.rates import rates_import
from deals.selectors import deal_board
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 11, 27)
SUNDAY = date(2026, 11, 29)


@pytest.fixture
def rates():
    ExchangeRate.objects.create(day=FRIDAY, currency="EUR", rate=Decimal("4.2655"))
    ExchangeRate.objects.create(day=date(2026, 11, 20), currency="EUR", rate=Decimal("4.3000"))
    ExchangeRate.objects.create(day=FRIDAY, currency="USD", rate=Decimal("3.6500"))


def test_an_amount_is_converted_at_the_rate_of_its_own_date(rates):
    converted = convert(Decimal("1000"), "EUR", on=FRIDAY)
    assert converted.amount == Decimal("4265.50") and converted.currency == "PLN"
    assert [(r.currency, r.rate, r.day) for r in converted.rates] == [
        ("EUR", Decimal("4.2655"), FRIDAY)
    ]
    earlier = convert(Decimal("1000"), "EUR", on=date(2026, 11, 21))
    assert earlier.amount == Decimal("4300.00")


def test_a_weekend_takes_the_last_working_days_rate(rates):
    assert convert(Decimal("10"), "EUR", on=SUNDAY).rates[0].day == FRIDAY


def test_a_missing_rate_makes_the_figure_missing_rather_than_guessed(rates):
    converted = convert_totals(
        {"PLN": Decimal("100"), "EUR": Decimal("10"), "GBP": Decimal("5")}, on=FRIDAY
    )
    assert converted.amount is None and not converted.complete
    assert converted.missing == ("GBP",)
    too_old = convert(Decimal("10"), "EUR", on=date(2027, 1, 15))
    assert too_old.amount is None and too_old.missing == ("EUR",)


def test_totals_in_several_currencies_add_up_in_the_reporting_currency(rates):
    converted = convert_totals(
        {"PLN": Decimal("100"), "EUR": Decimal("10"), "USD": Decimal("2")}, on=FRIDAY
    )
    assert converted.amount == Decimal("100") + Decimal("42.66") + Decimal("7.30")


def test_a_rate_into_another_currency_is_inverted(rates):
    converted = convert(Decimal("4265.50"), "PLN", on=FRIDAY, to="EUR")
    assert converted.amount == Decimal("1000.00")


NBP = (
    "data;1USD;1EUR;100HUF;1GBP;nr tabeli;pełny numer tabeli\n"
    ";dolar amerykański;euro;forint;funt szterling;;\n"
    "20261127;3,6500;4,2655;1,0950;4,6012;230;230/A/NBP/2026\n"
    "20261130;3,6612;4,2701;1,0961;4,6100;231;231/A/NBP/2026\n"
)


def test_finance_imports_the_nbp_table_a(fiona):
    result = rates_import(actor=fiona, content=NBP.encode("cp1250"))
    assert result.errors == [] and result.saved == 6  # HUF is not a currency the CRM keeps
    euro = ExchangeRate.objects.get(day=date(2026, 11, 30), currency="EUR")
    assert euro.rate == Decimal("4.270100") and euro.source == "NBP A 231"
    assert convert(Decimal("1"), "GBP", on=date(2026, 11, 28)).amount == Decimal("4.60")


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(fiona):
    content = "day,currency,rate\n2026-11-27,EUR,4.26\n2026-11-30,EUR,four\n"
    result = rates_import(actor=fiona, content=content.encode())
    assert result.saved == 0 and len(result.errors) == 1 and "3" in result.errors[0]
    assert not ExchangeRate.objects.exists()


def test_only_finance_enters_rates(alice):
    with pytest.raises(PermissionDenied):
        rates_import(actor=alice, content=b"day,currency,rate\n2026-11-27,EUR,4.26\n")


def test_the_rates_page_takes_a_rate_with_a_decimal_comma(client, fiona):
    fiona.language = "pl"
    fiona.save(update_fields=["language"])
    client.force_login(fiona)
    response = client.post(
        reverse("rates"),
        {"rate": "1", "day": "2026-11-27", "currency": "EUR", "rate_value": "", "source": ""}
        | {"rate": "4,2655"},
        follow=True,
    )
    assert "Kurs zapisany." in response.content.decode()
    assert ExchangeRate.objects.get().rate == Decimal("4.2655")


def test_a_kam_reads_the_rates_but_cannot_post_them(client, alice):
    client.force_login(alice)
    assert client.get(reverse("rates")).status_code == 200
    response = client.post(reverse("rates"), {"rate": "4,2", "day": "2026-11-27"})
    assert response.status_code == 403


def test_the_pipeline_shows_one_figure_with_its_rates_or_says_a_rate_is_missing(
    client, alice, rates
):
    from deals.models import Deal

    account = AccountFactory(owner=alice)
    for amount, currency in (("1000", "PLN"), ("100", "EUR")):
        Deal.objects.create(
            account=account,
            owner=alice,
            title=currency,
            amount=amount,
            currency=currency,
            probability=50,
        )
    ExchangeRate.objects.create(day=timezone.localdate(), currency="EUR", rate=Decimal("4.0000"))
    board = deal_board(user=alice)
    assert board.open_amount == {"EUR": Decimal("100.00"), "PLN": Decimal("1000.00")}
    assert board.open_converted.amount == Decimal("1400.00")
    alice.language = "pl"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get(reverse("deals:board")).content.decode()
    assert "1\u00a0400\u00a0zł" in page and "1 EUR = 4,0000 PLN" in page
    ExchangeRate.objects.filter(day=timezone.localdate()).delete()
    Deal.objects.create(
        account=account, owner=alice, title="GBP", amount="5", currency="GBP", probability=50
    )
    page = client.get(reverse("deals:board")).content.decode()
    assert "Brak sumy w PLN: brak kursu" in page and "GBP" in page
