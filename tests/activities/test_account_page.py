"""The account page: activity timeline merged with dossier notes, last contact, quick log."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from tests.activities.conftest import local
from tests.factories import ActivityFactory, ContactFactory, DossierNoteFactory


def _page(client, account):
    return client.get(reverse("accounts:detail", args=[account.pk]))


def test_timeline_merges_activities_and_notes_newest_first(client, alice, alice_account):
    call = ActivityFactory(
        account=alice_account,
        type="call",
        status="done",
        outcome="Asked for samples.",
        starts_at=local(date(2026, 3, 3), 10),
    )
    note = DossierNoteFactory(account=alice_account, noted_on=date(2026, 3, 2), text="New buyer.")
    visit = ActivityFactory(account=alice_account, starts_at=local(date(2026, 3, 1), 9))
    ActivityFactory(account=alice_account, status="cancelled", starts_at=local(date(2026, 3, 4), 9))
    client.force_login(alice)

    response = _page(client, alice_account)

    timeline = _timeline(response).timeline
    assert [(e.activity, e.note) for e in timeline] == [(call, None), (None, note), (visit, None)]
    page = response.content.decode()
    assert page.index("Asked for samples.") < page.index("New buyer.")


def test_the_page_shows_the_last_contact_and_when_the_next_is_due(client, alice, alice_account):
    ActivityFactory(
        account=alice_account, type="visit", status="done", starts_at=local(date(2026, 3, 2), 10)
    )
    ActivityFactory(
        account=alice_account, type="task", status="done", starts_at=local(date(2026, 3, 3), 10)
    )
    client.force_login(alice)

    activity = _timeline(_page(client, alice_account))

    assert activity.last_contact == local(date(2026, 3, 2), 10)
    assert activity.next_contact_due == local(date(2026, 3, 16), 10)
    assert activity.cadence_days == 14


def test_a_call_is_logged_from_the_account_page_in_one_short_form(client, alice, alice_account):
    contact = ContactFactory(account=alice_account, first_name="Ewa", last_name="Nowak")
    client.force_login(alice)
    page = _page(client, alice_account).content.decode()
    assert "Log a call or visit" in page and f'value="{contact.pk}"' in page
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("activities:log", args=[alice_account.pk]),
        {
            "type": "call",
            "starts_at_0": yesterday.isoformat(),
            "starts_at_1": "14:00",
            "duration_minutes": 15,
            "contacts": [contact.pk],
            "outcome": "Wants the price list.",
            "next_step": "Send the price list",
            "next_step_due": timezone.localdate().isoformat(),
            "next_step_type": "email",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/accounts/{alice_account.pk}/#timeline")
    call = Activity.objects.get(type="call")
    assert (call.status, list(call.contacts.all())) == ("done", [contact])
    assert call.follow_ups.get().type == "email"
    assert "Wants the price list." in client.get(response["Location"]).content.decode()


def test_a_bad_log_keeps_the_input_on_its_own_page(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("activities:log", args=[alice_account.pk]),
        {
            "type": "call",
            "starts_at_0": "2999-01-01",
            "starts_at_1": "10:00",
            "duration_minutes": 15,
            "outcome": "Kept text",
            "next_step_type": "task",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept text" in page and "This is in the future: plan it instead." in page
    assert not Activity.objects.exists()


def test_logging_a_call_in_the_year_1_from_berlin_is_a_field_error(client, alice, alice_account):
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    client.force_login(alice)

    response = client.post(
        reverse("activities:log", args=[alice_account.pk]),
        {
            "type": Activity.Type.CALL,
            "starts_at_0": "0001-01-01",
            "starts_at_1": "00:30",
            "duration_minutes": 30,
            "outcome": "Talked.",
            "next_step_type": "task",
        },
    )

    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_finance_sees_no_timeline_and_no_log_form(client, fiona, alice_account):
    ActivityFactory(account=alice_account, status="done", outcome="Secret outcome")
    client.force_login(fiona)
    page = _page(client, alice_account).content.decode()
    assert "Secret outcome" not in page
    assert "Log a call" not in page


def _timeline(response):
    """The activities panel's figures on the account page."""
    (panel,) = [p for p in response.context["panels"] if p.template.startswith("activities/")]
    return panel.context["activity"]
