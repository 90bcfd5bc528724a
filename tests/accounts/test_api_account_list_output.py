"""The accounts API list writes each account byte for byte as the account's own page does (the
detail is the serializer's reference output): empty and full optional fields, amounts, names
that need escaping, competitors and years of financials in their order, the reader's time zone.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from accounts.models import Account
from tests.factories import AccountFactory, AccountFinancialsFactory, CompetitorFactory


@pytest.fixture
def accounts(alice, bob):
    plain = AccountFactory(
        owner=alice,
        name="Plain",
        legal_name="",
        tax_id=None,
        industry="",
        potential_amount=None,
        needs="",
        status=Account.Status.PROSPECT,
        tier=Account.Tier.C,
    )
    full = AccountFactory(
        owner=bob,
        name='Ölmühle "Zażółć" & <Synowie> \u2028 \\ /',
        segment="enterprise",
        website="https://example.com/a?b=1&c=2",
        address="ul. Długa 1\nm. 2",
        postal_code="00-001",
        city="Łódź",
        country="DE",
        potential_amount=Decimal("12345678901.5"),
        currency="EUR",
        share_of_wallet=Decimal("7.25"),
        development_plans="Tab\there",
    )
    full.competitors.add(CompetitorFactory(name="Zeta"), CompetitorFactory(name="Acme"))
    AccountFinancialsFactory(account=full, year=2023, revenue=None, profit=None, employees=None)
    AccountFinancialsFactory(
        account=full, year=2025, revenue=Decimal("-0.10"), profit=Decimal("0"), currency="EUR"
    )
    AccountFinancialsFactory(account=full, year=2024)
    whole_second = AccountFactory(owner=alice, name="Whole second", share_of_wallet=Decimal("100"))
    Account.objects.filter(pk=whole_second.pk).update(
        created_at=datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        updated_at=datetime(2026, 10, 25, 0, 59, 59, tzinfo=UTC),
    )
    return [plain, full, whole_second]


def _results(body: bytes) -> bytes:
    head, found, rest = body.partition(b'"results":[')
    assert found and rest.endswith(b"]}"), body[:200]
    return head, rest[: -len(b"]}")]


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("query", ["", "?ordering=-potential", "?tier=A&tier=C&ordering=owner"])
def test_the_list_writes_each_account_as_its_detail_does(api_as, dora, accounts, zone, query):
    dora.time_zone = zone
    dora.save()
    client = api_as("dora")

    response = client.get(f"/api/v1/accounts/{query}")

    assert response.status_code == 200
    head, results = _results(response.content)
    ids = [row["id"] for row in response.json()["results"]]
    assert sorted(ids) == sorted(account.pk for account in accounts)
    details = [client.get(f"/api/v1/accounts/{pk}/").content for pk in ids]
    assert results == b",".join(details)
    assert head == b'{"count":3,"next":null,"previous":null,'


def test_a_page_of_the_list_keeps_its_links(api_as, dora, alice):
    AccountFactory.create_batch(52, owner=alice)
    client = api_as("dora")

    response = client.get("/api/v1/accounts/?page=2")

    head, results = _results(response.content)
    assert head == (b'{"count":52,"next":null,"previous":"http://testserver/api/v1/accounts/",')
    ids = [row["id"] for row in response.json()["results"]]
    assert len(ids) == 2
    assert results == b",".join(client.get(f"/api/v1/accounts/{pk}/").content for pk in ids)
