"""Helpers for the commission ledger tests: periods calculated by finance, scheme tweaks."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from commissions.models import (
    CommissionEntry,
    CommissionPeriod,
    CommissionScheme,
    SalesPlan,
    SchemeAssignment,
    SchemeVersion,
    Statement,
)
from commissions.services import periods
from receivables import services
from receivables.models import Invoice

D = Decimal
SEPT, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture(autouse=True)
def default_schemes(request):
    """The schemes of the data migration; a transactional test's flush removes them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        yield
        return
    transactional = marker is not None and marker.kwargs.get("transaction")
    if not transactional:
        request.getfixturevalue("db")
    importlib.import_module("commissions.migrations.0004_ledger_triggers_and_default_schemes").seed(
        apps, None
    )
    yield
    if transactional:
        # The flush after a transactional test DELETEs every row on SQLite, which the closed
        # period's triggers refuse (TRUNCATE on PostgreSQL fires no row trigger): open them.
        CommissionPeriod.objects.update(status="open")


def standard() -> SchemeVersion:
    return SchemeVersion.objects.get(scheme__code="standard")


@pytest.fixture
def on_invoice(db):
    """The default scheme earning on invoice rather than on payment."""
    SchemeVersion.objects.filter(scheme__code="standard").update(earned_on="invoice")


def margin_for(kam, on=date(2000, 1, 1), earned_on="invoice"):
    SchemeVersion.objects.filter(scheme__code="margin").update(earned_on=earned_on)
    return SchemeAssignment.objects.create(
        scheme=CommissionScheme.objects.get(code="margin"), kam=kam, valid_from=on
    )


def plan(kam, month, target):
    return SalesPlan.objects.create(kam=kam, month=month, revenue_target=D(target))


def calculate(actor, month):
    return periods.period_calculate(actor=actor, period=periods.period_get_or_create(month=month))


def close(actor, month):
    return periods.period_close(actor=actor, period=periods.period_get_or_create(month=month))


def entries(kam, month=None):
    qs = CommissionEntry.objects.filter(kam=kam).order_by("period__month", "on_date", "pk")
    if month is not None:
        qs = qs.filter(period__month=month)
    return list(qs)


def total(kam, month) -> Decimal:
    return sum((e.amount for e in entries(kam, month)), D(0))


def statement(kam, month) -> Statement:
    return Statement.objects.get(kam=kam, period__month=month)


def invoice_lines(fiona, account, *lines, issued=SEPT, contract=None, vat="0") -> Invoice:
    """An invoice of (price, cost) lines at 0 % VAT."""
    return services.invoice_issue(
        actor=fiona,
        account=account,
        issue_date=issued,
        due_date=issued,
        currency="PLN",
        contract=contract,
        lines=[
            services.LineInput(
                description="Goods",
                quantity=D(1),
                unit_price=D(price),
                unit_cost=D(cost),
                vat_code=vat,
            )
            for price, cost in lines
        ],
    )


def pay_invoice(fiona, pay, invoice, amount, on):
    payment = pay(invoice.account, amount, on=on)
    services.payment_allocate(actor=fiona, payment=payment, allocations=[(invoice, D(amount))])
    return payment
