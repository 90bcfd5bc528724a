"""A real Celery worker, started by the test, runs the reminder task sent through Redis.

Needs PostgreSQL (the worker is another process writing to the test database) and Redis;
both skip locally without them and fail in CI.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from activities import tasks
from activities.models import Notification
from kam_crm.celery import app
from tests.activities.conftest import NOW, TODAY, local
from tests.factories import ActivityFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
DEADLINE = 30  # seconds


def _test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_..., _gwN under xdist)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "postgres")
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(request, tmp_path):
    """A solo-pool worker on a queue of its own, so no other worker takes our messages.
    Parametrize it (indirect) with another settings module to change what the worker uses."""
    queue = f"test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": getattr(request, "param", "kam_crm.settings_test"),
        "KAM_TEST_MAIL_LOG": str(tmp_path / "mail.jsonl"),
        "KAM_TEST_QUEUE": queue,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "tests-only-secret-key",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "KAM_VAR_DIR": str(tmp_path),
    }
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
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
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue, process, log
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(condition, *, process, log, seconds: float = DEADLINE) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker exited ({process.returncode}):\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"No result after {seconds} s. Worker log:\n{log.read_text()}")


def test_a_real_worker_creates_each_reminder_once_even_when_the_task_is_sent_twice(
    requires_redis, requires_postgres, worker, alice, alice_account
):
    queue, process, log = worker
    ActivityFactory(account=alice_account, status="done", type="call", starts_at=NOW)
    tomorrow = [
        ActivityFactory(account=alice_account, starts_at=local(TODAY + timedelta(days=1), h))
        for h in (9, 13)
    ]
    day_after = ActivityFactory(
        account=alice_account, starts_at=local(TODAY + timedelta(days=2), 9)
    )

    # Twice for the same moment, then once for the next day. One solo worker takes the
    # messages in order, so when the third one's reminder exists the first two are done.
    for moment in (NOW, NOW, NOW + timedelta(days=1)):
        tasks.reminders_run.apply_async(kwargs={"now": moment.isoformat()}, queue=queue)

    _wait_for(
        lambda: Notification.objects.filter(subject_id=day_after.pk).exists(),
        process=process,
        log=log,
    )
    reminded = Notification.objects.filter(kind="activity_tomorrow", recipient=alice)
    assert sorted(reminded.values_list("subject_id", flat=True)) == sorted(
        [a.pk for a in tomorrow] + [day_after.pk]
    )
    assert "activities.tasks.reminders_run" in log.read_text()


@pytest.mark.parametrize("worker", ["tests.worker_settings"], indirect=True)
def test_a_real_worker_keeps_sending_when_one_e_mail_fails_and_gives_it_up_after_three(
    requires_redis, requires_postgres, worker, tmp_path, alice, bob
):
    from activities.services import MAX_EMAIL_FAILURES
    from tests.factories import NotificationFactory

    queue, process, log = worker
    mail_log = tmp_path / "mail.jsonl"
    for user, address in ((alice, "alice@example.com"), (bob, "bounce@example.com")):
        user.email, user.reminder_delivery = address, "email"
        user.save(update_fields=["email", "reminder_delivery"])
    # A bounced address first, and a title typed over two lines (it once broke the subject).
    bounced = NotificationFactory(recipient=bob, title="Call Bob")
    delivered = [
        NotificationFactory(recipient=alice, title="Visit Alpha\nbring samples"),
        NotificationFactory(recipient=alice, title="Call Beta"),
    ]
    runs = MAX_EMAIL_FAILURES + 1
    for _ in range(runs):
        tasks.notifications_email_send.apply_async(kwargs={"now": NOW.isoformat()}, queue=queue)

    _wait_for(
        lambda: (
            log.read_text().count("notifications_email_send[") >= 2 * runs
            and log.read_text().count(" succeeded in ") >= runs
        ),
        process=process,
        log=log,
    )
    sent = [line for line in mail_log.read_text().splitlines() if line]
    assert len(sent) == 2  # each of alice's once, in the first run, despite bob's failing
    assert '"subject": "Visit Alpha bring samples"' in mail_log.read_text()
    bounced.refresh_from_db()
    assert (bounced.email_failures, bounced.emailed_at) == (MAX_EMAIL_FAILURES, None)
    for notification in delivered:
        notification.refresh_from_db()
        assert notification.emailed_at is not None and notification.email_failures == 0
    assert log.read_text().count(f"Notification {bounced.pk} not e-mailed") == MAX_EMAIL_FAILURES
