"""Dunning letter: the level's text to the client and its overdue open items, on the
letterhead. Requested from the invoice page, by the nightly dunning run for the levels whose
channel is a letter or an e-mail (receivables.signals.dunning_letters_due), and e-mailed to the
client's contact when finance or the account's team choose one."""

from django import forms
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.models import Account
from receivables.access import can_log_collection
from receivables.models import DunningLevel
from receivables.selectors import dunning_letter

from ..documents import (
    client_contacts,
    deliver_to_contact,
    recipient_language,
    report_day,
    send_to_field,
)
from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register


class DunningLetterForm(forms.Form):
    account = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The level reached; empty: the first level of the ladder.
    level = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    as_of = forms.DateField(required=False, widget=forms.HiddenInput)
    send_to = send_to_field()


def authorize(user, parameters):
    return Account.objects.get_for_user(user, parameters["account"])


def _level(parameters) -> DunningLevel:
    if parameters.get("level"):
        return get_object_or_404(DunningLevel, pk=parameters["level"])
    return DunningLevel.objects.order_by("rank").first()


def render(job, progress):
    account = authorize(job.requested_by, job.parameters)
    level = _level(job.parameters)
    letter = dunning_letter(account=account, level=level, day=report_day(job))
    progress(50)
    # Written in the language of the contact it goes to.
    with translation.override(recipient_language(job.parameters.get("send_to"))):
        return pdf_render(
            "reports/pdf/dunning_letter.html",
            {"letter": letter, "account": account, "job": job},
            filename=f"dunning-{file_slug(account.name, account.pk)}-{letter.day:%Y-%m-%d}.pdf",
        )


def button(user, invoice):
    """On an invoice's page: the letter of the level it reached, for those who chase it."""
    if not can_log_collection(user, invoice.account):
        return None
    parameters = {"account": invoice.account_id}
    if invoice.dunning_level_id:
        parameters["level"] = invoice.dunning_level_id
    return parameters


register(
    ReportKind(
        slug="dunning_letter",
        title=gettext_lazy("Dunning letter"),
        form=DunningLetterForm,
        authorize=authorize,
        describe=lambda account, parameters: account.name,
        render=render,
        button=button,
        deliver_to=deliver_to_contact,
        field_choices=lambda user, invoice: {"send_to": client_contacts(user, invoice.account)},
    )
)
