"""The invoice and payment lists answer like the others: totals per currency of the whole
filtered set, CSV/XLSX exports of the rows the user may see, saved views."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

INVOICES = reverse("receivables:invoice_list")
PAYMENTS = reverse("receivables:payment_list")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_invoice_totals_are_per_currency_over_the_whole_filtered_set(
    client, fiona, alice, alice_account, charlie_account, issue
):
    issue(alice_account, "100.00")
    issue(alice_account, "50.50")
    issue(charlie_account, "70.00", currency="EUR")
    client.force_login(fiona)
    totals = {t.currency: (t.count, t.amount) for t in client.get(INVOICES).context["totals"]}
    assert totals == {"PLN": (2, Decimal("150.50")), "EUR": (1, Decimal("70.00"))}
    client.force_login(alice)
    totals = {t.currency: (t.count, t.amount) for t in client.get(INVOICES).context["totals"]}
    assert totals == {"PLN": (2, Decimal("150.50"))}  # only her accounts'


def test_invoice_export_holds_the_users_rows_with_numbers_as_numbers(
    client, alice, alice_account, charlie_account, issue
):
    mine = issue(alice_account, "100.00")
    theirs = issue(charlie_account, "70.00")
    client.force_login(alice)
    rows = list(
        csv.reader(io.StringIO(body(client.get(INVOICES, {"export": "csv"})).decode("utf-8-sig")))
    )
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [mine.number]
    assert theirs.number not in numbers
    sheet = load_workbook(io.BytesIO(body(client.get(INVOICES, {"export": "xlsx"})))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[0][0] == mine.number
    assert values[0][6] == 100  # gross, a number


def test_payment_export_neutralises_formulas(client, fiona, alice_account, pay):
    payment = pay(alice_account, "30.00")
    payment.payer_reference = "=HYPERLINK(1)"
    payment.save(update_fields=["payer_reference"])
    client.force_login(fiona)
    rows = list(
        csv.reader(io.StringIO(body(client.get(PAYMENTS, {"export": "csv"})).decode("utf-8-sig")))
    )
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert Decimal(rows[1][3]) == Decimal("30.00")


def test_yes_no_filters_offer_any_not_unknown(client, fiona):
    client.force_login(fiona)
    for url in (INVOICES, PAYMENTS):
        page = client.get(url).content.decode()
        assert "Unknown" not in page
        assert "---------" not in page


def numbers(response) -> list[str]:
    return [invoice.number for invoice in response.context["page"]]


def test_invoices_default_to_overdue_first_then_the_oldest_due(client, fiona, alice_account, issue):
    today = timezone.localdate()
    issued = today - timedelta(days=60)
    later = issue(alice_account, "10.00", issued=issued, due=today + timedelta(days=20))
    soon = issue(alice_account, "10.00", issued=issued, due=today + timedelta(days=5))
    overdue_a_little = issue(alice_account, "10.00", issued=issued, due=today - timedelta(days=3))
    overdue_long = issue(alice_account, "10.00", issued=issued, due=today - timedelta(days=40))
    client.force_login(fiona)
    response = client.get(INVOICES)
    assert numbers(response) == [
        overdue_long.number,
        overdue_a_little.number,
        soon.number,
        later.number,
    ]
    assert "overdue first, then by due date, oldest first" in response.content.decode()


def test_invoice_header_sorts_and_a_second_click_reverses(
    client, fiona, alice_account, charlie_account, issue
):
    small = issue(alice_account, "10.00")
    big = issue(charlie_account, "99.00")
    client.force_login(fiona)
    response = client.get(INVOICES, {"open": "true", "ordering": "-amount"})
    assert numbers(response) == [big.number, small.number]
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert "?open=true&amp;ordering=amount" in page  # the header reverses, the filter stays
    assert numbers(client.get(INVOICES, {"ordering": "amount"})) == [small.number, big.number]


def test_payments_default_to_the_newest_and_sort_by_amount(client, fiona, alice_account, pay):
    today = timezone.localdate()
    old = pay(alice_account, "90.00", on=today - timedelta(days=9))
    new = pay(alice_account, "5.00", on=today)
    client.force_login(fiona)
    response = client.get(PAYMENTS)
    assert [p.pk for p in response.context["page"]] == [new.pk, old.pk]
    assert "newest first" in response.content.decode()
    response = client.get(PAYMENTS, {"ordering": "-amount"})
    assert [p.pk for p in response.context["page"]] == [old.pk, new.pk]
    assert 'aria-sort="descending"' in response.content.decode()
