"""The nightly dunning run through a real Celery worker on Redis: the task sent twice, the
letter prepared by the report job the run queues (on the worker's own queue), and e-mailed
to the billing contact once.

Needs PostgreSQL (the worker is another process writing to the test database) and Redis;
both skip locally without them and fail in CI.
"""

import json
from datetime import timedelta

import pytest

from receivables import tasks
from receivables.models import CollectionAction
from reports.models import ReportJob
from tests.activities.test_celery_worker import _wait_for, worker  # noqa: F401 - the fixture
from tests.receivables.conftest import DAY
from tests.reports.test_money_kinds import _billing_contact

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# A worker imports the whole project (WeasyPrint, openpyxl, ...) before it is ready: over 30 s
# on a loaded two-core machine, and the letter's PDF is rendered in it too.
DEADLINE = 180  # seconds


@pytest.mark.parametrize("worker", ["tests.worker_settings"], indirect=True)
def test_a_real_worker_emails_the_dunning_letter_to_the_billing_contact_once(
    requires_redis,
    requires_postgres,
    worker,  # noqa: F811 - the fixture imported above
    tmp_path,
    adam,
    alice_account,
    issue,
):
    queue, process, log = worker
    late = issue(
        alice_account,
        "250.00",
        issued=DAY - timedelta(days=50),
        due=DAY - timedelta(days=20),
        number="FV/2",
    )
    _billing_contact(alice_account)  # Ewa Księgowa <ewa@alpha.example>

    # The same night twice (a beat that fired twice): one level, one letter, one e-mail.
    for _ in range(2):
        tasks.dunning_run.apply_async(args=[DAY.isoformat()], queue=queue)

    def finished() -> bool:
        text = log.read_text()
        return (
            text.count("receivables.tasks.dunning_run[") >= 2
            and text.count(" succeeded in ") >= 3  # both runs and the letter's report job
            and ReportJob.objects.filter(delivered_at__isnull=False).exists()
        )

    _wait_for(finished, process=process, log=log, seconds=DEADLINE)
    sent = [json.loads(line) for line in (tmp_path / "mail.jsonl").read_text().splitlines()]
    assert [m["to"] for m in sent] == [["ewa@alpha.example"]]
    job = ReportJob.objects.get(kind="dunning_letter")
    assert (job.status, job.deliver_to, job.requested_by) == ("done", "ewa@alpha.example", adam)
    assert job.file.name.endswith(".pdf")
    late.refresh_from_db()
    assert late.dunning_level.channel == "email"
    assert CollectionAction.objects.filter(invoice=late, kind="level").count() == 1
