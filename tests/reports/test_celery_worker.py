"""A real Celery worker on Redis is killed (SIGKILL) in the middle of a report; after Redis
hands the unacknowledged message to the next worker, exactly one finished report is left.

Needs PostgreSQL (the worker is another process writing to the test database) and Redis; both
skip locally without them and fail in CI.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from reports import services, tasks
from reports.models import ReportJob
from tests.activities.test_celery_worker import _test_database_url
from tests.reports import slow_kind  # noqa: F401 - registers the "test_slow" kind here too
from tests.reports.conftest import pdf_pages, stored_files

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
DEADLINE = 40  # seconds
REPORT_TIME_LIMIT = 3  # a claim older than this is a dead run's
VISIBILITY_TIMEOUT = 4  # Redis hands an unacknowledged message on after this


def _start_worker(queue: str, var_dir: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam_crm.settings_test",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "tests-only-secret-key",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "KAM_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REPORT_TIME_LIMIT": str(REPORT_TIME_LIMIT),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    with log.open("a") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kam_crm",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-I",
                "tests.reports.slow_kind",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def workers(tmp_path, monkeypatch):
    """Starts workers on a queue of their own; stops whatever is left at the end."""
    queue = f"test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    started: list[subprocess.Popen] = []
    monkeypatch.setattr(
        tasks.report_job_run,
        "delay",
        lambda job_id: tasks.report_job_run.apply_async(args=[job_id], queue=queue),
    )
    conf = tasks.report_job_run.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False

    def start() -> subprocess.Popen:
        started.append(_start_worker(queue, tmp_path, log))
        return started[-1]

    yield queue, start, log
    conf.task_always_eager = eager
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(condition, *, log: Path, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log.read_text()}")


def test_a_worker_killed_mid_report_leaves_exactly_one_done_report_after_the_retry(
    requires_redis, requires_postgres, workers, alice, media
):
    queue, start, log = workers
    first = start()
    job = services.report_job_request(actor=alice, kind="test_slow", data={"seconds": 60})

    _wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, status="running", progress__gte=5).exists(),
        log=log,
        what="the first run to get under way",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed = ReportJob.objects.get(pk=job.pk)
    assert (killed.status, killed.attempts) == ("running", 1)
    # A duplicate of the message as well: it must not produce a second file either.
    tasks.report_job_run.apply_async(args=[job.pk], queue=queue)

    time.sleep(VISIBILITY_TIMEOUT + 0.5)  # the killed worker's message is handed on
    start()
    _wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, status="done").exists(),
        log=log,
        what="the retried run to finish",
    )
    time.sleep(1)  # let any further delivery of the job run too

    done = ReportJob.objects.get(pk=job.pk)
    assert (done.status, done.attempts, done.progress) == ("done", 2, 100)
    assert stored_files(media) == [media / done.file.name]
    assert "Page 1 of 1" in pdf_pages(done.file.read())[0]
    outcomes = log.read_text()
    assert outcomes.count("succeeded") == 2  # the handed-on message and the duplicate
    assert "'done'" in outcomes and "'not claimed'" in outcomes


def test_the_beat_task_queues_a_subscription_that_a_real_worker_prepares_and_emails(
    requires_redis, requires_postgres, workers, fiona, media
):
    from datetime import date

    from reports.models import ReportSubscription

    _queue, start, log = workers
    start()
    subscription = services.report_subscription_create(
        actor=fiona, kind="aging", data={"group_by": "kam", "format": "pdf"}, frequency="weekly"
    )

    assert tasks.report_subscriptions_run("2026-09-07") == {"queued": 1, "skipped": 0}
    assert tasks.report_subscriptions_run("2026-09-07") == {"queued": 0, "skipped": 0}

    _wait_for(
        lambda: ReportJob.objects.filter(
            subscription=subscription, status="done", emailed_at__isnull=False
        ).exists(),
        log=log,
        what="the subscribed report to be prepared and e-mailed",
    )
    job = ReportJob.objects.get(subscription=subscription)
    assert "Aging as of 7 September 2026" in pdf_pages(job.file.read())[0]
    assert ReportSubscription.objects.get(pk=subscription.pk).last_sent_on == date(2026, 9, 7)
