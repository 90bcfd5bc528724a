"""Background jobs of receivables. Each takes JSON arguments, calls one service, and is safe to
run twice (the dunning run moves an invoice one level per day at most, and records a level once
per invoice in the database).

The schedule (CELERY_BEAT_SCHEDULE in kam_crm/settings.py, UTC) runs `dunning_run` nightly.
"""

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_date


@shared_task(acks_late=True)
def dunning_run(today: str | None = None) -> dict[str, int]:
    from .services import dunning_run as run

    day = parse_date(today) if today else timezone.localdate()
    if day is None:
        raise ValueError(f"Expected an ISO date, got {today!r}")
    return run(today=day)
