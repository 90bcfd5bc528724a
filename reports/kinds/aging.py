"""Aging: what was open on a day by days past due, for the company, per territory, KAM or
account, over what the requester may see (a KAM their accounts, a director the territory,
finance and admins everything). PDF or XLSX; finance can receive it every week."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import xlsx_bytes
from receivables.models import Invoice
from receivables.selectors import aging, behaviour

from ..documents import XLSX, format_field, report_day
from ..pdf import pdf_render
from ..registry import Rendered, ReportKind, register

GROUP_CHOICES = [
    ("", gettext_lazy("Company")),
    ("territory", gettext_lazy("Territory")),
    ("kam", gettext_lazy("KAM")),
    ("account", gettext_lazy("Account")),
]


class AgingReportForm(forms.Form):
    as_of = forms.DateField(required=False, widget=forms.HiddenInput)
    group_by = forms.ChoiceField(label=gettext_lazy("Per"), choices=GROUP_CHOICES, required=False)
    format = format_field()


def authorize(user, parameters):
    return user  # what it holds is the requester's own scope, read again when it is made


def describe(user, parameters) -> str:
    group = dict(GROUP_CHOICES)[parameters.get("group_by") or ""]
    day = parameters.get("as_of") or _("the day it is prepared")
    return f"{group} · {day}"


def render(job, progress):
    user = job.requested_by
    as_of = report_day(job)
    invoices = Invoice.objects.visible_to(user)
    report = aging(invoices=invoices, as_of=as_of, group_by=job.parameters.get("group_by") or None)
    figures = list(behaviour(invoices=invoices, as_of=as_of).values())
    progress(50)
    name = f"aging-{as_of:%Y-%m-%d}"
    group_label = dict(GROUP_CHOICES)[job.parameters.get("group_by") or ""]
    if job.parameters.get("format") == "xlsx":
        header = [str(group_label), _("Currency"), *[b.label for b in report.buckets]]
        header += [_("Total"), _("Overdue")]
        rows = [[_("Aging as of %(d)s") % {"d": as_of}], header]
        for row in [*report.rows, *report.totals]:
            rows.append([row.label, row.currency, *row.amounts, row.total, row.overdue])
        return Rendered(
            content=xlsx_bytes([(_("Aging"), rows)]), filename=f"{name}.xlsx", content_type=XLSX
        )
    return pdf_render(
        "reports/pdf/aging.html",
        {
            "report": report,
            "figures": figures,
            "group_label": group_label,
            "scope": user,
            "job": job,
        },
        filename=f"{name}.pdf",
    )


def button(user, page_form):
    """On the aging page: the day and grouping the page shows (its filter form)."""
    shown = page_form.cleaned_data if page_form.is_bound and page_form.is_valid() else {}
    as_of = shown.get("as_of")
    return {
        "as_of": as_of.isoformat() if as_of else "",
        "group_by": shown.get("group_by") or "",
        "format": "pdf",
    }


register(
    ReportKind(
        slug="aging",
        title=gettext_lazy("Aging"),
        form=AgingReportForm,
        authorize=authorize,
        describe=describe,
        render=render,
        button=button,
        schedulable=True,
        button_label=gettext_lazy("Prepare the aging report"),
    )
)
