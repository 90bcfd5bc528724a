"""Reads for My reports and the API. A job is its requester's alone; downloading it also needs
the access its kind asks for, checked again at download (see registry.py)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from team.models import User

from . import registry
from .models import ACTIVE_STATUSES, ReportJob, ReportStatus, ReportSubscription
from .services import report_job_is_stalled


def report_jobs_visible_to(user: User) -> QuerySet[ReportJob]:
    if not user.is_authenticated:
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by_id=user.pk)


def report_job_get_for_user(user: User, pk) -> ReportJob:
    try:
        return report_jobs_visible_to(user).get(pk=pk)
    except (ReportJob.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None


def report_job_for_download(user: User, pk) -> ReportJob:
    """The finished job, if `user` asked for it and may still see what it holds (else 404)."""
    job = report_job_get_for_user(user, pk)
    if job.status != ReportStatus.DONE:
        raise Http404("This report is not ready.")
    registry.kind_get(job.kind).authorize(user, job.parameters)
    return job


@dataclass(frozen=True)
class JobRow:
    job: ReportJob
    kind_title: str
    can_retry: bool


def report_job_rows(jobs) -> tuple[list[JobRow], bool]:
    """The rows of My reports, and whether any is still being prepared (the page then polls)."""
    now = timezone.now()
    rows = [
        JobRow(
            job=job,
            kind_title=registry.kind_title(job.kind),
            can_retry=job.status == ReportStatus.FAILED or report_job_is_stalled(job, now=now),
        )
        for job in jobs
    ]
    return rows, any(row.job.status in ACTIVE_STATUSES and not row.can_retry for row in rows)


def report_subscription_get_for_user(user: User, pk) -> ReportSubscription:
    try:
        return ReportSubscription.objects.get(user_id=user.pk, pk=pk)
    except (ReportSubscription.DoesNotExist, ValueError, TypeError):
        raise Http404("No such subscription.") from None


@dataclass(frozen=True)
class SubscriptionOffer:
    kind: registry.ReportKind
    form: Any
    options: Any


def report_subscriptions_page(user: User) -> dict:
    """The user's subscriptions (one query) and a form for each kind they may subscribe to."""
    from .forms import SubscriptionForm

    offers = []
    for kind in registry.kinds_schedulable():
        form = kind.form(auto_id=f"id_sub_{kind.slug}_%s")
        form.fields.pop("as_of", None)
        offers.append(
            SubscriptionOffer(
                kind=kind, form=form, options=SubscriptionForm(auto_id=f"id_sub_{kind.slug}_%s")
            )
        )
    return {
        "subscriptions": list(ReportSubscription.objects.filter(user_id=user.pk)),
        "offers": offers,
    }
