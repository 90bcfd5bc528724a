"""Deals: stage moves with history, two people editing the same deal, and what a closed deal
still lets anyone change."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.concurrency import EditConflict
from deals import services
from deals.models import Deal, DealStageChange
from tests.deals.factories import DealFactory


@pytest.fixture
def deal(alice, alice_account):
    return services.deal_create(
        actor=alice, account=alice_account, data={"title": "Cables 2027", "amount": D("1000")}
    )


def test_a_new_deal_starts_in_research_with_its_default_probability(deal, alice):
    assert (deal.stage, deal.probability, deal.owner) == ("research", 10, alice)
    assert list(deal.stage_changes.values_list("from_stage", "to_stage")) == [("", "research")]


def test_every_move_is_recorded_with_time_and_user(deal, alice, dora):
    services.deal_move_stage(actor=alice, deal=deal, to_stage="offer")
    services.deal_move_stage(actor=dora, deal=deal, to_stage="negotiation")
    changes = list(
        DealStageChange.objects.filter(deal=deal)
        .order_by("pk")
        .values_list("from_stage", "to_stage", "changed_by__username")
    )
    assert changes == [
        ("", "research", "alice"),
        ("research", "offer", "alice"),
        ("offer", "negotiation", "dora"),
    ]
    deal.refresh_from_db()
    assert deal.probability == 70


def test_lost_needs_a_reason_and_won_is_final(deal, alice):
    with pytest.raises(ValidationError, match="why"):
        services.deal_move_stage(actor=alice, deal=deal, to_stage="lost")
    services.deal_move_stage(actor=alice, deal=deal, to_stage="won")
    deal.refresh_from_db()
    assert (deal.stage, deal.closed_on) == ("won", timezone.localdate())
    with pytest.raises(ValidationError, match="final"):
        services.deal_move_stage(actor=alice, deal=deal, to_stage="negotiation")


def test_a_move_from_a_stale_board_is_refused(deal, alice):
    services.deal_move_stage(actor=alice, deal=deal, to_stage="offer")
    stale = Deal.objects.get(pk=deal.pk)
    with pytest.raises(EditConflict, match="moved this deal"):
        services.deal_move_stage(actor=alice, deal=stale, to_stage="meeting", from_stage="research")


def test_second_save_from_the_same_version_is_a_conflict_not_an_overwrite(deal, alice, dora):
    first = Deal.objects.get(pk=deal.pk)
    second = Deal.objects.get(pk=deal.pk)
    services.deal_update(actor=alice, deal=first, data={"next_step": "Call Monday"}, version=1)
    with pytest.raises(EditConflict):
        services.deal_update(actor=dora, deal=second, data={"next_step": "Visit"}, version=1)
    deal.refresh_from_db()
    assert (deal.next_step, deal.version) == ("Call Monday", 2)


def test_the_conflict_page_keeps_the_input_and_shows_the_current_values(client, deal, alice, dora):
    url = reverse("deals:deal_edit", args=[deal.pk])
    form = {"title": "Cables 2027", "amount": "1000", "currency": "PLN", "version": "1"}
    client.force_login(dora)
    assert client.post(url, {**form, "next_step": "Dora's plan"}).status_code == 302
    client.force_login(alice)

    response = client.post(url, {**form, "next_step": "Alice's plan", "amount": "2500"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this deal since you opened it" in page
    assert 'value="Alice&#x27;s plan"' in page and 'value="2500"' in page
    assert "Dora&#x27;s plan" in page  # the current values, shown beside the form
    deal.refresh_from_db()
    assert deal.next_step == "Dora's plan"
    # Saving again, having seen theirs, replaces it knowingly.
    resend = client.post(url, {**form, "next_step": "Alice's plan", "version": "2"})
    assert resend.status_code == 302
    deal.refresh_from_db()
    assert deal.next_step == "Alice's plan"


def test_a_kam_cannot_give_a_deal_to_another_kam(deal, alice, bob):
    with pytest.raises(ValidationError):
        services.deal_update(actor=alice, deal=deal, data={"owner": bob}, version=1)


def test_finance_changes_nothing(deal, fiona):
    with pytest.raises(PermissionDenied):
        services.deal_move_stage(actor=fiona, deal=deal, to_stage="offer")


def test_deal_history_shows_who_changed_what(client, deal, alice):
    services.deal_update(actor=alice, deal=deal, data={"amount": D("1500")}, version=1)
    client.force_login(alice)
    page = client.get(reverse("deals:deal_detail", args=[deal.pk])).content.decode()
    assert "Amount:" in page and "1500.00" in page


def test_a_won_deal_without_an_offer_says_so(client, alice, alice_account):
    deal = DealFactory(account=alice_account, stage="won", probability=100)
    client.force_login(alice)
    page = client.get(reverse("deals:deal_detail", args=[deal.pk])).content.decode()
    assert "Won without an offer" in page


def test_board_move_with_htmx_returns_the_board_only(client, deal, alice):
    client.force_login(alice)
    response = client.post(
        reverse("deals:deal_move", args=[deal.pk]),
        {"stage": "first_contact", "from_stage": "research"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="board"') and "<html" not in body
    assert "moved to First contact" in body


def test_deals_filter_by_close_date_and_amount(client, alice, alice_account):
    today = timezone.localdate()
    DealFactory(
        account=alice_account, title="Soon small", amount=D("100"), expected_close_date=today
    )
    DealFactory(
        account=alice_account,
        title="Later big",
        amount=D("90000"),
        expected_close_date=today + timedelta(days=90),
    )
    client.force_login(alice)

    def titles(**params):
        response = client.get(reverse("deals:deal_list"), params)
        return {deal.title for deal in response.context["page"]}

    assert titles(close_before=str(today + timedelta(days=1))) == {"Soon small"}
    assert titles(close_after=str(today + timedelta(days=30))) == {"Later big"}
    assert titles(amount_min="1000") == {"Later big"}
    assert titles(amount_max="1000") == {"Soon small"}
    assert titles(stage="research") == {"Soon small", "Later big"}
    assert titles(q="later") == {"Later big"}
    assert titles(account=str(alice_account.pk)) == {"Soon small", "Later big"}


@pytest.fixture
def won_deal(alice_account):
    return DealFactory(
        account=alice_account, stage=Deal.Stage.WON, probability=100, next_step="Invoice"
    )


def _edit_form(deal, **changes):
    data = {
        "title": deal.title,
        "amount": str(deal.amount),
        "currency": deal.currency,
        "probability": deal.probability,
        "expected_close_date": str(deal.expected_close_date),
        "next_step": deal.next_step,
        "version": deal.version,
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "99999.00"), ("probability", "50"), ("expected_close_date", "2030-01-01")],
)
def test_a_won_deals_figures_cannot_be_edited_on_the_page(kam, won_deal, field, value):
    response = kam.post(
        reverse("deals:deal_edit", args=[won_deal.pk]), _edit_form(won_deal, **{field: value})
    )

    assert field in response.context["form"].errors
    before = (won_deal.amount, won_deal.probability, won_deal.expected_close_date)
    won_deal.refresh_from_db()
    assert (won_deal.amount, won_deal.probability, won_deal.expected_close_date) == before


def test_a_won_deals_next_step_can_still_be_edited_on_the_page(kam, won_deal):
    response = kam.post(
        reverse("deals:deal_edit", args=[won_deal.pk]),
        _edit_form(won_deal, next_step="Send a thank-you note"),
    )

    assert response.status_code == 302
    won_deal.refresh_from_db()
    assert won_deal.next_step == "Send a thank-you note"


def test_the_api_refuses_to_change_a_won_deals_amount_and_probability(api_as, won_deal):
    response = api_as("alice").patch(
        f"/api/v1/deals/{won_deal.pk}/",
        {"amount": "1.00", "probability": 20, "version": won_deal.version},
        format="json",
    )

    assert response.status_code == 400
    assert {"amount", "probability"} <= set(response.json())
    won_deal.refresh_from_db()
    assert (won_deal.amount, won_deal.probability) == (D("50000.00"), 100)


def test_the_api_still_changes_a_won_deals_next_step(api_as, won_deal):
    response = api_as("alice").patch(
        f"/api/v1/deals/{won_deal.pk}/",
        {"next_step": "Plan the rollout", "version": won_deal.version},
        format="json",
    )

    assert response.status_code == 200
    won_deal.refresh_from_db()
    assert won_deal.next_step == "Plan the rollout"


def test_a_director_cannot_give_a_lost_deal_to_another_kam(dora, bob, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.LOST, probability=0)

    with pytest.raises(ValidationError) as error:
        services.deal_update(actor=dora, deal=deal, data={"owner": bob}, version=deal.version)

    assert "owner" in error.value.message_dict
