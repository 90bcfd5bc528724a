"""The account list's export, totals and sortable headers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exports import cell_value
from tests.factories import AccountFactory

URL = reverse("accounts:list")


def test_export_has_only_the_accounts_the_kam_owns(client, alice, alice_account, bob_account):
    client.force_login(alice)
    response = client.get(URL, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Alpha Foods"]
    assert rows[1][11] == "1000000.00"


def test_export_follows_the_search(client, dora, alice_account, bob_account):
    client.force_login(dora)
    response = client.get(URL, {"q": "beta", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Beta Retail" in body
    assert "Alpha Foods" not in body


def test_potential_is_totalled_per_currency(client, alice, alice_account):
    AccountFactory(owner=alice, potential_amount=Decimal("10.00"), currency="EUR")
    AccountFactory(owner=alice, potential_amount=None)
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "10.00 EUR" in page
    assert "1,000,000.00 PLN" in page


def test_name_header_sorts_both_ways(client, alice, alice_account):
    AccountFactory(owner=alice, name="Zeta")
    client.force_login(alice)
    names = [a.name for a in client.get(URL, {"ordering": "-name"}).context["page"]]
    assert names == ["Zeta", "Alpha Foods"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+48 600 100 200", "'+48 600 100 200"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain", "Plain"),
        (Decimal("-2.50"), Decimal("-2.50")),
        (None, ""),
        (True, "yes"),
    ],
)
def test_cells_are_safe_for_spreadsheets(value, written):
    assert cell_value(value) == written
