"""Background jobs. Each takes JSON arguments, calls one service, and is safe to run twice:
reminders are unique per occasion in the database and e-mails are claimed with a conditional
UPDATE before they are sent, so `acks_late` (redelivery after a crash) cannot duplicate them.

The schedule (CELERY_BEAT_SCHEDULE in kam_crm/settings.py, UTC) runs `reminders_run` every
hour and `digest_send` daily.
"""

from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def _moment(now: str | None) -> datetime:
    """The ISO time a caller (a test, a retry) fixed, else the current time."""
    if now is None:
        return timezone.now()
    moment = parse_datetime(now)
    if moment is None or timezone.is_naive(moment):
        raise ValueError(f"Expected an ISO 8601 time with a UTC offset, got {now!r}")
    return moment


@shared_task(acks_late=True)
def reminders_run(now: str | None = None) -> int:
    from .services import reminders_create

    return reminders_create(now=_moment(now))


@shared_task(acks_late=True)
def notifications_email_send(now: str | None = None) -> int:
    from .services import notifications_email_send as send

    return send(now=_moment(now))


@shared_task(acks_late=True)
def digest_send(now: str | None = None) -> int:
    from .services import notifications_digest_send

    return notifications_digest_send(now=_moment(now))
