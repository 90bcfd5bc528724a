"""Fixtures for the receivables tests.

Personas as everywhere (tests/conftest.py): alice and bob are KAMs in North under dora, charlie
a KAM in South under sam, fiona finance, adam admin. Money is made through the services, as
finance makes it, so the totals and the ledger are what production would hold.
"""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from receivables import services
from receivables.models import Invoice
from tests.factories import AccountFactory

D = Decimal
DAY = date(2026, 9, 1)  # a fixed Tuesday in the past, so no date here moves with the clock


@pytest.fixture(autouse=True)
def default_rates_and_levels(request):
    """The VAT rates and dunning levels of the data migration. A transactional test's flush
    removes them, so every test that uses the database gets them back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    if marker is None or not marker.kwargs.get("transaction"):
        request.getfixturevalue("db")
    importlib.import_module("receivables.migrations.0002_seed_vat_rates_and_dunning_levels").seed(
        apps, None
    )


@pytest.fixture
def issue(fiona):
    """`issue(account, gross, issued=..., due=...)`: an invoice of one line at 0 % VAT, so
    its gross is the amount asked (or `vat="23"` for a line with VAT)."""

    def make(
        account,
        amount: Decimal | str,
        *,
        issued: date = DAY,
        due: date | None = None,
        vat: str = "0",
        currency: str = "PLN",
        number: str = "",
    ) -> Invoice:
        return services.invoice_issue(
            actor=fiona,
            account=account,
            issue_date=issued,
            due_date=due or issued,
            currency=currency,
            number=number,
            lines=[
                services.LineInput(
                    description="Goods", quantity=D(1), unit_price=D(amount), vat_code=vat
                )
            ],
        )

    return make


@pytest.fixture
def pay(fiona):
    """`pay(account, amount, on=...)`: a payment recorded by finance, not allocated."""

    def make(account, amount, *, on: date = DAY, currency: str = "PLN", ref=None):
        return services.payment_record(
            actor=fiona,
            account=account,
            received_on=on,
            amount=D(amount),
            currency=currency,
            external_ref=ref,
        )

    return make


@pytest.fixture
def ledger(fiona, alice, bob, charlie, issue, pay):
    """Invoices from 200 days before DAY to DAY, paid, credited and reversed at dates around
    the days compared."""
    alpha, beta, gamma = (
        AccountFactory(owner=alice, name="Alpha"),
        AccountFactory(owner=bob, name="Beta"),
        AccountFactory(owner=charlie, name="Gamma"),
    )
    ago = lambda n: DAY - timedelta(days=n)  # noqa: E731
    # Alpha: one paid late in two parts, one credited after payment (money taken back).
    a1 = issue(alpha, "1000.00", issued=ago(200), due=ago(170))
    services.payment_allocate(actor=fiona, payment=pay(alpha, "400.00", on=ago(150)))
    services.payment_allocate(actor=fiona, payment=pay(alpha, "600.00", on=ago(40)))
    a2 = issue(alpha, "500.00", issued=ago(100), due=ago(60))  # due 60 days before: an edge
    services.payment_allocate(
        actor=fiona, payment=pay(alpha, "500.00", on=ago(20)), allocations=[(a2, D("500.00"))]
    )
    services.credit_note_issue(
        actor=fiona, invoice=a2, issue_date=ago(10), reason="price", net_amount=D("200.00")
    )
    issue(alpha, "77.77", issued=ago(5), due=DAY + timedelta(days=25))  # not due
    cancelled = issue(alpha, "999.00", issued=ago(50), due=ago(20))
    services.invoice_cancel(actor=fiona, invoice=cancelled, reason="Issued twice")
    # Beta: a payment that bounced; a credit note in full; an invoice in EUR.
    b1 = issue(beta, "300.00", issued=ago(90), due=ago(30))  # due 30 days before: an edge
    bounced = pay(beta, "300.00", on=ago(25))
    services.payment_allocate(actor=fiona, payment=bounced, allocations=[(b1, D("300.00"))])
    services.payment_reverse(actor=fiona, payment=bounced, reversed_on=ago(15), reason="Bounced")
    b2 = issue(beta, "120.00", issued=ago(130), due=ago(121))  # over 120 on DAY
    services.credit_note_issue(
        actor=fiona, invoice=b2, issue_date=ago(3), reason="price", net_amount=D("120.00")
    )
    issue(beta, "250.50", issued=ago(45), due=ago(31), currency="EUR")
    eur = issue(beta, "80.25", issued=ago(70), due=ago(61), currency="EUR")
    services.payment_allocate(
        actor=fiona,
        payment=pay(beta, "50.00", on=ago(1), currency="EUR"),
        allocations=[(eur, D("50.00"))],
    )
    # Gamma (South): issued on DAY, due on DAY; and one overdue a year.
    issue(gamma, "10.01", issued=DAY, due=DAY)
    issue(gamma, "40.00", issued=ago(400), due=ago(365))
    return {"a1": a1}
