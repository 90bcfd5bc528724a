"""Personas and shared fixtures.

Two territories. North: director `dora`, KAMs `alice` (owns `alice_account`) and `bob`
(owns `bob_account`). South: director `sam`, KAM `charlie` (owns `charlie_account`).
Plus `fiona` (finance) and `adam` (admin).

`demo_seed` is the demo data of `manage.py seed_demo`, loaded once per run for the tests that
only read it.
"""

import os
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from team.models import Role
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

IN_CI = os.environ.get("CI") == "true"
DEMO_SEED = "demo_seed"


def require_service(available: bool, what: str):
    """Skip a test whose service is missing, except in CI, where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture
def requires_postgres():
    require_service(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "PostgreSQL (set DATABASE_URL)",
    )


@pytest.fixture
def requires_browser():
    require_service(shutil.which("chromium") is not None, "Debian's chromium")


@pytest.fixture
def north(db):
    return TerritoryFactory(name="North", code="north")


@pytest.fixture
def south(db):
    return TerritoryFactory(name="South", code="south")


@pytest.fixture
def dora(north):
    return UserFactory(username="dora", role=Role.DIRECTOR, territory=north)


@pytest.fixture
def sam(south):
    return UserFactory(username="sam", role=Role.DIRECTOR, territory=south)


@pytest.fixture
def alice(north, dora):
    return UserFactory(username="alice", role=Role.KAM, territory=north, reports_to=dora)


@pytest.fixture
def bob(north, dora):
    return UserFactory(username="bob", role=Role.KAM, territory=north, reports_to=dora)


@pytest.fixture
def charlie(south, sam):
    return UserFactory(username="charlie", role=Role.KAM, territory=south, reports_to=sam)


@pytest.fixture
def fiona(db):
    return UserFactory(username="fiona", role=Role.FINANCE, territory=None)


@pytest.fixture
def adam(db):
    return UserFactory(
        username="adam", role=Role.ADMIN, territory=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def alice_account(alice):
    return AccountFactory(owner=alice, name="Alpha Foods")


@pytest.fixture
def bob_account(bob):
    return AccountFactory(owner=bob, name="Beta Retail")


@pytest.fixture
def charlie_account(charlie):
    return AccountFactory(owner=charlie, name="Gamma Pharma")


@pytest.fixture
def personas(alice, bob, charlie, dora, sam, fiona, adam):
    return {u.username: u for u in (alice, bob, charlie, dora, sam, fiona, adam)}


@pytest.fixture
def requires_redis():
    require_service(bool(settings.REDIS_URL), "Redis (set REDIS_URL)")


@pytest.fixture
def api_as(request):
    """`api_as("alice")` is an API client logged in (by session) as that persona."""

    def login(persona: str) -> APIClient:
        client = APIClient()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return login


@pytest.fixture(scope="session")
def demo_seed(django_db_setup, django_db_blocker) -> str:
    """`manage.py seed_demo` at its defaults, loaded once per test process; yields its output.

    Seeding takes seconds, so the tests that only read the demo data share one load. They run
    last in their process (the hook below; under xdist each worker's share comes after its other
    tests, as workers take tests in collection order), inside the transaction that holds the
    data, so every other test still starts from an empty database. Each runs in its own
    savepoint (pytest-django's `db`), so a test that writes leaves nothing behind; the data is
    rolled back when the process ends.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own ordering (trylast): nothing may run once the demo data is in.
    def uses_demo(item) -> bool:
        return DEMO_SEED in getattr(item, "fixturenames", ())

    items[:] = [item for item in items if not uses_demo(item)] + list(filter(uses_demo, items))
