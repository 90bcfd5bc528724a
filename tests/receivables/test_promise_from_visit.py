"""A KAM logs a promise to pay straight from the outcome of a visit or call (receivables plugs
its part into the outcome form through core/outcomes.py; activities does not import it)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from receivables.models import CollectionAction
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(alice_account):
    return ActivityFactory(account=alice_account, starts_at=datetime(2026, 9, 1, 9, tzinfo=UTC))


def _complete(client, visit, **extra):
    return client.post(
        reverse("activities:complete", args=[visit.pk]),
        {"outcome": "The CFO will pay the overdue invoices.", "next_step_type": "task", **extra},
    )


def test_the_outcome_form_offers_a_promise_to_pay(client, alice, visit):
    client.force_login(alice)

    html = client.get(reverse("activities:detail", args=[visit.pk])).content.decode()

    assert 'id="outcome-promise"' in html and 'name="promise-promised_amount"' in html


def test_a_promise_logged_with_the_outcome_is_a_collection_action(client, alice, visit):
    client.force_login(alice)

    response = _complete(
        client, visit, **{"promise-promised_on": "2026-09-15", "promise-promised_amount": "1200.50"}
    )

    assert response.status_code == 302
    [promise] = CollectionAction.objects.filter(kind="promise")
    assert (promise.account_id, promise.by, str(promise.promised_amount)) == (
        visit.account_id,
        alice,
        "1200.50",
    )
    assert promise.promise_state == "open" and str(promise.promised_on) == "2026-09-15"
    assert Activity.objects.get(pk=visit.pk).status == "done"


def test_an_outcome_without_a_promise_logs_none(client, alice, visit):
    client.force_login(alice)

    assert _complete(client, visit).status_code == 302
    assert not CollectionAction.objects.exists()


def test_a_half_filled_promise_is_refused_and_nothing_is_saved(client, alice, visit):
    client.force_login(alice)

    response = _complete(client, visit, **{"promise-promised_amount": "300"})

    assert response.status_code == 200
    assert "When did they promise to pay?" in response.content.decode()
    assert "The CFO will pay the overdue invoices." in response.content.decode()  # kept
    assert Activity.objects.get(pk=visit.pk).status == "planned"
    assert not CollectionAction.objects.exists()
