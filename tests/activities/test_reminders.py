"""Reminder rules, and that each reminder is created once per subject and occasion."""

import threading
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activities import reminders, services, tasks
from activities.models import ContactCadence, Notification
from team.models import ReminderDelivery
from tests.activities.conftest import NOW, TODAY, local
from tests.deals.factories import ContractFactory, DealFactory, OfferFactory
from tests.factories import AccountFactory, ActivityFactory, ContactFactory, NotificationFactory

TOMORROW = TODAY + timedelta(days=1)


def kinds_for(user) -> list[tuple[str, str, int, date]]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list(
            "kind", "subject_type", "subject_id", "occasion"
        )
    )


@pytest.fixture
def quiet_account(alice_account):
    """alice's account, contacted just now so the cadence rule stays quiet about it."""
    ActivityFactory(account=alice_account, status="done", type="call", starts_at=NOW)
    return alice_account


def test_a_visit_or_call_tomorrow_is_reminded_the_day_before(alice, quiet_account):
    visit = ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 10))
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 11), status="cancelled")
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW + timedelta(days=1), 9))
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 12), type="email")

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == [("activity_tomorrow", "activity", visit.pk, TOMORROW)]
    assert Notification.objects.get().title == "Tomorrow 10:00: visit with Alpha Foods"


def test_tomorrow_is_the_recipients_tomorrow_in_their_time_zone(alice, quiet_account):
    alice.time_zone = "America/New_York"
    alice.save()
    # 04:00 on 4 March in New York; 23:30 on the 5th there is already the 6th in UTC.
    late = ActivityFactory(account=quiet_account, starts_at=datetime(2026, 3, 6, 4, 30, tzinfo=UTC))

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == [("activity_tomorrow", "activity", late.pk, TOMORROW)]
    assert Notification.objects.get().title.startswith("Tomorrow 23:30")


def test_follow_ups_due_today_or_overdue_are_reminded_once_per_due_date(alice, quiet_account):
    source = ActivityFactory(account=quiet_account, status="done")
    due_today = ActivityFactory(
        account=quiet_account, follow_up_of=source, type="task", starts_at=local(TODAY, 9)
    )
    overdue = ActivityFactory(
        account=quiet_account,
        follow_up_of=source,
        type="call",
        starts_at=local(date(2026, 3, 1), 9),
    )
    ActivityFactory(
        account=quiet_account, follow_up_of=source, type="task", starts_at=local(TOMORROW, 9)
    )
    ActivityFactory(  # overdue for longer than the rule looks back
        account=quiet_account, follow_up_of=source, type="task", starts_at=NOW - timedelta(days=40)
    )

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == [
        ("follow_up_due", "activity", due_today.pk, TODAY),
        ("follow_up_due", "activity", overdue.pk, date(2026, 3, 1)),
    ]
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {
        "Due today: Present the spring range.",
        "Due since 1 Mar: Present the spring range.",
    }


def test_a_rescheduled_follow_up_is_reminded_again_on_its_new_day(alice, quiet_account):
    follow_up = ActivityFactory(account=quiet_account, type="task", starts_at=local(TODAY, 9))
    services.reminders_create(now=NOW)
    services.activity_reschedule(actor=alice, activity=follow_up, starts_at=local(TOMORROW, 9))
    services.reminders_create(now=NOW + timedelta(days=1))

    assert [row[3] for row in kinds_for(alice)] == [TODAY, TOMORROW]


def _set_created(account, when):
    type(account).objects.filter(pk=account.pk).update(created_at=when)


def test_accounts_past_their_tiers_cadence_are_reminded_once_per_lapse(alice):
    lapsed_a = AccountFactory(owner=alice, tier="A", name="Lapsed A")
    fresh_b = AccountFactory(owner=alice, tier="B", name="Fresh B")
    never_c = AccountFactory(owner=alice, tier="C", name="Never C")
    lost = AccountFactory(owner=alice, tier="A", status="lost", name="Lost")
    for account in (lapsed_a, fresh_b, lost):
        ActivityFactory(
            account=account, status="done", type="call", starts_at=NOW - timedelta(days=15)
        )
    for account in (lapsed_a, fresh_b, never_c, lost):
        _set_created(account, NOW - timedelta(days=100))

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == sorted(
        [
            ("account_past_cadence", "account", lapsed_a.pk, (NOW - timedelta(days=1)).date()),
            ("account_past_cadence", "account", never_c.pk, (NOW - timedelta(days=10)).date()),
        ]
    )
    assert Notification.objects.get(subject_id=lapsed_a.pk).title == (
        "Time to contact Lapsed A (tier A: every 14 days)"
    )


def test_the_cadence_is_what_the_admin_configured(alice):
    ContactCadence.objects.update_or_create(tier="A", defaults={"days": 20})
    account = AccountFactory(owner=alice, tier="A")
    ActivityFactory(
        account=account, status="done", type="visit", starts_at=NOW - timedelta(days=15)
    )

    services.reminders_create(now=NOW)

    assert not Notification.objects.filter(kind="account_past_cadence").exists()


def test_a_task_does_not_count_as_contact_with_the_client(alice):
    account = AccountFactory(owner=alice, tier="A")
    _set_created(account, NOW - timedelta(days=30))
    ActivityFactory(account=account, status="done", type="task", starts_at=NOW - timedelta(days=1))

    services.reminders_create(now=NOW)

    assert Notification.objects.filter(kind="account_past_cadence", subject_id=account.pk).exists()


def test_a_vip_or_kol_birthday_is_reminded_a_week_ahead(alice, quiet_account):
    vip = ContactFactory(account=quiet_account, is_vip=True, birthday=date(1975, 3, 11))
    kol = ContactFactory(account=quiet_account, is_kol=True, birthday=date(1980, 3, 8))
    ContactFactory(account=quiet_account, birthday=date(1975, 3, 11))  # neither VIP nor KOL
    ContactFactory(account=quiet_account, is_vip=True, birthday=date(1975, 3, 12))  # 8 days

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == [
        ("contact_birthday", "contact", vip.pk, date(2026, 3, 11)),
        ("contact_birthday", "contact", kol.pk, date(2026, 3, 8)),
    ]
    titles = Notification.objects.values_list("title", flat=True)
    assert f"{vip.full_name} (VIP, Alpha Foods) has a birthday on Wednesday 11 March" in titles


def test_a_29_february_birthday_is_celebrated_on_the_28th_in_other_years(alice, quiet_account):
    leap = ContactFactory(account=quiet_account, is_vip=True, birthday=date(1984, 2, 29))
    ActivityFactory(
        account=quiet_account, status="done", starts_at=datetime(2027, 2, 21, tzinfo=UTC)
    )

    services.reminders_create(now=datetime(2027, 2, 21, 9, tzinfo=UTC))

    assert kinds_for(alice) == [("contact_birthday", "contact", leap.pk, date(2027, 2, 28))]


def test_running_the_reminders_twice_creates_nothing_new(alice, quiet_account):
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 10))
    ActivityFactory(account=quiet_account, type="task", starts_at=local(TODAY, 9))
    ContactFactory(account=quiet_account, is_vip=True, birthday=date(1975, 3, 11))

    services.reminders_create(now=NOW)
    first = list(Notification.objects.order_by("pk").values_list("pk", "kind", "occasion"))
    services.reminders_create(now=NOW + timedelta(hours=1))

    assert len(first) == 3
    assert list(Notification.objects.order_by("pk").values_list("pk", "kind", "occasion")) == first


def test_the_database_refuses_a_second_reminder_for_the_same_occasion(alice):
    row = NotificationFactory(recipient=alice, subject_id=7)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Notification.objects.create(
            recipient=alice,
            kind=row.kind,
            subject_type=row.subject_type,
            subject_id=7,
            occasion=row.occasion,
            title="again",
        )


def test_the_rules_list_is_the_one_place_a_new_reminder_is_registered(alice, quiet_account):
    def weekly_hello(*, ctx):
        yield reminders.Reminder(
            recipient_id=alice.pk,
            kind="hello",
            subject_type="user",
            subject_id=alice.pk,
            occasion=ctx.now.date(),
            title="Hello",
        )

    with mock.patch.object(reminders, "RULES", [*reminders.RULES, weekly_hello]):
        services.reminders_create(now=NOW)
        services.reminders_create(now=NOW)

    assert Notification.objects.filter(kind="hello").count() == 1


def test_the_celery_task_runs_the_rules_for_the_time_it_is_given(alice, quiet_account):
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 10))

    tasks.reminders_run.delay(now=NOW.isoformat())

    assert Notification.objects.filter(recipient=alice, kind="activity_tomorrow").count() == 1


def test_the_celery_task_refuses_a_time_without_an_offset(db):
    with pytest.raises(ValueError, match="UTC offset"):
        tasks.reminders_run.delay(now="2026-03-04T10:00")


# Concurrency: only PostgreSQL runs two writers at once (SQLite serialises them).


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_each_reminder_once(requires_postgres, alice, alice_account):
    ActivityFactory(account=alice_account, status="done", starts_at=NOW)
    for hour in range(8, 18):
        ActivityFactory(account=alice_account, starts_at=local(TOMORROW, hour))
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait(timeout=10)
            services.reminders_create(now=NOW)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Notification.objects.filter(kind="activity_tomorrow").count() == 10


# E-mail delivery


@pytest.fixture
def due_tomorrow(alice, quiet_account):
    return [ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, h)) for h in (9, 11)]


def _deliver(user, how):
    user.reminder_delivery = how
    user.save()


def test_each_reminder_is_emailed_once_to_who_asked_for_it(
    alice, due_tomorrow, django_capture_on_commit_callbacks
):
    _deliver(alice, ReminderDelivery.EMAIL)

    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_create(now=NOW)
    services.notifications_email_send(now=NOW)  # a retry, or the next hour's run

    assert sorted(message.subject for message in mail.outbox) == [
        "Tomorrow 09:00: visit with Alpha Foods",
        "Tomorrow 11:00: visit with Alpha Foods",
    ]
    assert mail.outbox[0].to == [alice.email]
    assert "http://127.0.0.1:8000/activities/" in mail.outbox[0].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_daily_digest_lists_the_unread_reminders_once(alice, due_tomorrow):
    _deliver(alice, ReminderDelivery.DIGEST)
    services.reminders_create(now=NOW)
    Notification.objects.filter(title__contains="11:00").update(read_at=NOW)

    assert services.notifications_digest_send(now=NOW) == 1
    assert services.notifications_digest_send(now=NOW) == 0

    (digest,) = mail.outbox
    assert digest.subject == "KAM CRM: 1 reminder"
    assert "Tomorrow 09:00: visit with Alpha Foods" in digest.body
    assert "11:00" not in digest.body


def test_in_app_only_users_get_no_email(alice, due_tomorrow):
    _deliver(alice, ReminderDelivery.IN_APP)
    services.reminders_create(now=NOW)

    assert services.notifications_email_send(now=NOW) == 0
    assert services.notifications_digest_send(now=NOW) == 0
    assert mail.outbox == []


def test_an_email_that_fails_to_send_is_tried_again_next_time(alice, due_tomorrow):
    _deliver(alice, ReminderDelivery.EMAIL)
    services.reminders_create(now=NOW)

    with mock.patch("activities.services.send_mail", side_effect=OSError("SMTP down")):
        assert services.notifications_email_send(now=NOW) == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2

    assert services.notifications_email_send(now=NOW) == 2


def _notification(user, title, subject_id):
    return Notification.objects.create(
        recipient=user,
        kind="task_due",
        subject_type="activity",
        subject_id=subject_id,
        occasion=TODAY,
        title=title,
        url="/activities/",
    )


def test_a_title_over_two_lines_is_emailed_on_one_line_and_the_others_still_go(alice):
    _deliver(alice, ReminderDelivery.EMAIL)
    _notification(alice, "Call back\r\nabout the  price", 1)
    _notification(alice, "Send the samples", 2)

    assert services.notifications_email_send(now=NOW) == 2

    assert sorted(message.subject for message in mail.outbox) == [
        "Call back about the price",
        "Send the samples",
    ]


def test_one_row_that_cannot_be_sent_is_counted_retried_a_few_times_and_never_blocks(alice):
    _deliver(alice, ReminderDelivery.EMAIL)
    bad = _notification(alice, "Poisoned", 1)
    _notification(alice, "Fine", 2)
    real_send = services.send_mail

    def send_mail(subject, *args, **kwargs):
        if subject == "Poisoned":
            raise ValueError("the mail server refuses this one")
        return real_send(subject, *args, **kwargs)

    with mock.patch("activities.services.send_mail", side_effect=send_mail):
        for _run in range(services.MAX_EMAIL_FAILURES + 2):
            services.notifications_email_send(now=NOW)

    assert [message.subject for message in mail.outbox] == ["Fine"]
    bad.refresh_from_db()
    assert bad.email_failures == services.MAX_EMAIL_FAILURES
    assert bad.emailed_at is None


def test_an_offer_the_client_holds_is_reminded_three_days_before_it_expires(alice, quiet_account):
    deal = DealFactory(account=quiet_account)
    sent = OfferFactory(deal=deal, status="sent", valid_until=TODAY + timedelta(days=3))
    OfferFactory(deal=deal, status="sent", valid_until=TODAY + timedelta(days=4))  # not yet
    OfferFactory(deal=deal, status="draft", valid_until=TODAY + timedelta(days=1))  # not out
    OfferFactory(deal=deal, status="accepted", valid_until=TODAY + timedelta(days=1))  # settled

    services.reminders_create(now=NOW)
    services.reminders_create(now=NOW + timedelta(hours=1))

    assert kinds_for(alice) == [("offer_expiring", "offer", sent.pk, TODAY + timedelta(days=3))]
    assert Notification.objects.get().url == f"/offers/{sent.pk}/"


def test_a_contract_is_reminded_60_30_and_7_days_before_it_ends(alice, quiet_account):
    end = TODAY + timedelta(days=60)
    contract = ContractFactory(account=quiet_account, end_date=end)
    ContractFactory(account=quiet_account, end_date=end, status="terminated")

    # Every day for two months, as the hourly task would: one reminder per threshold.
    for day in range(61):
        services.reminders_create(now=NOW + timedelta(days=day))

    ending = [row for row in kinds_for(alice) if row[0] == "contract_ending"]
    assert ending == [
        ("contract_ending", "contract", contract.pk, end - timedelta(days=days))
        for days in (60, 30, 7)
    ]


def test_a_missed_run_still_reminds_the_threshold_once(alice, quiet_account):
    contract = ContractFactory(account=quiet_account, end_date=TODAY + timedelta(days=25))

    services.reminders_create(now=NOW)
    services.reminders_create(now=NOW + timedelta(days=1))

    assert kinds_for(alice) == [
        ("contract_ending", "contract", contract.pk, contract.end_date - timedelta(days=30))
    ]


def test_someone_moved_out_of_sales_is_no_longer_reminded(alice, quiet_account):
    ActivityFactory(account=quiet_account, starts_at=local(TOMORROW, 10))
    alice.role = "finance"
    alice.territory = None
    alice.save()

    services.reminders_create(now=NOW)

    assert kinds_for(alice) == []


def _due_queries(now) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        rows = list(reminders.due(now=now))
    return len(queries), rows


def test_each_rule_runs_once_whatever_languages_the_team_speaks(
    alice, bob, alice_account, bob_account
):
    for account in (alice_account, bob_account):
        ActivityFactory(account=account, starts_at=local(TOMORROW, 10))
        ActivityFactory(account=account, starts_at=local(TODAY, 8), type="task")
    one_language, rows = _due_queries(NOW)
    alice.language = "pl"
    alice.save(update_fields=["language"])
    two_languages, rows = _due_queries(NOW)
    assert two_languages == one_language
    assert len(rows) >= 4


def test_a_polish_and_an_english_recipient_each_read_their_own_language(
    alice, bob, alice_account, bob_account
):
    alice.language, bob.language = "pl", "en"
    alice.save(update_fields=["language"])
    bob.save(update_fields=["language"])
    for account in (alice_account, bob_account):
        ActivityFactory(account=account, starts_at=local(TOMORROW, 10), type="visit")
    with translation.override("en"):
        services.reminders_create(now=NOW)
    titles = dict(
        Notification.objects.filter(kind="activity_tomorrow").values_list(
            "recipient__username", "title"
        )
    )
    assert titles["alice"] == "Jutro 10:00: wizyta \u2013 Alpha Foods"
    assert titles["bob"] == f"Tomorrow 10:00: visit with {bob_account.name}"


def test_a_contract_reminder_writes_its_date_in_the_recipients_language(
    alice, bob, alice_account, bob_account
):
    alice.language, bob.language = "pl", "en"
    alice.save(update_fields=["language"])
    bob.save(update_fields=["language"])
    for account in (alice_account, bob_account):
        ContractFactory(account=account, end_date=TODAY + timedelta(days=30), renewal="manual")
    with translation.override("en"):
        services.reminders_create(now=NOW)
    titles = dict(
        Notification.objects.filter(kind="contract_ending").values_list(
            "recipient__username", "title"
        )
    )
    assert titles["alice"].endswith("kończy się 3 kwietnia 2026 (za 30 dni)")
    assert titles["bob"].endswith("ends on 3 April 2026 (30 days)")
