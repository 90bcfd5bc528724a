"""The real services CI provides: PostgreSQL for the data, Redis for the broker."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Account
from tests.factories import AccountFactory


def test_suite_runs_on_postgresql_and_it_enforces_the_constraints(requires_postgres, alice):
    assert connection.vendor == "postgresql"
    account = AccountFactory(owner=alice)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Account.objects.filter(pk=account.pk).update(tier="Z")


def test_healthz_reaches_the_real_redis_broker(requires_redis, client, db):
    body = client.get("/healthz").json()
    assert (body["broker_kind"], body["broker"]) == ("redis", "ok")
