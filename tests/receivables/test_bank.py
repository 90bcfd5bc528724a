"""MT940 statements: transfers naming an invoice become allocated payments, the rest wait for
finance, and a statement imported twice adds nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from receivables.models import BankLine, Payment

D = Decimal
STATEMENT = """:20:STARTUMSE
:25:10020030/1234567
:28C:00001/001
:60F:C260901PLN1000,00
:61:2609010901C1230,00NTRFNONREF//BANK-REF-1
:86:PRZELEW ZAPLATA ZA FV/9 ALPHA FOODS
:61:2609010901C500,00NTRFNONREF//BANK-REF-2
:86:PRZELEW BEZ NUMERU
:61:2609010901D100,00NTRFNONREF//BANK-REF-3
:86:OPLATA
:62F:C260901PLN2630,00
-
"""


@pytest.fixture
def finance_client(client, fiona):
    client.force_login(fiona)
    return client


def upload(client, content: str):
    return client.post(
        reverse("receivables:bank"),
        {"file": SimpleUploadedFile("statement.sta", content.encode())},
    )


def test_a_statement_pays_the_invoices_it_names_and_queues_the_rest(
    finance_client, alice_account, issue
):
    invoice = issue(alice_account, "1000.00", number="FV/9")
    response = upload(finance_client, STATEMENT)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    payment = Payment.objects.get(external_ref="MT940:BANK-REF-1")
    assert payment.unallocated == D("230.00")  # the rest stays the client's credit
    assert list(BankLine.objects.values_list("status", flat=True).order_by("pk")) == [
        "matched",
        "waiting",
    ]
    upload(finance_client, STATEMENT)
    assert BankLine.objects.count() == 2 and Payment.objects.count() == 1


def test_finance_says_whose_a_waiting_line_is(finance_client, alice_account, issue):
    upload(finance_client, STATEMENT)
    line = BankLine.objects.get(status="waiting", title="PRZELEW BEZ NUMERU")
    page = finance_client.get(reverse("receivables:bank")).content.decode()
    assert "PRZELEW BEZ NUMERU" in page
    response = finance_client.post(
        reverse("receivables:bank_line_assign", args=[line.pk]), {"account": alice_account.tax_id}
    )
    payment = Payment.objects.get(external_ref=line.external_ref)
    assert response["Location"] == reverse("receivables:payment_detail", args=[payment.pk])
    assert payment.account == alice_account and payment.amount == D("500.00")
    line.refresh_from_db()
    assert line.status == "assigned"


def test_a_damaged_statement_is_a_form_error(finance_client):
    response = upload(finance_client, "this is not MT940")
    assert response.status_code == 400 and "No transactions found" in response.content.decode()
    assert not BankLine.objects.exists()


def test_only_finance_imports_statements(client, alice):
    client.force_login(alice)
    assert client.get(reverse("receivables:bank")).status_code == 403
