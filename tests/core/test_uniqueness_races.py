"""Uniqueness races answer 400 with a message, never an IntegrityError: the same contract
number, the same financial year, the same tax id, the same offer version, created twice at the
same instant on PostgreSQL (both pass the validation; the database refuses the second)."""

from datetime import date
from decimal import Decimal as D
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Account, AccountFinancials
from deals import services
from deals.models import Contract, Offer
from tests.deals.factories import DealFactory
from tests.races import at_once

TRIES = 8

pytestmark = pytest.mark.django_db(transaction=True)


def _refused_once(results) -> ValidationError:
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    return refused[0]


def test_the_same_contract_number_twice_at_once(requires_postgres, alice, alice_account):
    def create(number):
        return services.contract_create(
            actor=alice,
            account=alice_account,
            data={
                "number": number,
                "signed_on": date(2026, 1, 5),
                "start_date": date(2026, 1, 5),
                "end_date": date(2026, 12, 31),
                "value": D("1000.00"),
                "currency": "PLN",
            },
        )

    for attempt in range(TRIES):
        number = f"UM/RACE/{attempt}"
        refused = _refused_once(at_once(partial(create, number), partial(create, number)))
        assert "number" in refused.message_dict
        assert Contract.objects.filter(number=number).count() == 1


def test_the_same_contract_number_through_the_api_is_a_400(requires_postgres, alice, alice_account):
    def post(number):
        client = APIClient()
        client.force_authenticate(alice)
        body = {
            "account": alice_account.pk,
            "number": number,
            "signed_on": "2026-01-05",
            "start_date": "2026-01-05",
            "end_date": "2026-12-31",
            "value": "1000.00",
            "currency": "PLN",
        }
        return client.post("/api/v1/contracts/", body, format="json")

    for attempt in range(TRIES):
        number = f"UM/API/{attempt}"
        answers = at_once(partial(post, number), partial(post, number))
        assert sorted(a.status_code for a in answers) == [201, 400]
        refused = next(a for a in answers if a.status_code == 400)
        assert "number" in refused.json()


def test_the_same_financial_year_twice_at_once(requires_postgres, alice, alice_account):
    def record(year, revenue):
        return account_services.account_financials_set(
            actor=alice,
            account=alice_account,
            year=year,
            data={"revenue": D(revenue), "currency": "PLN"},
        )

    for attempt in range(TRIES):
        year = 2000 + attempt
        results = at_once(partial(record, year, "100"), partial(record, year, "200"))
        # Either both were taken in turn (the second replacing the first) or one was refused.
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) <= 1
        for error in refused:
            assert "already has indicators for that year" in str(error)
        assert AccountFinancials.objects.filter(account=alice_account, year=year).count() == 1


def test_the_same_tax_id_twice_at_once(requires_postgres, dora, alice):
    def create(name, tax_id):
        return account_services.account_create(
            actor=dora,
            data={
                "name": name,
                "tax_id": tax_id,
                "owner": alice,
                "country": "PL",
                "currency": "PLN",
            },
        )

    for attempt in range(TRIES):
        tax_id = f"PL99900{attempt:05d}"
        refused = _refused_once(
            at_once(
                partial(create, f"A {attempt}", tax_id), partial(create, f"B {attempt}", tax_id)
            )
        )
        assert "tax_id" in refused.message_dict
        assert Account.objects.filter(tax_id=tax_id).count() == 1


def test_two_new_offer_versions_at_once_number_in_turn(requires_postgres, alice, alice_account):
    deal = DealFactory(account=alice_account, stage="offer", probability=40)
    for _ in range(TRIES // 2):
        at_once(
            partial(services.offer_create, actor=alice, deal=deal),
            partial(services.offer_create, actor=alice, deal=deal),
        )
    versions = list(Offer.objects.filter(deal=deal).values_list("version", flat=True))
    assert sorted(versions) == list(range(1, len(versions) + 1))
