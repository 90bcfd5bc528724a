"""Numbers and texts over their limits: refused with a message in plain words that names the
limit (no "digits in total", no silent cut by the browser, no 500), on pages and in the API;
the input is kept."""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from core.number_limits import largest_decimal
from deals.models import Deal

JARGON = ("digits in total", "before the decimal point", "String value", "max_digits")


def test_largest_decimal():
    assert largest_decimal(14, 2) == Decimal("999999999999.99")
    assert largest_decimal(12, 3) == Decimal("999999999.999")
    assert largest_decimal(5, 0) == Decimal("99999")
    assert largest_decimal(2, 2) == Decimal("0.99")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1234567890123.5", "Enter a number of at most 999,999,999,999.99."),
        ("10.125", "Use at most 2 digits after the decimal point."),
    ],
)
def test_a_form_says_the_largest_number_in_plain_words(
    client, alice, alice_account, typed, message
):
    client.force_login(alice)
    response = client.post(
        reverse("deals:deal_create"),
        {"account": alice_account.pk, "title": "Big one", "amount": typed, "currency": "PLN"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page  # shown back as typed
    assert not any(word in page for word in JARGON)
    assert not Deal.objects.exists()


def test_a_long_text_is_refused_with_its_limit_and_not_cut_by_the_browser(
    client, alice, alice_account
):
    client.force_login(alice)
    form_page = client.get(reverse("deals:deal_create")).content.decode()
    assert " maxlength=" not in form_page
    assert 'data-maxlength="200"' in form_page
    title = "x" * 201
    response = client.post(
        reverse("deals:deal_create"),
        {"account": alice_account.pk, "title": title, "amount": "10", "currency": "PLN"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 200 characters (it has 201)" in page
    assert title in page  # kept, to shorten
    assert not Deal.objects.exists()


def test_a_hidden_field_and_a_plain_form_keep_working():
    class Small(forms.Form):
        name = forms.CharField(max_length=5)

    form = Small(data={"name": "toolong"})
    assert not form.is_valid()
    assert "at most 5 characters" in form.errors["name"][0]
    assert " maxlength=" not in str(form["name"])


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1234567890123.5", "Enter a number of at most 999,999,999,999.99."),
        ("10.125", "Use at most 2 digits after the decimal point."),
        ("9" * 2000, "That number is too long; enter a shorter one."),
    ],
)
def test_the_api_says_the_same(api_as, alice_account, amount, message):
    response = api_as("alice").post(
        "/api/v1/deals/",
        {"account": alice_account.pk, "title": "Big", "amount": amount, "currency": "PLN"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["amount"] == [message]
    assert not Deal.objects.exists()


def test_the_api_refuses_a_long_text_with_its_limit(api_as, alice_account):
    response = api_as("alice").post(
        "/api/v1/deals/",
        {"account": alice_account.pk, "title": "x" * 201, "amount": "1", "currency": "PLN"},
        format="json",
    )
    assert response.status_code == 400
    assert "no more than 200 characters" in response.json()["title"][0]


def test_a_model_full_clean_says_it_plainly_too(alice_account):
    from django.core.exceptions import ValidationError

    deal = Deal(account=alice_account, owner=alice_account.owner, title="X", amount=Decimal("1e13"))
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert error.value.message_dict["amount"] == ["Enter a number of at most 999,999,999,999.99."]
