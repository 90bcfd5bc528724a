"""Fixtures for the activities tests.

Personas as everywhere (tests/conftest.py): alice and bob are KAMs in North under dora,
charlie a KAM in South under sam, fiona finance, adam admin. Everyone lives in Europe/Warsaw
unless a test moves them. Times are fixed: "now" is Wednesday 4 March 2026, 10:00 in Warsaw.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from activities import services
from activities.models import Activity
from tests.factories import ActivityFactory, ContactFactory

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw (CET, UTC+1)
TODAY = date(2026, 3, 4)
MONDAY = date(2026, 3, 2)


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = WARSAW) -> datetime:
    """An aware datetime at a wall-clock time in `zone`."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


@pytest.fixture
def visits(alice_account, bob_account, charlie_account) -> dict[str, Activity]:
    """One planned visit on each KAM's account this week, keyed "A", "B", "C"."""
    return {
        key: ActivityFactory(account=account, starts_at=local(MONDAY, 10 + n))
        for n, (key, account) in enumerate(
            (("A", alice_account), ("B", bob_account), ("C", charlie_account))
        )
    }


@pytest.fixture
def task_on_bobs_account(dora, alice, bob_account):
    """Dora asks alice to do something on bob's account."""
    return services.task_assign(
        actor=dora,
        owner=alice,
        account=bob_account,
        starts_at=local(MONDAY, 9),
        purpose="Check the shelf at Beta.",
    )


@pytest.fixture
def bobs_contact(bob_account):
    return ContactFactory(account=bob_account, first_name="Brenda", last_name="Secret")
