"""Statement of account: what the client owed at the start of a period, what happened, what it
owes at the end and the items still open, with a slip for the client's answer (the balance
confirmed, or disputed item by item). PDF or XLSX; sent to the client's contact if asked."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from core.exports import xlsx_bytes
from receivables.selectors import statement

from ..documents import (
    XLSX,
    chunks,
    client_contacts,
    deliver_to_contact,
    format_field,
    report_day,
    send_to_field,
)
from ..pdf import file_slug, pdf_render
from ..registry import Rendered, ReportKind, register

ZERO = Decimal("0.00")
ANSWER_LINES = 8  # blank rows on the slip for the items the client disputes


class StatementForm(forms.Form):
    account = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = format_field()
    send_to = send_to_field()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError({"start": _("The period must start before it ends.")})
        return data


def authorize(user, parameters):
    return Account.objects.select_related("owner").get_for_user(user, parameters["account"])


def period(job) -> tuple[date, date]:
    """The period asked for; by default from 1 January of the closing day's year."""
    end = report_day(job, "end")
    start = job.parameters.get("start")
    return (date.fromisoformat(start) if start else end.replace(month=1, day=1)), end


def statement_context(job, account: Account, progress) -> dict:
    start, end = period(job)
    data = statement(account=account, currency=account.currency, start=start, end=end)
    progress(40)
    totals = {"invoice": ZERO, "credit_note": ZERO, "payment": ZERO, "reversal": ZERO}
    for entry in data.entries:
        totals[entry.kind] += entry.debit + entry.credit
    return {
        "statement": data,
        "account": account,
        "totals": totals,
        "row_chunks": chunks(data.rows),
        "item_chunks": chunks([(i, max(0, (end - i.due_date).days)) for i in data.open_items]),
        "answer_lines": range(ANSWER_LINES),
        "job": job,
    }


KIND_LABELS = {
    "invoice": gettext_lazy("Invoice"),
    "credit_note": gettext_lazy("Credit note"),
    "payment": gettext_lazy("Payment"),
    "reversal": gettext_lazy("Payment reversed"),
}


def _xlsx(context) -> bytes:
    data, account = context["statement"], context["account"]
    summary = [
        [_("Statement of account"), account.legal_name or account.name],
        [_("Tax ID"), account.tax_id],
        [_("Period"), data.start, data.end],
        [_("Currency"), data.currency],
        [],
        [_("Date"), _("Document"), _("Reference"), _("Debit"), _("Credit"), _("Balance")],
        ["", _("Opening balance"), "", "", "", data.opening],
    ]
    summary += [
        [e.day, str(KIND_LABELS[e.kind]), e.reference, e.debit or "", e.credit or "", balance]
        for e, balance in data.rows
    ]
    summary.append(["", _("Closing balance"), "", "", "", data.closing])
    items = [[_("Invoice"), _("Issued"), _("Due"), _("Days past due"), _("Gross"), _("Open")]]
    items += [
        [
            i.number,
            i.issue_date,
            i.due_date,
            max(0, (data.end - i.due_date).days),
            i.gross_total,
            i.open_on,
        ]
        for i in data.open_items
    ]
    answer = [
        [_("Client's answer to the statement of account as of %(d)s") % {"d": data.end}],
        [_("Our closing balance"), data.closing, data.currency],
        [],
        [_("Tick one (x):")],
        ["", _("We confirm the balance above.")],
        ["", _("We dispute the balance; the items we dispute:")],
        [_("Document"), _("Amount in our books"), _("Why")],
        *[["", "", ""] for _line in range(ANSWER_LINES)],
        [],
        [_("Name, position"), ""],
        [_("Date and signature"), ""],
    ]
    return xlsx_bytes(
        [(_("Statement"), summary), (_("Open items"), items), (_("Client's answer"), answer)]
    )


def render(job, progress):
    account = authorize(job.requested_by, job.parameters)
    context = statement_context(job, account, progress)
    name = f"statement-{file_slug(account.name, account.pk)}-{context['statement'].end:%Y-%m-%d}"
    if job.parameters.get("format") == "xlsx":
        return Rendered(content=_xlsx(context), filename=f"{name}.xlsx", content_type=XLSX)
    return pdf_render("reports/pdf/statement_of_account.html", context, filename=f"{name}.pdf")


register(
    ReportKind(
        slug="statement_of_account",
        title=gettext_lazy("Statement of account"),
        form=StatementForm,
        authorize=authorize,
        describe=lambda account, parameters: account.name,
        render=render,
        button=lambda user, account: {"account": account.pk, "format": "pdf"},
        deliver_to=deliver_to_contact,
        field_choices=lambda user, account: {"send_to": client_contacts(user, account)},
        button_label=gettext_lazy("Statement of account"),
    )
)
