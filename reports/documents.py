"""What the money kinds share: the PDF/XLSX choice, the client contact a document is sent to,
and long tables cut into pieces WeasyPrint lays out one at a time."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, Contact
from receivables.access import can_log_collection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_CHOICES = [("pdf", "PDF"), ("xlsx", "XLSX")]
# WeasyPrint lays a table out as a whole and its time and memory grow faster than its rows
# (issues #1104, #1950): a long table is printed as several tables of this many rows, each
# with its header, which splits between pages like one table.
TABLE_CHUNK_ROWS = 200


def format_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, initial="pdf")


def send_to_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Send it to"),
        required=False,
        min_value=1,
        widget=forms.Select(choices=[("", "—")]),
    )


def chunks(rows: list, size: int = TABLE_CHUNK_ROWS) -> list[list]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def report_day(job, parameters_key: str = "as_of") -> date:
    """The day a report is as of: the one asked for, else the day it was prepared."""
    value = job.parameters.get(parameters_key)
    return date.fromisoformat(value) if value else timezone.localdate(job.as_of)


def client_contacts(user, account: Account) -> list[tuple[str, str]]:
    """The account's contacts with an e-mail address, for "send it to" (empty when `user` may
    not send money documents to the client). One query."""
    if not can_log_collection(user, account):
        return []
    contacts = Contact.objects.filter(account=account).exclude(email="").order_by("last_name")
    return [("", "—")] + [
        (str(c.pk), f"{c.first_name} {c.last_name} <{c.email}>")
        for c in contacts.only("first_name", "last_name", "email")
    ]


def deliver_to_contact(user, parameters) -> str:
    """The address of the contact chosen in `send_to`, after checking the user may send it."""
    contact_id = parameters.get("send_to")
    if not contact_id:
        return ""
    account = Account.objects.get_for_user(user, parameters["account"])
    if not can_log_collection(user, account):
        raise ValidationError({"send_to": _("Only the account's team and finance send this.")})
    contact = Contact.objects.filter(account=account, pk=contact_id).exclude(email="").first()
    if contact is None:
        raise ValidationError({"send_to": _("Choose a contact of this account with an e-mail.")})
    return contact.email


# How people write the languages a contact speaks ("Polish, English", "polski", "pl").
_LANGUAGE_WORDS = {"pl": ("pl", "pol"), "en": ("en", "eng", "ang")}


def recipient_language(contact_id: int | None) -> str:
    """The language a document for this contact is written in: the first of their languages
    the app speaks, else Polish for a client in Poland, else the site's language. One query."""
    contact = (
        Contact.objects.select_related("account").filter(pk=contact_id).first()
        if contact_id
        else None
    )
    if contact is None:
        return settings.LANGUAGE_CODE
    for word in contact.languages.replace(";", ",").split(","):
        word = word.strip().lower()
        for code, starts in _LANGUAGE_WORDS.items():
            if word.startswith(starts):
                return code
    return "pl" if contact.account.country == "PL" else settings.LANGUAGE_CODE
