"""Requesting, running and retrying report jobs.

A job runs at most once at a time and leaves one file, however often its task is delivered:

- `_claim` is a conditional UPDATE: it takes a queued job, or a running one whose run has
  outlived the hard time limit (its worker was killed: that run can no longer be writing), and
  bumps `attempts`. A second delivery of a job being rendered finds it claimed and does nothing;
  a delivery of a finished job does nothing.
- Every later write of the run (progress, done, failed) is conditional on that attempt number,
  so a run that lost its claim writes nothing, and removes the file it may have saved.
- A file is saved under `reports/<job>/<attempt>/` and, once the job is done, every other
  attempt's file is removed: a run killed after saving and before recording leaves no orphan.
"""

import hashlib
import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from team.models import User

from . import registry, tasks
from .documents import recipient_language
from .models import ACTIVE_STATUSES, ReportJob, ReportStatus, ReportSubscription

logger = logging.getLogger(__name__)

RUNNING_TOO_LONG = gettext_lazy(
    "It took longer than the %(seconds)s seconds a report may take. Try a shorter period."
)


def _lease() -> timedelta:
    return timedelta(seconds=settings.REPORT_TIME_LIMIT)


def report_job_is_stalled(job: ReportJob, *, now) -> bool:
    """Running for longer than any run may: its worker died and no retry picked it up."""
    return (
        job.status == ReportStatus.RUNNING
        and job.started_at is not None
        and job.started_at < now - _lease()
    )


def _enqueue(job: ReportJob) -> None:
    transaction.on_commit(lambda: tasks.report_job_run.delay(job.pk))


def report_job_request(
    *,
    actor: User,
    kind: str,
    data: dict,
    email_when_done: bool = False,
    subscription: ReportSubscription | None = None,
) -> ReportJob:
    """Check the request and queue the job; the same report still being prepared for the same
    user is returned rather than queued twice. Raises Http404 / PermissionDenied from the kind's
    access check and ValidationError (per field) for bad parameters."""
    report_kind = registry.kind_get(kind)
    parameters = _parameters(report_kind, data)
    subject = report_kind.authorize(actor, parameters)
    deliver_to = report_kind.deliver_to(actor, parameters) if report_kind.deliver_to else ""
    title = f"{report_kind.title}: {report_kind.describe(subject, parameters)}"[:255]
    active = ReportJob.objects.filter(
        requested_by=actor, kind=kind, parameters=parameters, status__in=ACTIVE_STATUSES
    )
    with transaction.atomic():
        existing = active.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    kind=kind,
                    parameters=parameters,
                    title=title,
                    requested_by=actor,
                    email_when_done=email_when_done,
                    deliver_to=deliver_to,
                    subscription=subscription,
                )
        except IntegrityError:
            # Another request for the same report won the race: that one is the job.
            return active.get()
        _enqueue(job)
    return job


def _parameters(report_kind: registry.ReportKind, data) -> dict:
    form = report_kind.form(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return report_kind.parameters(form.cleaned_data)


def report_job_retry(*, actor: User, job: ReportJob) -> ReportJob:
    """Queue a failed (or stalled) job again with the same parameters."""
    now = timezone.now()
    if job.requested_by_id != actor.pk:
        raise Http404("No such report.")
    if job.status != ReportStatus.FAILED and not report_job_is_stalled(job, now=now):
        raise ValidationError(_("Only a report that failed can be tried again."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                updated = (
                    ReportJob.objects.filter(pk=job.pk, attempts=job.attempts)
                    .exclude(status=ReportStatus.DONE)
                    .update(
                        status=ReportStatus.QUEUED,
                        progress=0,
                        failure_reason="",
                        started_at=None,
                        finished_at=None,
                    )
                )
        except IntegrityError:
            raise ValidationError(
                _("The same report is already being prepared; see My reports.")
            ) from None
        if updated:
            _enqueue(job)
    job.refresh_from_db()
    return job


def _claim(job_id: int, *, now) -> int | None:
    """The attempt number this run holds, or None when another run has (or had) the job."""
    claimable = Q(status=ReportStatus.QUEUED) | Q(
        status=ReportStatus.RUNNING, started_at__lt=now - _lease()
    )
    claimed = ReportJob.objects.filter(claimable, pk=job_id).update(
        status=ReportStatus.RUNNING,
        attempts=F("attempts") + 1,
        progress=0,
        started_at=now,
        as_of=now,
    )
    if not claimed:
        return None
    return ReportJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def _mine(job_id: int, attempt: int):
    return ReportJob.objects.filter(pk=job_id, attempts=attempt, status=ReportStatus.RUNNING)


def _progress(job_id: int, attempt: int):
    def report(percent: int) -> None:
        _mine(job_id, attempt).update(progress=max(0, min(int(percent), 99)))

    return report


def _fail(job_id: int, attempt: int, reason: str) -> None:
    _mine(job_id, attempt).update(
        status=ReportStatus.FAILED, failure_reason=reason, finished_at=timezone.now()
    )


def _folder(job_id: int) -> str:
    return f"reports/{job_id}"


def _remove_other_files(job_id: int, *, keep: str) -> None:
    folder = _folder(job_id)
    try:
        attempts, _files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for attempt in attempts:
        subfolder = f"{folder}/{attempt}"
        for name in default_storage.listdir(subfolder)[1]:
            path = f"{subfolder}/{name}"
            if path != keep:
                default_storage.delete(path)


def _store(job_id: int, attempt: int, rendered: registry.Rendered) -> bool:
    """Save the file and record the job done, if this run still holds it."""
    name = f"{_folder(job_id)}/{attempt}/{rendered.filename}"
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(rendered.content))
    recorded = _mine(job_id, attempt).update(
        status=ReportStatus.DONE,
        progress=100,
        file=saved,
        filename=rendered.filename,
        content_type=rendered.content_type,
        size=len(rendered.content),
        content_hash=hashlib.sha256(rendered.content).hexdigest(),
        finished_at=timezone.now(),
    )
    if not recorded:
        default_storage.delete(saved)
        return False
    _remove_other_files(job_id, keep=saved)
    return True


def report_job_run(*, job_id: int) -> str:
    """Render the job's report and store it; what happened, for the task's log."""
    now = timezone.now()
    attempt = _claim(job_id, now=now)
    if attempt is None:
        return "not claimed"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    kind = registry.kind_find(job.kind)
    if kind is None:  # a kind removed from the code since the job was queued
        _fail(job_id, attempt, _("This kind of report is no longer available."))
        return "failed"
    user = job.requested_by
    try:
        with timezone.override(user.tzinfo):
            # The requester's scope may have shrunk since they asked (an account reassigned).
            kind.authorize(user, job.parameters)
            rendered = kind.render(job, _progress(job_id, attempt))
    except SoftTimeLimitExceeded:
        _fail(job_id, attempt, RUNNING_TOO_LONG % {"seconds": settings.REPORT_TIME_LIMIT})
        return "failed"
    except (Http404, PermissionDenied):
        _fail(job_id, attempt, _("You may no longer see what this report holds."))
        return "failed"
    except Exception:
        logger.exception("Report job %s (%s) failed", job_id, job.kind)
        _fail(
            job_id,
            attempt,
            _(
                "Something went wrong while preparing it. Try again; if it fails again, tell "
                "your administrator."
            ),
        )
        return "failed"
    if not _store(job_id, attempt, rendered):
        return "overtaken"
    if job.email_when_done:
        report_job_email_send(job_id=job_id)
    if job.deliver_to:
        report_job_deliver(job_id=job_id)
    return "done"


def report_job_email_send(*, job_id: int) -> bool:
    """Tell the requester their report is ready, once: claimed with a conditional UPDATE."""
    now = timezone.now()
    if not ReportJob.objects.filter(
        pk=job_id, status=ReportStatus.DONE, email_when_done=True, emailed_at__isnull=True
    ).update(emailed_at=now):
        return False
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    if not user.email:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("reports:download", args=[job.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join((_("Your report is ready: %(title)s") % {"title": job.title}).split())
        body = render_to_string(
            "reports/email/job_done.txt",
            {"user": user, "job": job, "link": link, "site_url": settings.SITE_URL},
        )
    message = EmailMessage(subject, body, None, [user.email])
    if job.subscription_id:  # a scheduled report arrives with the document itself
        message.attach(job.filename, job.file.read(), job.content_type)
    try:
        message.send()
    except Exception:
        logger.exception("E-mail for report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(emailed_at=None)
        return False
    return True


def report_job_deliver(*, job_id: int) -> bool:
    """Send the finished document to the client's address chosen at the request, once."""
    if (
        not ReportJob.objects.filter(pk=job_id, status=ReportStatus.DONE, delivered_at__isnull=True)
        .exclude(deliver_to="")
        .update(delivered_at=timezone.now())
    ):
        return False
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    sender = job.requested_by
    with translation.override(recipient_language(job.parameters.get("send_to"))):
        subject = " ".join(f"{job.title} · {settings.COMPANY_NAME}".split())
        body = render_to_string(
            "reports/email/client_document.txt",
            {"job": job, "sender": sender, "company": settings.COMPANY_NAME},
        )
    message = EmailMessage(
        subject, body, None, [job.deliver_to], reply_to=[sender.email] if sender.email else None
    )
    message.attach(job.filename, job.file.read(), job.content_type)
    try:
        message.send()
    except Exception:
        logger.exception("Sending report job %s to the client failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(delivered_at=None)
        return False
    return True


# --- Subscriptions ----------------------------------------------------------------------------


def report_subscription_create(
    *, actor: User, kind: str, data: dict, frequency: str
) -> ReportSubscription:
    """Subscribe `actor` to `kind` every week or month, with the parameters the request form
    takes (checked, and the access to them, as for a single request)."""
    report_kind = registry.kind_get(kind)
    if not report_kind.schedulable:
        raise ValidationError(_("This report cannot be received on a schedule."))
    if frequency not in ReportSubscription.Frequency.values:
        raise ValidationError({"frequency": _("Choose weekly or monthly.")})
    parameters = _parameters(report_kind, data)
    parameters.pop("as_of", None)  # always the day it is prepared
    subject = report_kind.authorize(actor, parameters)
    title = f"{report_kind.title}: {report_kind.describe(subject, parameters)}"[:255]
    try:
        with transaction.atomic():
            return ReportSubscription.objects.create(
                user=actor, kind=kind, parameters=parameters, title=title, frequency=frequency
            )
    except IntegrityError:
        raise ValidationError(_("You already receive this report that often.")) from None


def report_subscription_delete(*, actor: User, subscription: ReportSubscription) -> None:
    if subscription.user_id != actor.pk:
        raise Http404("No such subscription.")
    subscription.delete()


def _due_today(subscription: ReportSubscription, today) -> bool:
    if subscription.frequency == ReportSubscription.Frequency.WEEKLY:
        period_start = today - timedelta(days=today.weekday())
    else:
        period_start = today.replace(day=1)
    return subscription.last_sent_on is None or subscription.last_sent_on < period_start


def report_subscriptions_run(*, today) -> dict[str, int]:
    """Queue every subscription not yet sent in this week or month (weekly ones from Monday,
    monthly ones from the 1st; a missed day catches up the next). Each is claimed with a
    conditional UPDATE, so a doubled beat queues one report. A subscriber who may no longer
    see what it holds (moved to another territory) gets nothing and the run goes on."""
    counts = {"queued": 0, "skipped": 0}
    for subscription in ReportSubscription.objects.select_related("user").filter(
        user__is_active=True
    ):
        if not _due_today(subscription, today):
            continue
        claimed = (
            ReportSubscription.objects.filter(pk=subscription.pk)
            .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on=subscription.last_sent_on))
            .update(last_sent_on=today)
        )
        if not claimed:
            continue
        try:
            report_job_request(
                actor=subscription.user,
                kind=subscription.kind,
                # As of the day it is for: a catch-up run reports on the day it is sent.
                data={**subscription.parameters, "as_of": today.isoformat()},
                email_when_done=True,
                subscription=subscription,
            )
        except (Http404, PermissionDenied, ValidationError):
            logger.warning("Subscription %s cannot be prepared any more", subscription.pk)
            counts["skipped"] += 1
            continue
        counts["queued"] += 1
    return counts
