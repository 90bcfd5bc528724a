"""Report jobs: a document someone asked for, prepared in the background and kept for download."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class ReportJob(models.Model):
    """One request for a report of a registered kind, its progress, and the file it produced."""

    Status = ReportStatus

    kind = models.CharField(_("kind"), max_length=64)
    # What the kind's form accepted, as JSON (ids and ISO dates, never model instances).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # Frozen at request time ("Dossier brief: Alpha Foods") so a list of jobs needs no lookups.
    title = models.CharField(_("title"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    # Bumped by every claim; a run only writes while the job still carries its own number,
    # so a run that lost its claim (killed, timed out, overtaken) cannot overwrite a newer one.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    email_when_done = models.BooleanField(_("e-mail me when done"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # A client's address the finished document is sent to as an attachment (a dunning letter,
    # a statement, an offer), once: `delivered_at` is claimed with a conditional UPDATE.
    deliver_to = models.EmailField(_("send to the client at"), blank=True)
    delivered_at = models.DateTimeField(_("sent to the client at"), null=True, blank=True)
    # Set when a subscription asked for it: the e-mail then carries the file itself.
    subscription = models.ForeignKey(
        "ReportSubscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("subscription"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(
                name="reports_job_status_valid", condition=Q(status__in=ReportStatus.values)
            ),
            models.CheckConstraint(
                name="reports_job_progress_percent", condition=Q(progress__lte=100)
            ),
            models.CheckConstraint(
                name="reports_job_done_has_file",
                condition=~Q(status=ReportStatus.DONE) | (~Q(file="") & ~Q(content_hash="")),
            ),
            models.CheckConstraint(
                name="reports_job_failed_has_reason",
                condition=~Q(status=ReportStatus.FAILED) | ~Q(failure_reason=""),
            ),
            # A double click or a second tab asks for the report being prepared, not another.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "parameters"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="reports_job_one_active_per_request",
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly (Mondays)")
    MONTHLY = "monthly", _("Monthly (the 1st)")


class ReportSubscription(models.Model):
    """A report someone receives by e-mail every week or month, prepared by Celery beat."""

    Frequency = Frequency

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=255)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    # The day of the last delivery: the beat task claims a day with a conditional UPDATE, so a
    # doubled or retried beat sends one report, and a missed one catches up the next day.
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.CheckConstraint(
                name="reports_subscription_frequency_valid",
                condition=Q(frequency__in=Frequency.values),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "parameters", "frequency"],
                name="reports_subscription_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display()})"
