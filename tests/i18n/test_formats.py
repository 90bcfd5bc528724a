"""Numbers, dates and money in the user's language; input with a decimal comma; exports stay
machine-readable."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

from core.exports import Column, export_response
from core.numbers import format_money
from deals.models import Deal

NBSP = "\u00a0"


class AmountForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    day = forms.DateField()


def test_money_is_written_the_users_way():
    with translation.override("pl"):
        assert format_money(Decimal("1234567.891"), "PLN") == f"1{NBSP}234{NBSP}567,89{NBSP}zł"
        assert format_money(Decimal("80"), "EUR") == f"80,00{NBSP}€"
    with translation.override("en"):
        assert format_money(Decimal("1234567.891"), "PLN") == f"PLN{NBSP}1,234,567.89"
        assert format_money(Decimal("80"), "EUR") == f"EUR{NBSP}80.00"


def test_the_money_tag_and_totals_follow_the_language():
    template = Template(
        '{% load money %}{{ amount|money:"PLN" }} | '
        '{% include "includes/money_totals.html" with totals=totals places="0g" %}'
    )
    context = Context({"amount": Decimal("1500.5"), "totals": {"EUR": Decimal("10.4")}})
    with translation.override("pl"):
        assert template.render(context).strip() == f"1{NBSP}500,50{NBSP}zł | 10{NBSP}€"
    with translation.override("en"):
        assert template.render(context).strip() == f"PLN{NBSP}1,500.50 | EUR{NBSP}10"


def test_dates_are_written_the_users_way():
    day = date(2026, 12, 1)
    with translation.override("pl"):
        assert formats.date_format(day) == "1 grudnia 2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    with translation.override("en"):
        assert formats.date_format(day) == "1 December 2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("pl", "1 234,5", Decimal("1234.5")),
        ("pl", f"1{NBSP}234{NBSP}567,89", Decimal("1234567.89")),
        ("pl", "12,50", Decimal("12.5")),
        ("pl", "12.50", Decimal("12.5")),
        ("en", "1,234.5", Decimal("1234.5")),
        ("en", "12.50", Decimal("12.5")),
    ],
)
def test_forms_read_numbers_as_the_language_writes_them(language, typed, expected):
    with translation.override(language):
        form = AmountForm({"amount": typed, "day": "2026-12-01"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == expected


@pytest.mark.parametrize(
    ("language", "typed"), [("pl", "1.234,5"), ("pl", "1.234"), ("en", "1,5"), ("en", "1.234,5")]
)
def test_an_ambiguous_number_is_refused_with_a_clear_message(language, typed):
    with translation.override(language):
        form = AmountForm({"amount": typed, "day": "2026-12-01"})
        assert not form.is_valid()
        message = form.errors["amount"][0]
    if language == "pl":
        assert message.startswith(f"„{typed}” można odczytać na dwa sposoby")
        assert "przecinkiem" in message
    else:
        assert message.startswith(f"“{typed}” could be read two ways")


def test_polish_dates_are_accepted_as_typed():
    with translation.override("pl"):
        form = AmountForm({"amount": "1,5", "day": "01.12.2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == date(2026, 12, 1)


def test_a_decimal_field_is_a_text_box_showing_the_users_decimal_comma():
    with translation.override("pl"):
        html = str(AmountForm(initial={"amount": Decimal("1234.50")})["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="1234,50"' in html


@pytest.mark.django_db
def test_a_polish_kam_saves_a_deal_amount_with_a_decimal_comma(client, alice, alice_account):
    alice.language = "pl"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.post(
        reverse("deals:deal_create"),
        {
            "account": alice_account.pk,
            "title": "Dostawy 2027",
            "stage": "research",
            "amount": "12 500,50",
            "currency": "PLN",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Deal.objects.get(title="Dostawy 2027").amount == Decimal("12500.50")


@pytest.mark.django_db
def test_a_polish_kam_typing_an_ambiguous_amount_keeps_the_form_and_gets_told(
    client, alice, alice_account
):
    alice.language = "pl"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.post(
        reverse("deals:deal_create"),
        {
            "account": alice_account.pk,
            "title": "Dostawy 2027",
            "stage": "research",
            "amount": "12.500,50",
            "currency": "PLN",
        },
    )
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "można odczytać na dwa sposoby" in body
    assert 'value="Dostawy 2027"' in body
    assert not Deal.objects.exists()


def test_exports_keep_machine_numbers_with_localised_headings():
    from django.utils.translation import gettext_lazy as _

    columns = [Column(_("Amount"), "amount"), Column(_("Currency"), "currency")]

    class Row:
        amount = Decimal("1234567.89")
        currency = "PLN"

    with translation.override("pl"):
        response = export_response(rows=[Row()], columns=columns, filename="x", fmt="csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Kwota", "Waluta"]
    assert rows[1] == ["1234567.89", "PLN"]
