"""The payment behaviour read from the ledger's daily sums (LedgerDay) gives the very figures
of the one read from the ledger (`behaviour` over the allocations and invoices, kept as the
reference), to the cent, on the ledger of every edge (tests/receivables/conftest.py: later
payments, a credit note taking money back, a reversed payment, a cancelled invoice, two
currencies, three KAMs in two territories), on 23 days, for every role; and the sums the
services wrote are the ones a rebuild from the ledger gives."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from accounts.models import Account
from receivables import selectors, services
from receivables.models import LEDGER_DAY_SUMS, Invoice, LedgerDay
from receivables.selectors.aging import behaviour, payment_behaviour
from team.models import Role
from tests.factories import UserFactory
from tests.receivables.conftest import DAY
from tests.receivables.test_aging_rewrite import DAYS
from tests.receivables.test_imports import INVOICES_CSV, confirm, upload

D = Decimal


def _rows():
    """The rows with something in them (a cancellation or a reversal leaves zeros)."""
    rows = LedgerDay.objects.values_list("account_id", "day", "currency", *LEDGER_DAY_SUMS)
    return sorted((r for r in rows if any(r[3:])), key=lambda r: (r[0] or 0, r[1], r[2]))


@pytest.mark.parametrize("window_days", [90, 30, 400])
def test_the_daily_sums_give_the_ledgers_figures_on_every_day_for_every_role(
    ledger, personas, window_days
):
    for user in personas.values():
        invoices = Invoice.objects.visible_to(user)
        for day in DAYS:
            assert payment_behaviour(user=user, as_of=day, window_days=window_days) == behaviour(
                invoices=invoices, as_of=day, window_days=window_days
            ), (user, day)


def test_the_comparison_is_of_real_figures(ledger, fiona, alice):
    """Worked by hand: Alpha's 400 (20 days late), 600 (130 late) and 500 (40 late) in the
    year to DAY; Beta's bounced 300 left out; EUR 50 (60 days late)."""
    pln = payment_behaviour(user=fiona, as_of=DAY)["PLN"]
    assert pln.paid == D("1500.00")
    assert pln.days_late == D("70.7")  # (400*20 + 600*130 + 500*40) / 1500
    assert pln.on_time_share == D("0.0")
    assert pln.invoiced == D("87.78")  # 77.77 + 10.01 in the 90 days (the 999 was cancelled)
    assert payment_behaviour(user=fiona, as_of=DAY)["EUR"].paid == D("50.00")
    assert payment_behaviour(user=alice, as_of=DAY)["PLN"].paid == D("1500.00")
    assert "EUR" not in payment_behaviour(user=alice, as_of=DAY)


def test_what_the_services_wrote_is_what_a_rebuild_gives(ledger):
    written = _rows()
    assert written
    company = {(d, c): s for a, d, c, *s in written if a is None}
    by_accounts = (
        LedgerDay.objects.filter(account__isnull=False)
        .values("day", "currency")
        .annotate(**{f"s_{c}": Sum(c) for c in LEDGER_DAY_SUMS})
    )
    for row in by_accounts:
        sums = [row[f"s_{c}"] for c in LEDGER_DAY_SUMS]
        if any(sums):
            assert company[(row["day"], row["currency"])] == sums
    assert services.ledger_days_rebuild() == len(written)
    assert _rows() == written


def test_an_account_moved_to_another_kam_takes_its_figures_along(ledger, alice, bob, dora):
    Account.objects.filter(name="Alpha").update(owner=bob)
    for user in (alice, bob, dora):
        for day in (DAY, DAY - timedelta(days=41)):
            assert payment_behaviour(user=user, as_of=day) == behaviour(
                invoices=Invoice.objects.visible_to(user), as_of=day
            )
    assert payment_behaviour(user=alice, as_of=DAY) == {}


def test_beside_the_aging_it_is_one_query(ledger, fiona, alice, django_assert_num_queries):
    for user in (fiona, alice):
        report = selectors.aging(invoices=Invoice.objects.visible_to(user), as_of=DAY)
        with django_assert_num_queries(1):
            payment_behaviour(user=user, as_of=DAY, report=report)


def test_a_user_who_sees_nothing_gets_nothing(ledger):
    nobody = UserFactory(username="nobody", role=Role.KAM, is_active=False)
    assert payment_behaviour(user=nobody, as_of=DAY) == {}


def test_inside_a_batch_the_day_rows_wait_for_its_end_then_hold_what_a_rebuild_gives(
    fiona, alice_account, issue, pay
):
    """An import's sums are added in one sorted pass at its end (no day's company row held
    from its first line on); what is added is what the services would have written."""
    before = _rows()
    with transaction.atomic(), services.ledger_days_batched():
        first = issue(alice_account, "300.00", issued=DAY - timedelta(days=40))
        second = issue(alice_account, "200.00", issued=DAY - timedelta(days=20))
        payment = pay(alice_account, "450.00", on=DAY - timedelta(days=5))
        services.payment_allocate(
            actor=fiona, payment=payment, allocations=[(first, D("300.00")), (second, D("150.00"))]
        )
        assert _rows() == before
    written = _rows()
    days = {(a, d) for a, d, *_ in written}
    assert {(alice_account.pk, first.issue_date), (None, payment.received_on)} <= days
    services.ledger_days_rebuild()
    assert _rows() == written


def test_a_file_import_adds_its_days_as_the_services_do(client, fiona, alice_account):
    client.force_login(fiona)
    preview = upload(
        client, "invoices", "i.csv", INVOICES_CSV.format(tax=alice_account.tax_id).encode()
    )
    confirm(client, preview)
    written = _rows()
    assert [(a, d.isoformat(), s[0]) for a, d, c, *s in written] == [
        (None, "2026-09-01", D("1240.50")),
        (None, "2026-09-02", D("61.50")),
        (alice_account.pk, "2026-09-01", D("1240.50")),
        (alice_account.pk, "2026-09-02", D("61.50")),
    ]
    services.ledger_days_rebuild()
    assert _rows() == written
