"""The report job's task: takes the job's id, idempotent (see services.py), so `acks_late` and a
redelivery after a killed worker are safe. Time limits: CELERY_TASK_ANNOTATIONS in settings."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_job_run(job_id: int) -> str:
    from .services import report_job_run as run

    return run(job_id=job_id)


@shared_task(acks_late=True)
def report_subscriptions_run(today: str | None = None) -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): queue the weekly and monthly subscriptions that are due.
    Idempotent: each subscription is claimed for the day with a conditional UPDATE."""
    from django.utils import timezone
    from django.utils.dateparse import parse_date

    from .services import report_subscriptions_run as run

    day = parse_date(today) if today else timezone.localdate()
    if day is None:
        raise ValueError(f"Expected an ISO date, got {today!r}")
    return run(today=day)
