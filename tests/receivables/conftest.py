"""Fixtures for the receivables tests.

Personas as everywhere (tests/conftest.py): alice and bob are KAMs in North under dora, charlie
a KAM in South under sam, fiona finance, adam admin. Money is made through the services, as
finance makes it, so the totals and the ledger are what production would hold.
"""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from receivables import services
from receivables.models import Invoice

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
