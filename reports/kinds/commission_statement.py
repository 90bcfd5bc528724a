"""A KAM's commission statement for a month, line by line, as a PDF.

Rendered from the statement's entries only (a closed period's are frozen in the database), so
a closed month's PDF downloaded again shows the same figures. When finance closes a period,
commissions sends `period_closed`; the receiver here prepares each KAM's PDF, requested in the
KAM's name so that it is e-mailed to them when done.
"""

import logging

from django import forms
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from commissions import access
from commissions.models import Statement
from commissions.selectors.statements import entries_for, slices_by_bracket, statements_for
from commissions.signals import period_closed

from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register

logger = logging.getLogger(__name__)
SLUG = "commission_statement"


class CommissionStatementForm(forms.Form):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def authorize(user, parameters):
    return access.get_visible(statements_for(user), parameters["statement"])


def render(job, progress):
    statement = authorize(job.requested_by, job.parameters)
    entries = list(
        entries_for(job.requested_by, period=statement.period, kam_id=statement.kam_id).filter(
            currency=statement.currency
        )
    )
    progress(50)
    lines = [(entry, slices_by_bracket(entry.slices)) for entry in entries]
    return pdf_render(
        "reports/pdf/commission_statement.html",
        {"statement": statement, "lines": lines, "job": job},
        filename=(
            f"commission-{statement.period.month:%Y-%m}-"
            f"{file_slug(statement.kam.username, statement.kam_id)}.pdf"
        ),
    )


register(
    ReportKind(
        slug=SLUG,
        title=_("Commission statement"),
        form=CommissionStatementForm,
        authorize=authorize,
        describe=lambda s, parameters: f"{s.kam} · {s.period.month:%Y-%m}",
        render=render,
        button=lambda user, statement: {"statement": statement.pk},
    )
)


@receiver(period_closed, dispatch_uid="reports_commission_statements_on_close")
def statements_on_close(sender, *, period_id, statement_ids, **kwargs):
    """Each KAM's statement PDF, prepared in the background and e-mailed to them."""
    from ..services import report_job_request

    kams = {
        s.pk: s.kam for s in Statement.objects.filter(pk__in=statement_ids).select_related("kam")
    }
    for statement_id, kam in kams.items():
        try:
            with transaction.atomic():
                report_job_request(
                    actor=kam, kind=SLUG, data={"statement": statement_id}, email_when_done=True
                )
        except Exception:  # one KAM's PDF failing to queue must not stop the others
            logger.exception("Commission statement %s: PDF not queued", statement_id)
