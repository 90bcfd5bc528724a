"""factory_boy factories for the whole project (one module while the model count is small)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import (
    Account,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)
from activities.models import Activity, Notification
from team.models import Role, Territory, User


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Territory {n}")
    code = factory.Sequence(lambda n: f"t{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.KAM
    territory = factory.SubFactory(TerritoryFactory)
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompetitorFactory(DjangoModelFactory):
    class Meta:
        model = Competitor
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Competitor {n}")


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Client {n} S.A.")
    legal_name = factory.LazyAttribute(lambda a: f"{a.name} (legal)")
    tax_id = factory.Sequence(lambda n: f"PL{5260000000 + n}")
    industry = "Retail"
    owner = factory.SubFactory(UserFactory)
    territory = factory.LazyAttribute(lambda a: a.owner.territory)
    status = Account.Status.ACTIVE
    tier = Account.Tier.A
    potential_amount = Decimal("1000000.00")
    currency = "PLN"
    needs = "Faster deliveries."


class AccountFinancialsFactory(DjangoModelFactory):
    class Meta:
        model = AccountFinancials

    account = factory.SubFactory(AccountFactory)
    year = factory.Sequence(lambda n: 2015 + n % 10)
    revenue = Decimal("5000000.00")
    profit = Decimal("400000.00")
    employees = 120


class DossierNoteFactory(DjangoModelFactory):
    class Meta:
        model = DossierNote

    account = factory.SubFactory(AccountFactory)
    author = factory.LazyAttribute(lambda n: n.account.owner)
    noted_on = factory.Faker("date_this_year")
    source = DossierNote.Source.MEETING
    text = factory.Faker("sentence")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    position = "Purchasing director"
    decision_role = Contact.DecisionRole.DECISION_MAKER
    influence = 4
    attitude = Contact.Attitude.SUPPORTER
    personal_notes = "Likes sailing."


class ContactRelationFactory(DjangoModelFactory):
    class Meta:
        model = ContactRelation

    from_contact = factory.SubFactory(ContactFactory)
    to_contact = factory.SubFactory(
        ContactFactory, account=factory.SelfAttribute("..from_contact.account")
    )
    kind = ContactRelation.Kind.REPORTS_TO


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    account = factory.SubFactory(AccountFactory)
    owner = factory.LazyAttribute(lambda a: a.account.owner)
    type = Activity.Type.VISIT
    starts_at = factory.Sequence(
        lambda n: datetime(2026, 3, 2, 8, tzinfo=UTC) + timedelta(hours=n % 10, days=n // 10)
    )
    duration_minutes = 60
    purpose = "Present the spring range."
    status = Activity.Status.PLANNED


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "activity_tomorrow"
    subject_type = "activity"
    subject_id = factory.Sequence(lambda n: n + 1)
    occasion = factory.Sequence(lambda n: datetime(2026, 3, 2, tzinfo=UTC).date())
    title = factory.Sequence(lambda n: f"Reminder {n}")
