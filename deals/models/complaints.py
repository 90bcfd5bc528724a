"""Complaints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.access import AccountScopedQuerySet
from core.status import StatusFlow

from .common import _choice_check


class ComplaintSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


COMPLAINT_FLOW = StatusFlow(
    ComplaintStatus,
    {
        ComplaintStatus.OPEN: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED},
        ComplaintStatus.IN_PROGRESS: {ComplaintStatus.OPEN, ComplaintStatus.RESOLVED},
        ComplaintStatus.RESOLVED: {ComplaintStatus.OPEN},  # reopened
    },
)


class Complaint(models.Model):
    """A client's complaint or conflict, and how it was resolved."""

    account_path = "account"
    status_flow = COMPLAINT_FLOW

    Severity = ComplaintSeverity
    Status = ComplaintStatus

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="complaints")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    subject = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    opened_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            _choice_check("deals_complaint_severity_valid", "severity", ComplaintSeverity),
            _choice_check("deals_complaint_status_valid", "status", ComplaintStatus),
            models.CheckConstraint(
                name="deals_complaint_resolved_has_resolution",
                condition=~Q(status=ComplaintStatus.RESOLVED) | ~Q(resolution=""),
                violation_error_message="Say how the complaint was resolved.",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return self.subject
