"""`seed_demo` for receivables: a ledger that adds up, ~8 % overdue, payers that differ, and
something for finance, a KAM and a director to try."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from receivables import selectors
from receivables.models import (
    Allocation,
    CollectionAction,
    CreditNote,
    CreditOverride,
    CreditProfile,
    Invoice,
    Payment,
)
from team.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def total(queryset, field):
    return sum(queryset.values_list(field, flat=True), D(0))


class TestDemoReceivables:
    def test_the_ledger_adds_up_to_the_cent(self, seeded):
        paid = dict(
            Allocation.objects.values("invoice")
            .annotate(s=Sum("amount"))
            .values_list("invoice", "s")
        )
        for invoice in Invoice.objects.all().iterator():
            assert invoice.paid_total == D(paid.get(invoice.pk, 0)).quantize(D("0.01"))
            assert invoice.open_amount >= 0
        assert not Payment.objects.filter(allocated_total__gt=F("amount")).exists()
        aging = selectors.aging(invoices=Invoice.objects.all(), as_of=timezone.localdate())
        totals = {row.currency: row.total for row in aging.totals}
        assert set(totals) == {"PLN", "EUR"}  # the clients abroad buy in euro
        for currency, aged in totals.items():
            open_sum = (
                total(Invoice.objects.filter(currency=currency), "gross_total")
                - total(CreditNote.objects.filter(currency=currency), "gross_amount")
                - total(Allocation.objects.filter(invoice__currency=currency), "amount")
            )
            assert aged == open_sum

    def test_about_8_percent_of_the_open_amount_is_overdue(self, seeded):
        aging = selectors.aging(invoices=Invoice.objects.all(), as_of=timezone.localdate())
        row = next(row for row in aging.totals if row.currency == "PLN")
        assert 5 <= row.overdue * 100 / row.total <= 12

    def test_24_months_of_invoices_some_from_orders(self, seeded):
        oldest = Invoice.objects.order_by("issue_date").first().issue_date
        assert (timezone.localdate() - oldest).days >= 700
        assert Invoice.objects.filter(order__isnull=False).count() > 100

    def test_accounts_pay_differently_and_a_few_are_on_watch_or_hold(self, seeded):
        statuses = dict(CreditProfile.objects.values_list("status").annotate(n=Count("pk")))
        assert statuses["ok"] > statuses.get("watch", 0) > 0 and statuses["hold"] >= 3
        late_accounts = (
            Allocation.objects.values("invoice__account")
            .annotate(late=Sum("amount", filter=Q(days_late__gt=0)), all=Sum("amount"))
            .filter(late__gt=F("all") / 2)
            .count()
        )
        assert late_accounts > 10

    def test_each_director_has_a_credit_override_waiting(self, seeded):
        for director in User.objects.filter(role="director"):
            assert selectors.overrides_awaiting(director).exists()
        assert CreditOverride.objects.filter(status="pending").count() == 3

    def test_collection_has_calls_and_promises_one_broken_at_least(self, seeded):
        kinds = set(CollectionAction.objects.values_list("kind", "promise_state"))
        assert ("promise", "broken") in kinds and ("promise", "open") in kinds
        assert CreditNote.objects.filter(reason="return").exists()

    def test_the_ledgers_daily_sums_are_filled_for_the_aging_page(self, seeded):
        today = timezone.localdate()
        for user in (
            User.objects.filter(role="finance").first(),
            User.objects.filter(role="kam").order_by("pk").first(),
        ):
            figures = selectors.payment_behaviour(user=user, as_of=today)
            assert figures["PLN"].paid > 0
            assert figures == selectors.behaviour(
                invoices=Invoice.objects.visible_to(user), as_of=today
            )
