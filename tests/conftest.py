"""Personas and shared fixtures.

Two territories. North: director `dora`, KAMs `alice` (owns `alice_account`) and `bob`
(owns `bob_account`). South: director `sam`, KAM `charlie` (owns `charlie_account`).
Plus `fiona` (finance) and `adam` (admin).
"""

import os
import shutil

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from team.models import Role
from tests.factories import AccountFactory, TerritoryFactory, UserFactory

IN_CI = os.environ.get("CI") == "true"


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
