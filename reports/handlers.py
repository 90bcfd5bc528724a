"""Reports' receivers of lower apps' signals, connected in ReportsConfig.ready()."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

logger = logging.getLogger(__name__)


def dunning_letters_prepare(sender, *, letters, actor, **kwargs) -> None:
    """The nightly dunning run reached letter or e-mail levels: prepare each account's letter
    (stored under My reports of the user the run acts for) and, when it names the billing
    contact, e-mail it to them once the PDF is made. A letter already asked for (the same
    account, level and day) is not asked for again, so a signal delivered twice e-mails once."""
    from .models import ReportJob
    from .services import report_job_request

    if actor is None:
        return
    for account_id, level_id, day, send_to in letters:
        if ReportJob.objects.filter(
            requested_by=actor,
            kind="dunning_letter",
            parameters__account=account_id,
            parameters__level=level_id,
            parameters__as_of=day,
        ).exists():
            continue
        try:
            report_job_request(
                actor=actor,
                kind="dunning_letter",
                data={"account": account_id, "level": level_id, "as_of": day, "send_to": send_to},
            )
        except (Http404, PermissionDenied, ValidationError):
            logger.warning("No dunning letter for account %s at level %s", account_id, level_id)
