"""The client's answer to a statement of account: the balance confirmed, or disputed with the
invoices it disputes; recorded by the account's team or finance, with the balance frozen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from receivables import services
from receivables.models import StatementAnswer
from tests.receivables.conftest import DAY

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def invoices(alice_account, issue):
    return [
        issue(alice_account, "120.00", issued=DAY - timedelta(days=30), due=DAY),
        issue(alice_account, "80.00", issued=DAY - timedelta(days=20), due=DAY),
    ]


def test_a_disputed_balance_is_kept_with_the_invoices_and_the_balance_of_that_day(
    alice, alice_account, invoices, issue
):
    issue(alice_account, "999.00", issued=DAY + timedelta(days=3), due=DAY + timedelta(days=30))

    answer = services.statement_answer_record(
        actor=alice,
        account=alice_account,
        as_of=DAY,
        answer="disputed",
        disputed_invoices=[invoices[1]],
        note="They say the 80 was returned.",
    )

    assert answer.balance == D("200.00")  # the later invoice is not in that day's balance
    assert list(answer.disputed_invoices.all()) == [invoices[1]]


def test_a_dispute_must_say_what_is_disputed(alice, alice_account, invoices):
    with pytest.raises(ValidationError) as error:
        services.statement_answer_record(
            actor=alice, account=alice_account, as_of=DAY, answer="disputed"
        )
    assert "disputed_invoices" in error.value.error_dict


def test_another_accounts_invoice_cannot_be_disputed_here(alice, alice_account, bob_account, issue):
    stranger = issue(bob_account, "5.00")
    with pytest.raises(ValidationError):
        services.statement_answer_record(
            actor=alice,
            account=alice_account,
            as_of=DAY,
            answer="disputed",
            disputed_invoices=[stranger],
        )


def test_a_kam_outside_the_account_cannot_record(bob, alice_account):
    with pytest.raises(PermissionDenied):
        services.statement_answer_record(
            actor=bob, account=alice_account, as_of=DAY, answer="confirmed"
        )


def test_the_page_records_a_confirmation_and_lists_the_answers(
    client, alice, alice_account, invoices
):
    client.force_login(alice)
    url = reverse("receivables:statement_answer", args=[alice_account.pk])

    assert client.get(url).status_code == 200
    bad = client.post(url, {"as_of": "2999-01-01", "answer": "confirmed"})
    assert bad.status_code == 400 and not StatementAnswer.objects.exists()
    response = client.post(url, {"as_of": DAY.isoformat(), "answer": "confirmed"})

    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Confirmed the balance" in html and "200.00 PLN" in html


def test_finance_records_too_and_an_outsider_gets_404(client, fiona, charlie, alice_account):
    url = reverse("receivables:statement_answer", args=[alice_account.pk])
    client.force_login(fiona)
    assert client.post(url, {"as_of": DAY.isoformat(), "answer": "confirmed"}).status_code == 302
    client.force_login(charlie)
    assert client.get(url).status_code == 404
