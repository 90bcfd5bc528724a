"""Pages, e-mails and reminders in the user's language; plural forms; the language setting."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from activities import services as activity_services
from activities.models import Notification
from team.models import ReminderDelivery
from tests.factories import AccountFactory, ActivityFactory, NotificationFactory

pytestmark = pytest.mark.django_db

# English words of the interface that must not be left on a page shown in Polish.
ENGLISH = [
    "Accounts",
    "Deals",
    "Planner",
    "Today",
    "My settings",
    "Log out",
    "Save",
    "Search",
    "Notifications",
    "Pipeline",
    "New deal",
    "Filter",
    "Owner",
    "Export",
    "Previous",
    "This week",
    "Invoices",
    "Payments",
]
PAGES = [
    ("accounts:list", "Klienci"),
    ("deals:deal_list", "Szanse sprzedaży"),
    ("deals:board", "Lejek sprzedaży"),
    ("activities:planner", "Planer"),
    ("activities:today", "Dziś"),
    ("activities:settings", "Moje ustawienia"),
    ("receivables:invoice_list", "Faktury"),
    ("rates", "Kursy walut"),
]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def polish_kam(alice, alice_account):
    alice.language = "pl"
    alice.save(update_fields=["language"])
    ActivityFactory(account=alice_account, owner=alice)
    return alice


@pytest.mark.parametrize(("url_name", "polish"), PAGES)
def test_main_pages_are_in_polish_with_no_english_left(client, polish_kam, url_name, polish):
    client.force_login(polish_kam)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert polish in text
    left = [word for word in ENGLISH if re.search(rf"(?<![\w/]){re.escape(word)}(?!\w)", text)]
    assert not left, f"English left on {url_name}: {left}"
    assert response.headers["Content-Language"] == "pl"


def test_the_users_language_wins_over_the_browsers_after_login(client, alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.get(reverse("accounts:list"), HTTP_ACCEPT_LANGUAGE="pl")
    assert "Key accounts" in response.content.decode()
    assert response.cookies["django_language"].value == "en"


def test_the_login_page_speaks_the_browsers_language_and_the_first_login_keeps_it(client, alice):
    alice.set_password("demo")
    alice.save()
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9,en;q=0.5")
    assert "Zaloguj się" in page.content.decode()
    client.post(
        reverse("login"),
        {"username": "alice", "password": "demo"},
        HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9",
    )
    alice.refresh_from_db()
    assert alice.language == "pl"


def test_my_settings_switch_the_language(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("activities:settings"),
        {"language": "pl", "time_zone": "Europe/Warsaw", "reminder_delivery": "digest"},
        follow=True,
    )
    alice.refresh_from_db()
    assert alice.language == "pl"
    assert "Ustawienia zapisane." in response.content.decode()
    response = client.post(
        reverse("activities:settings"),
        {"language": "en", "time_zone": "Europe/Warsaw", "reminder_delivery": "digest"},
        follow=True,
    )
    assert "Settings saved." in response.content.decode()


def test_polish_plural_forms():
    with translation.override("pl"):
        forms = [
            ngettext("%(counter)s return", "%(counter)s returns", n) % {"counter": n}
            for n in (1, 2, 4, 5, 12, 22, 25)
        ]
        reminders = [
            ngettext("KAM CRM: %(count)s reminder", "KAM CRM: %(count)s reminders", n)
            % {"count": n}
            for n in (1, 3, 11)
        ]
    assert forms == [
        "1 zwrot",
        "2 zwroty",
        "4 zwroty",
        "5 zwrotów",
        "12 zwrotów",
        "22 zwroty",
        "25 zwrotów",
    ]
    assert reminders == [
        "KAM CRM: 1 przypomnienie",
        "KAM CRM: 3 przypomnienia",
        "KAM CRM: 11 przypomnień",
    ]


def test_the_planner_counts_activities_in_polish(client, polish_kam, alice_account):
    for hours in (1, 2):
        ActivityFactory(
            account=alice_account,
            owner=polish_kam,
            starts_at=timezone.now() + timedelta(hours=hours),
        )
    client.force_login(polish_kam)
    text = _visible_text(client.get(reverse("activities:planner")).content.decode())
    assert "2 aktywności" in text
    assert "Pon" in text and "Nd" in text  # the week runs Monday to Sunday
    assert text.index("Pon") < text.index("Nd")


def test_a_digest_email_goes_out_in_the_recipients_language(alice, bob):
    alice.language = "pl"
    alice.reminder_delivery = bob.reminder_delivery = ReminderDelivery.DIGEST
    alice.save()
    bob.save()
    for user in (alice, bob):
        NotificationFactory(recipient=user, title="Alpha Foods")
    with translation.override("en"):  # the server's (or a sender's) language is not used
        activity_services.notifications_digest_send(now=timezone.now())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    polish, english = by_recipient[alice.email], by_recipient[bob.email]
    assert polish.subject == "KAM CRM: 1 przypomnienie"
    assert "Twoje przypomnienia:" in polish.body
    assert english.subject == "KAM CRM: 1 reminder"
    assert "Your reminders:" in english.body


def test_a_reminder_is_written_in_the_recipients_language(alice, bob, alice_account):
    alice.language = "pl"
    alice.save(update_fields=["language"])
    bob_account = AccountFactory(name="Beta Retail", owner=bob)
    old = timezone.now() - timedelta(days=400)
    for account, user in ((alice_account, alice), (bob_account, bob)):
        ActivityFactory(account=account, owner=user, starts_at=old, status="done")
    with translation.override("en"):
        activity_services.reminders_create(now=timezone.now())
    polish = Notification.objects.filter(recipient=alice, kind="account_past_cadence").get()
    english = Notification.objects.filter(recipient=bob, kind="account_past_cadence").get()
    assert polish.title.startswith("Czas na kontakt z Alpha Foods")
    assert english.title.startswith("Time to contact Beta Retail")


def test_a_form_field_without_a_label_is_labelled_in_polish():
    from activities.forms import PreferencesForm
    from deals.models import DealStage

    with translation.override("pl"):
        assert str(PreferencesForm()["time_zone"].label) == "Strefa czasowa"
        assert str(DealStage.LOST.label) == "Przegrana"  # not the account's "Utracony"
