"""The nightly health run (CELERY_BEAT_SCHEDULE "health-nightly"). Idempotent: it rewrites
each account's row for the month, and the drop notification is unique per account and month."""

from celery import shared_task


@shared_task(acks_late=True)
def health_scores_compute() -> int:
    from .services import health_scores_compute as compute

    return compute()
