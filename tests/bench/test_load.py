"""The benchmark's COPY loader: the rows it promises, valid for every constraint, pages open."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Account, Contact
from activities.models import Activity
from bench import load, money_cases
from commissions.models import AccountClass, CommissionEntry, CommissionPeriod
from commissions.services import periods
from deals.models import OfferLine, OrderLine
from receivables.models import Allocation, CreditNote, Invoice, InvoiceStatus, Payment
from team.models import User

TINY = load.Profile(
    territories=2,
    kams_per_territory=2,
    accounts=40,
    contacts_per_account=3,
    lines=400,
    activities=200,
    invoices=300,
)


@pytest.fixture
def loaded(requires_postgres, db):
    return load.load(profile=TINY)


def test_the_loader_writes_the_profile(loaded):
    assert (Account.objects.count(), Contact.objects.count()) == (40, 120)
    # About the target: which deals get offers and how many lines a document has are drawn
    # (at this size the draws swing by a tenth; at the large profile's by a few thousandths).
    assert 340 <= OfferLine.objects.count() < 410 and 340 <= OrderLine.objects.count() < 410
    assert Activity.objects.count() == 200
    assert User.objects.filter(role="kam").count() == 4
    assert loaded["offer lines"] == OfferLine.objects.count()


def test_every_foreign_key_it_wrote_points_at_a_row(loaded):
    # COPY ran without the foreign-key triggers; check what they would have.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and model.objects.exists():
                targets = field.related_model.objects.values("pk")
                orphans = model.objects.exclude(**{f"{field.attname}__isnull": True}).exclude(
                    **{f"{field.attname}__in": targets}
                )
                assert not orphans.exists(), f"{model.__name__}.{field.name}"


def test_the_pages_open_and_new_rows_get_fresh_ids(loaded, client):
    client.force_login(User.objects.get(username="director1"))
    for name in ("deals:board", "deals:deal_list", "accounts:list", "activities:list"):
        assert client.get(reverse(name)).status_code == 200, name
    kam = User.objects.filter(role="kam").first()
    account = Account.objects.create(name="New", territory_id=kam.territory_id, owner=kam)
    assert account.pk == 41


def test_the_money_ledger_adds_up_as_the_services_would_write_it(loaded):
    assert 280 <= Invoice.objects.count() <= 320
    for invoice in Invoice.objects.prefetch_related("allocations", "credit_notes", "lines"):
        paid = sum(a.amount for a in invoice.allocations.all())
        credited = sum(c.gross_amount for c in invoice.credit_notes.all())
        lines = list(invoice.lines.all())
        assert (invoice.paid_total, invoice.credited_total) == (paid, credited), invoice
        assert invoice.net_total == sum(line.net_amount for line in lines), invoice
        assert invoice.cost_total == sum(line.cost_amount for line in lines), invoice
        assert invoice.credited_to_id == invoice.account.owner_id
        open_amount = invoice.gross_total - credited - paid
        expected = (
            InvoiceStatus.PAID
            if paid and not open_amount
            else InvoiceStatus.PARTIALLY_PAID
            if paid
            else InvoiceStatus.CREDITED
            if not open_amount
            else InvoiceStatus.ISSUED
        )
        assert invoice.status == expected, invoice
    for payment in Payment.objects.prefetch_related("allocations"):
        assert payment.allocated_total == sum(a.amount for a in payment.allocations.all())
    late = Allocation.objects.filter(days_late__gt=0).select_related("invoice").first()
    assert late.days_late == (late.effective_on - late.invoice.due_date).days
    assert CreditNote.objects.exists() and set(
        Invoice.objects.values_list("reporting_rate", flat=True)
    ) == {1}


def test_the_apps_services_compute_the_rest_and_a_second_calculation_changes_nothing(loaded):
    load.derived()
    assert AccountClass.objects.count() == Account.objects.count()
    period = CommissionPeriod.objects.get()
    first = sorted(CommissionEntry.objects.values_list("source_key", "amount"))
    assert first
    periods.period_calculate(actor=User.objects.get(username="finance"), period=period)
    assert sorted(CommissionEntry.objects.values_list("source_key", "amount")) == first


def test_the_commission_reference_sql_gives_the_services_entries(loaded):
    load.derived()
    period = CommissionPeriod.objects.get()
    params = money_cases.commission_params(month=period.month)
    by_sql, by_service, same = money_cases.commission_sql_compare(period=period, params=params)
    assert by_sql == by_service == same > 0
