"""Background jobs of commissions. Each takes JSON arguments, calls one service, and is safe to
run twice (a second ABC run the same day finds no class to change).

The schedule (CELERY_BEAT_SCHEDULE in kam_crm/settings.py, UTC) runs `abc_run` nightly."""

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_date


@shared_task(acks_late=True)
def abc_run(as_of: str | None = None) -> dict[str, int]:
    from .services.abc import abc_run as run

    day = parse_date(as_of) if as_of else timezone.localdate()
    if day is None:
        raise ValueError(f"Expected an ISO date, got {as_of!r}")
    result = run(as_of=day)
    return {"run": result.pk, "accounts": result.accounts, "changes": result.changes}
