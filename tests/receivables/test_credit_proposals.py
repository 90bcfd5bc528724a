"""A director proposes a credit limit for an account of their territory; finance decides, and
an approved limit is set with the proposal's reason in the credit profile's history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Notification
from activities.services import reminders_create
from receivables import services
from receivables.models import CreditProfile, CreditProposal

pytestmark = pytest.mark.django_db
D = Decimal


def _propose(user, account, limit="80000.00"):
    return services.credit_proposal_create(
        actor=user, account=account, credit_limit=D(limit), currency="PLN", reason="Orders grow."
    )


def test_finance_approves_a_directors_proposal_and_the_limit_is_set(dora, fiona, alice_account):
    proposal = _propose(dora, alice_account)

    services.credit_proposal_decide(actor=fiona, proposal=proposal, approve=True)

    profile = CreditProfile.objects.get(account=alice_account)
    assert (profile.credit_limit, profile.set_by) == (D("80000.00"), fiona)
    assert profile.reason.startswith("Proposed by") and "Orders grow." in profile.reason
    assert CreditProposal.objects.get(pk=proposal.pk).status == "approved"


def test_a_rejection_needs_a_reason_and_sets_nothing(dora, fiona, alice_account):
    proposal = _propose(dora, alice_account)
    with pytest.raises(ValidationError):
        services.credit_proposal_decide(actor=fiona, proposal=proposal, approve=False)

    services.credit_proposal_decide(
        actor=fiona, proposal=proposal, approve=False, comment="Two invoices 60 days late."
    )

    assert not CreditProfile.objects.filter(account=alice_account).exists()
    with pytest.raises(ValidationError):
        services.credit_proposal_decide(actor=fiona, proposal=proposal, approve=True)


def test_only_the_territorys_director_proposes(alice, sam, alice_account):
    for user in (alice, sam):
        with pytest.raises(PermissionDenied):
            _propose(user, alice_account)


def test_the_director_cannot_decide_their_own_proposal(dora, alice_account):
    proposal = _propose(dora, alice_account)
    with pytest.raises(PermissionDenied):
        services.credit_proposal_decide(actor=dora, proposal=proposal, approve=True)


def test_one_proposal_waits_per_account(dora, alice_account):
    _propose(dora, alice_account)
    with pytest.raises(ValidationError):
        _propose(dora, alice_account, "90000.00")


def test_finance_is_reminded_of_a_proposal(dora, fiona, alice_account):
    _propose(dora, alice_account)

    reminders_create(now=timezone.now())

    assert Notification.objects.filter(recipient=fiona, kind="credit_proposed").count() == 1


def test_the_director_proposes_from_a_form_and_finance_decides_on_the_credit_page(
    client, dora, fiona, alice_account
):
    client.force_login(dora)
    url = reverse("receivables:credit_propose", args=[alice_account.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"credit_limit": "-5", "currency": "PLN", "reason": "x"})
    assert refused.status_code == 400

    assert (
        client.post(
            url, {"credit_limit": "50000", "currency": "PLN", "reason": "Grows."}
        ).status_code
        == 302
    )

    proposal = CreditProposal.objects.get()
    client.force_login(fiona)
    page = client.get(reverse("receivables:credit_list")).content.decode()
    decide = reverse("receivables:proposal_decide", args=[proposal.pk, "approve"])
    assert decide in page
    assert client.post(decide).status_code == 302
    assert CreditProfile.objects.get(account=alice_account).credit_limit == D("50000.00")


def test_a_kam_cannot_open_the_proposal_form_and_an_outsider_gets_404(
    client, alice, sam, alice_account
):
    url = reverse("receivables:credit_propose", args=[alice_account.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(sam)
    assert client.get(url).status_code == 404
