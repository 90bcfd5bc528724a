"""An order keeps the rate into the reporting currency of the day it came in (issue 13), so
the plan's booked figure converts it at the rate it was made with."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core import rates
from core.models import ExchangeRate
from deals import services

pytestmark = pytest.mark.django_db


def _order(alice, account, **data):
    return services.order_create(
        actor=alice, account=account, data={"requested_date": timezone.localdate(), **data}
    )


def test_an_order_in_the_reporting_currency_is_at_par(alice, alice_account):
    order = _order(alice, alice_account)
    assert (order.reporting_rate, order.reporting_rate_day) == (D(1), timezone.localdate())


def test_a_foreign_order_freezes_the_rate_of_the_day_it_came_in(alice, alice_account):
    yesterday = timezone.localdate() - timedelta(days=1)
    ExchangeRate.objects.create(day=yesterday, currency="EUR", rate=D("4.2655"))
    order = _order(alice, alice_account, currency="EUR")
    ExchangeRate.objects.filter(currency="EUR").update(rate=D("9.9999"))
    order.refresh_from_db()
    assert (order.reporting_rate, order.reporting_rate_day) == (D("4.2655"), yesterday)


def test_a_currency_changed_before_any_line_takes_that_currencys_rate(alice, alice_account):
    ExchangeRate.objects.create(day=timezone.localdate(), currency="EUR", rate=D("4.30"))
    order = _order(alice, alice_account)

    services.order_update(actor=alice, order=order, data={"currency": "EUR"})
    order.refresh_from_db()
    assert order.reporting_rate == D("4.30")

    services.order_update(actor=alice, order=order, data={"currency": "USD"})
    order.refresh_from_db()
    assert (order.reporting_rate, order.reporting_rate_day) == (None, None)


def test_a_rate_entered_later_fills_the_orders_that_had_none(alice, alice_account, fiona):
    waiting = _order(alice, alice_account, currency="EUR")
    assert waiting.reporting_rate is None

    rates.rate_save(actor=fiona, day=timezone.localdate(), currency="EUR", rate=D("4.31"))

    waiting.refresh_from_db()
    assert (waiting.reporting_rate, waiting.reporting_rate_day) == (
        D("4.31"),
        timezone.localdate(),
    )
