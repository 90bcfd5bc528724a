"""`manage.py seed_demo`: the demo team, accounts on a Pareto curve, dossiers, determinism."""

import hashlib
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import accounts.demo
from accounts.models import Account, Contact, ContactRelation, DossierNote
from commissions.models import TierOverride
from team.models import Role, User

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    rows = [
        *Account.objects.order_by("pk").values_list(
            "name", "tax_id", "potential_amount", "tier", "status", "owner__username"
        ),
        *Contact.objects.order_by("pk").values_list(
            "account__name", "first_name", "last_name", "position", "influence"
        ),
        *ContactRelation.objects.order_by("pk").values_list(
            "from_contact__last_name", "to_contact__last_name", "kind"
        ),
        *DossierNote.objects.order_by("pk").values_list("account__name", "noted_on", "text"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def digest_of_a_run(*args: str) -> str:
    """Seed, take the digest, and roll the data back so the next run starts from empty."""
    with transaction.atomic():
        seed(*args)
        result = digest()
        transaction.set_rollback(True)
    return result


class TestScaleOne:
    """The default seed (loaded once for the whole run, tests/conftest.py), one property each."""

    def test_creates_directors_kams_finance_and_admin(self, demo_seed):
        users = {u.username: u for u in User.objects.select_related("territory", "reports_to")}
        assert len(users) == 17
        for number, territory in enumerate(["Północ", "Południe", "Zachód"], start=1):
            director = users[f"director{number}"]
            assert (director.role, director.territory.name) == (Role.DIRECTOR, territory)
            for kam_number in range(4 * number - 3, 4 * number + 1):
                kam = users[f"kam{kam_number}"]
                assert kam.role == Role.KAM
                assert kam.territory == director.territory
                assert kam.reports_to == director
        assert (users["finance"].role, users["finance"].territory) == (Role.FINANCE, None)
        admin = users["admin"]
        assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMIN, True, True)
        assert all(user.first_name and user.last_name for user in users.values())

    def test_every_demo_user_signs_in_with_password_demo(self, demo_seed, client):
        assert all(user.check_password("demo") for user in User.objects.all())
        response = client.post("/login/", {"username": "kam1", "password": "demo"})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(username="kam1").pk)

    def test_every_kam_owns_accounts_in_their_own_territory(self, demo_seed):
        assert Account.objects.count() == 600
        owners = set(Account.objects.values_list("owner__username", flat=True))
        assert owners == {f"kam{n}" for n in range(1, 13)}
        assert not Account.objects.exclude(territory=F("owner__territory")).exists()

    def test_top_fifth_of_accounts_holds_about_80_percent_of_potential(self, demo_seed):
        potentials = list(
            Account.objects.order_by("-potential_amount").values_list("potential_amount", flat=True)
        )
        top = potentials[: len(potentials) // 5]
        assert D("0.75") <= sum(top) / sum(potentials) <= D("0.85")

    def test_tiers_are_the_abc_classification_unless_set_by_hand(self, demo_seed):
        """The seed ranks accounts by potential; the ABC run over the demo's invoices then sets
        each tier by revenue (commissions), except where a director set it by hand."""
        today = timezone.localdate()
        manual = dict(
            TierOverride.objects.filter(lifted_at__isnull=True, expires_on__gte=today).values_list(
                "account_id", "tier"
            )
        )
        rows = Account.objects.values_list("pk", "tier", "abc__computed")
        assert {tier for _pk, tier, _computed in rows} == {"A", "B", "C"}
        for pk, tier, computed in rows:
            assert tier == manual.get(pk, computed), pk

    def test_every_account_has_two_to_eight_contacts(self, demo_seed):
        counts = set(Account.objects.annotate(n=Count("contacts")).values_list("n", flat=True))
        assert min(counts) == 2
        assert max(counts) <= 8

    def test_relations_only_join_contacts_of_the_same_account(self, demo_seed):
        relations = ContactRelation.objects.all()
        assert relations.count() > 1000
        assert not relations.exclude(from_contact__account=F("to_contact__account")).exists()
        assert not relations.filter(from_contact=F("to_contact")).exists()
        assert set(relations.values_list("kind", flat=True)) == set(ContactRelation.Kind.values)

    def test_each_contact_reports_to_at_most_one_person(self, demo_seed):
        bosses = (
            ContactRelation.objects.filter(kind=ContactRelation.Kind.REPORTS_TO)
            .values("from_contact")
            .annotate(n=Count("id"))
        )
        assert {row["n"] for row in bosses} == {1}

    def test_dossier_notes_are_by_the_owner_within_the_last_18_months(self, demo_seed):
        notes = DossierNote.objects.all()
        assert Account.objects.filter(notes__isnull=True).count() == 0
        assert not notes.exclude(author=F("account__owner")).exists()
        oldest = timezone.localdate() - timedelta(days=548)
        assert not notes.filter(noted_on__lt=oldest).exists()
        assert len(set(notes.values_list("source", flat=True))) == len(DossierNote.Source.values)

    def test_tax_ids_are_unique_nips_with_a_valid_check_digit(self, demo_seed):
        tax_ids = list(Account.objects.values_list("tax_id", flat=True))
        assert len(set(tax_ids)) == len(tax_ids)
        abroad = Account.objects.exclude(country="PL").values_list("country", "tax_id")
        assert all(tax_id.startswith(country) for country, tax_id in abroad)
        for tax_id in Account.objects.filter(country="PL").values_list("tax_id", flat=True):
            digits = [int(d) for d in tax_id.removeprefix("PL")]
            weighted = sum(w * d for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), digits, strict=False))
            assert len(digits) == 10
            assert weighted % 11 == digits[9]

    def test_prints_the_demo_logins_and_the_password(self, demo_seed):
        assert "kam12      Key account manager    Zachód" in demo_seed
        assert "admin      Administrator" in demo_seed
        assert demo_seed.rstrip().endswith("password: demo")

    def test_second_run_with_if_empty_adds_nothing(self, demo_seed):
        before = (User.objects.count(), Account.objects.count(), Contact.objects.count())
        out = seed("--if-empty")
        assert out == "The database already has data; demo data not loaded.\n"
        assert (User.objects.count(), Account.objects.count(), Contact.objects.count()) == before


def test_refuses_a_database_with_data_without_if_empty(alice):
    with pytest.raises(CommandError, match="fresh database"):
        seed()
    assert not Account.objects.exists()


def test_if_empty_leaves_a_database_with_users_alone(alice):
    users = User.objects.count()
    seed("--if-empty")
    assert User.objects.count() == users
    assert not Account.objects.exists()


def test_same_seed_gives_the_same_data(db):
    assert digest_of_a_run("--accounts", "30") == digest_of_a_run("--accounts", "30")


def test_another_seed_gives_other_data(db):
    assert digest_of_a_run("--accounts", "30") != digest_of_a_run("--accounts", "30", "--seed", "8")


def test_scale_multiplies_accounts(db, monkeypatch):
    # 20 accounts a scale instead of 600 keeps this fast; TestScaleOne checks the 600.
    monkeypatch.setattr(accounts.demo, "ACCOUNTS_PER_SCALE", 20)
    seed("--scale", "3")
    assert Account.objects.count() == 60
    assert User.objects.count() == 17


def test_postgres_gets_planner_statistics_after_loading(requires_postgres, db):
    # Without them (autovacuum may be off, or not yet round) the planner takes the freshly
    # loaded tables for empty and picks per-row nested loops.
    with CaptureQueriesContext(connection) as queries:
        seed("--accounts", "20")
    assert "ANALYZE" in [q["sql"] for q in queries.captured_queries]


class TestDemoDatesAndCurrencies:
    """Orders carry the day they came in; clients abroad are invoiced in euro."""

    def test_past_months_have_booked_orders_for_the_plan(self, demo_seed):
        from commissions.selectors.fulfilment import fulfilment_by_kam

        kams = list(User.objects.filter(role=Role.KAM).values_list("pk", flat=True))
        month = timezone.localdate().replace(day=1)
        for _ in range(3):
            end, month = month, (month - timedelta(days=1)).replace(day=1)
            rows = fulfilment_by_kam(kam_ids=kams, start=month, end=end)
            assert sum(row.booked for row in rows) > 0, month

    def test_an_order_comes_in_after_its_contract_is_signed_and_before_its_delivery(
        self, demo_seed
    ):
        from deals.models import Order

        orders = Order.objects.select_related("contract")
        assert orders.exists()
        for order in orders:
            came_in = timezone.localdate(order.created_at)
            assert order.contract.signed_on <= came_in <= order.requested_date
            assert order.delivered_date is None or came_in <= order.delivered_date

    def test_clients_abroad_are_invoiced_in_euro_at_the_rate_of_the_issue_date(self, demo_seed):
        from core.money import rate_to_reporting
        from receivables.models import Invoice

        abroad = Account.objects.exclude(currency="PLN")
        assert abroad.count() == 3
        assert set(abroad.values_list("country", flat=True)) <= {"DE", "CZ"}
        invoices = Invoice.objects.filter(account__in=abroad)
        assert invoices.exists() and not invoices.exclude(currency="EUR").exists()
        for invoice in invoices:
            used = rate_to_reporting("EUR", on=invoice.issue_date)
            assert D("4") < invoice.reporting_rate < D("4.6")
            assert (invoice.reporting_rate, invoice.reporting_rate_day) == (used.rate, used.day)
