"""The report job's task: takes the job's id, idempotent (see services.py), so `acks_late` and a
redelivery after a killed worker are safe. Time limits: CELERY_TASK_ANNOTATIONS in settings."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_job_run(job_id: int) -> str:
    from .services import report_job_run as run

    return run(job_id=job_id)
