"""Reports' receivers of lower apps' signals, connected in ReportsConfig.ready()."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

logger = logging.getLogger(__name__)


def dunning_letters_prepare(sender, *, letters, actor, **kwargs) -> None:
    """The nightly dunning run reached letter or e-mail levels: prepare each account's letter
    (stored under My reports of the user the run acts for, to be sent from there or the
    invoice page)."""
    from .services import report_job_request

    if actor is None:
        return
    for account_id, level_id, day in letters:
        try:
            report_job_request(
                actor=actor,
                kind="dunning_letter",
                data={"account": account_id, "level": level_id, "as_of": day},
            )
        except (Http404, PermissionDenied, ValidationError):
            logger.warning("No dunning letter for account %s at level %s", account_id, level_id)
