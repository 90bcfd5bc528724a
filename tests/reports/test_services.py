"""Requesting, running and retrying report jobs: one file per job however often its task runs."""

import hashlib
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from reports import registry, services, tasks
from reports.models import ReportJob
from tests.reports.conftest import pdf_pages, stored_files

pytestmark = pytest.mark.django_db


def _request(user, account, **options):
    return services.report_job_request(
        actor=user, kind="account_brief", data={"account": account.pk}, **options
    )


def test_a_job_is_queued_after_the_request_commits(
    alice, brief_account, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.report_job_run, "delay", sent.append)

    with django_capture_on_commit_callbacks() as callbacks:
        job = _request(alice, brief_account)
        assert sent == []

    for callback in callbacks:
        callback()
    assert sent == [job.pk]
    assert job.status == "queued"
    assert job.title == "Dossier brief: Alpha Foods"
    assert job.parameters == {"account": brief_account.pk}


def test_asking_again_while_it_is_prepared_returns_the_same_job(
    alice, brief_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = _request(alice, brief_account)
        second = _request(alice, brief_account)

    assert first == second
    assert len(callbacks) == 1
    assert ReportJob.objects.count() == 1


def test_an_account_outside_the_kams_scope_is_not_found(bob, brief_account):
    with pytest.raises(Http404):
        _request(bob, brief_account)
    assert not ReportJob.objects.exists()


def test_finance_sees_the_account_but_may_not_ask_for_its_private_brief(fiona, brief_account):
    with pytest.raises(PermissionDenied):
        _request(fiona, brief_account)


def test_bad_parameters_are_refused_per_field(alice):
    with pytest.raises(ValidationError) as error:
        services.report_job_request(actor=alice, kind="account_brief", data={"account": "x"})
    assert "account" in error.value.message_dict


def test_an_unknown_kind_is_not_found(alice):
    with pytest.raises(Http404):
        services.report_job_request(actor=alice, kind="horoscope", data={})


def test_running_a_job_stores_one_pdf_with_its_hash_and_size(alice, brief_account, media):
    job = _request(alice, brief_account)

    assert services.report_job_run(job_id=job.pk) == "done"

    job.refresh_from_db()
    content = job.file.read()
    assert job.status == "done"
    assert job.progress == 100
    assert job.attempts == 1
    assert job.content_type == "application/pdf"
    assert job.size == len(content)
    assert job.content_hash == hashlib.sha256(content).hexdigest()
    assert job.as_of is not None and job.finished_at >= job.started_at
    assert "Zofia Żółkiewska" in "".join(pdf_pages(content))
    assert stored_files(media) == [media / job.file.name]


def test_a_duplicated_delivery_of_a_finished_job_changes_nothing(alice, brief_account, media):
    job = _request(alice, brief_account)
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()

    assert services.report_job_run(job_id=job.pk) == "not claimed"

    again = ReportJob.objects.get(pk=job.pk)
    assert (again.attempts, again.file.name, again.content_hash) == (
        1,
        job.file.name,
        job.content_hash,
    )
    assert len(stored_files(media)) == 1


def test_a_second_delivery_while_the_first_run_renders_does_nothing(alice, brief_account):
    job = _request(alice, brief_account)
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )

    assert services.report_job_run(job_id=job.pk) == "not claimed"
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_a_job_whose_worker_died_is_taken_over_and_its_partial_file_removed(
    alice, brief_account, media, settings
):
    job = _request(alice, brief_account)
    killed_at = timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT + 1)
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, progress=60, started_at=killed_at
    )
    # The killed run had saved its file but not yet recorded it.
    orphan = media / f"reports/{job.pk}/1/dossier-brief.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF- half")

    assert services.report_job_run(job_id=job.pk) == "done"

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert stored_files(media) == [media / job.file.name]
    assert f"reports/{job.pk}/2/" in job.file.name


def test_a_run_that_lost_its_claim_records_nothing_and_keeps_no_file(
    alice, brief_account, media, monkeypatch
):
    job = _request(alice, brief_account)
    kind = registry.kind_get("account_brief")

    def overtaken(job, progress):
        # Meanwhile the job was taken over by another run (attempt 2).
        ReportJob.objects.filter(pk=job.pk).update(attempts=2)
        return kind.render(job, progress)

    monkeypatch.setitem(registry._KINDS, "account_brief", replace(kind, render=overtaken))

    assert services.report_job_run(job_id=job.pk) == "overtaken"
    assert ReportJob.objects.get(pk=job.pk).status == "running"
    assert stored_files(media) == []


def test_progress_is_recorded_while_the_report_renders(alice, brief_account, monkeypatch):
    job = _request(alice, brief_account)
    kind = registry.kind_get("account_brief")
    seen = []

    def watched(job, progress):
        progress(30)
        seen.append(ReportJob.objects.get(pk=job.pk).progress)
        return kind.render(job, progress)

    monkeypatch.setitem(registry._KINDS, "account_brief", replace(kind, render=watched))
    services.report_job_run(job_id=job.pk)

    assert seen == [30]


def test_a_report_that_breaks_fails_with_a_reason_and_can_be_retried(
    alice, brief_account, monkeypatch, django_capture_on_commit_callbacks
):
    job = _request(alice, brief_account)
    kind = registry.kind_get("account_brief")

    def broken(job, progress):
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._KINDS, "account_brief", replace(kind, render=broken))
    assert services.report_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Something went wrong while preparing it" in job.failure_reason

    monkeypatch.setitem(registry._KINDS, "account_brief", kind)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_job_retry(actor=alice, job=job)

    assert len(callbacks) == 1  # queued again, and the eager task ran it
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure_reason) == ("done", 2, "")


def test_a_report_past_its_soft_time_limit_fails_saying_so(alice, brief_account, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    job = _request(alice, brief_account)
    kind = registry.kind_get("account_brief")

    def slow(job, progress):
        raise SoftTimeLimitExceeded()

    monkeypatch.setitem(registry._KINDS, "account_brief", replace(kind, render=slow))
    services.report_job_run(job_id=job.pk)

    assert "took longer than" in ReportJob.objects.get(pk=job.pk).failure_reason


def test_a_job_on_an_account_reassigned_since_the_request_fails(alice, bob, brief_account):
    job = _request(alice, brief_account)
    brief_account.owner = bob
    brief_account.save(update_fields=["owner"])

    services.report_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failure_reason == "You may no longer see what this report holds."
    assert not job.file


def test_only_a_failed_job_can_be_retried(alice, brief_account):
    job = _request(alice, brief_account)
    with pytest.raises(ValidationError):
        services.report_job_retry(actor=alice, job=job)


def test_nobody_else_retries_my_job(alice, bob, brief_account):
    job = _request(alice, brief_account)
    ReportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="x")
    job.refresh_from_db()
    with pytest.raises(Http404):
        services.report_job_retry(actor=bob, job=job)


def test_a_stalled_job_can_be_retried(alice, brief_account, settings):
    job = _request(alice, brief_account)
    ReportJob.objects.filter(pk=job.pk).update(
        status="running",
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT + 5),
    )
    job.refresh_from_db()

    assert services.report_job_retry(actor=alice, job=job).status == "queued"


def test_the_requester_is_emailed_once_when_they_asked(alice, brief_account):
    job = _request(alice, brief_account, email_when_done=True)

    services.report_job_run(job_id=job.pk)
    services.report_job_email_send(job_id=job.pk)

    [message] = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "Your report is ready: Dossier brief: Alpha Foods"
    assert f"/reports/{job.pk}/download/" in message.body


def test_no_email_unless_asked(alice, brief_account):
    job = _request(alice, brief_account)
    services.report_job_run(job_id=job.pk)
    assert mail.outbox == []


def test_a_job_of_a_kind_no_longer_in_the_code_fails_saying_so(alice, brief_account):
    job = _request(alice, brief_account)
    ReportJob.objects.filter(pk=job.pk).update(kind="retired_kind")

    assert services.report_job_run(job_id=job.pk) == "failed"
    assert ReportJob.objects.get(pk=job.pk).failure_reason == (
        "This kind of report is no longer available."
    )
