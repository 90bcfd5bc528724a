"""Imports from the accounting system: a preview with errors per row, nothing written until
confirmed, and the same file twice changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from receivables.models import Invoice, Payment

D = Decimal

INVOICES_CSV = (
    "number,account_tax_id,issue_date,due_date,currency,description,quantity,unit_price,vat_code\n"
    "FV/IMP/1,{tax},2026-09-01,2026-10-01,PLN,Cable,10,100.00,23\n"
    "FV/IMP/1,{tax},2026-09-01,2026-10-01,PLN,Book,1,10.00,5\n"
    "FV/IMP/2,{tax},2026-09-02,,PLN,Cable,1,50.00,23\n"
)


def upload(client, kind, name, content):
    return client.post(
        reverse("receivables:import"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def confirm(client, response):
    form = response.context["confirm"]
    return client.post(reverse("receivables:import"), {**form.initial})


@pytest.fixture
def finance_client(client, fiona):
    client.force_login(fiona)
    return client


def test_preview_writes_nothing_and_confirm_imports_once(finance_client, alice_account):
    content = INVOICES_CSV.format(tax=alice_account.tax_id).encode()
    preview = upload(finance_client, "invoices", "invoices.csv", content)
    assert preview.status_code == 200 and not Invoice.objects.exists()
    assert [r.action for r in preview.context["preview"].rows] == ["new", "new", "new"]
    confirm(finance_client, preview)
    first = Invoice.objects.get(number="FV/IMP/1")
    assert first.lines.count() == 2 and first.gross_total == D("1240.50")
    assert Invoice.objects.get(number="FV/IMP/2").due_date.isoformat() == "2026-10-02"
    again = upload(finance_client, "invoices", "invoices.csv", content)
    assert [r.action for r in again.context["preview"].rows] == ["skip", "skip", "skip"]
    confirm(finance_client, again)
    assert Invoice.objects.count() == 2


def test_a_bad_row_is_named_and_nothing_is_imported(finance_client, alice_account):
    content = (
        INVOICES_CSV.format(tax=alice_account.tax_id)
        + f"FV/IMP/3,{alice_account.tax_id},2026-09-03,,PLN,Cable,ten,1.00,23\n"
        + "FV/IMP/4,NOPE,2026-13-03,,PLN,Cable,1,1.00,17\n"
    ).encode()
    preview = upload(finance_client, "invoices", "invoices.csv", content)
    rows = preview.context["preview"].rows
    assert "quantity: 'ten' is not a number" in rows[3].errors
    assert any("account_tax_id" in e for e in rows[4].errors)
    assert any("issue_date" in e for e in rows[4].errors)
    assert any("vat_code" in e for e in rows[4].errors)
    assert "Correct the rows with errors" in preview.content.decode()
    assert preview.context["preview"].ok is False
    assert not Invoice.objects.exists()


def test_payments_from_xlsx_are_allocated_to_their_invoice_once(
    finance_client, alice_account, issue
):
    invoice = issue(alice_account, "100.00", number="FV/9")
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "external_ref",
            "account_tax_id",
            "received_on",
            "amount",
            "currency",
            "payer_reference",
            "invoice_number",
        ]
    )
    sheet.append(["BANK-1", alice_account.tax_id, "2026-09-05", 60, "PLN", "FV/9 part", "FV/9"])
    sheet.append(["BANK-2", alice_account.tax_id, "2026-09-06", 15.5, "PLN", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(finance_client, "payments", "bank.xlsx", buffer.getvalue())
    assert preview.context["preview"].ok
    confirm(finance_client, preview)
    confirm(finance_client, upload(finance_client, "payments", "bank.xlsx", buffer.getvalue()))
    assert Payment.objects.count() == 2
    invoice.refresh_from_db()
    assert invoice.paid_total == D("60.00")
    assert Payment.objects.get(external_ref="BANK-2").unallocated == D("15.50")


def test_an_unreadable_or_unknown_file_is_a_form_error(finance_client):
    response = upload(finance_client, "invoices", "invoices.pdf", b"%PDF")
    assert (
        response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()
    )
    response = upload(finance_client, "invoices", "x.csv", b"a,b\n1,2\n")
    assert response.status_code == 400 and "Missing columns" in response.content.decode()


def test_only_finance_imports(client, alice):
    client.force_login(alice)
    assert client.get(reverse("receivables:import")).status_code == 403
