from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account, AccountTier, Contact
from core.dates import SENSIBLE_YEARS, sensible_date_error
from core.status import StatusFlow

from .access import ActivityQuerySet, NotificationQuerySet


class ActivityType(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EVENT = "event", _("Event")
    EMAIL = "email", _("Email")
    TRAINING = "training", _("Training of the client's staff")
    MERCHANDISING = "merchandising", _("Merchandising check")
    TASK = "task", _("Task")


# What counts as being in touch with the client: everything but an internal task.
CONTACT_TYPES = [t for t in ActivityType.values if t != ActivityType.TASK]


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


# Which status may follow which. Rescheduling a planned or missed activity plans it again.
ACTIVITY_FLOW = StatusFlow(
    ActivityStatus,
    {
        ActivityStatus.PLANNED: {
            ActivityStatus.PLANNED,
            ActivityStatus.DONE,
            ActivityStatus.CANCELLED,
            ActivityStatus.MISSED,
        },
        ActivityStatus.MISSED: {
            ActivityStatus.PLANNED,
            ActivityStatus.DONE,
            ActivityStatus.CANCELLED,
        },
        ActivityStatus.DONE: set(),
        ActivityStatus.CANCELLED: set(),
    },
)

MAX_DURATION_MINUTES = 24 * 60
# The years an activity or a next step may fall in: the window every date field has.
PLANNABLE_YEARS = SENSIBLE_YEARS
plannable_error = sensible_date_error


class Activity(models.Model):
    """A visit, call, meeting or task with a client: planned, then done, cancelled or missed."""

    account_path = "account"
    status_flow = ACTIVITY_FLOW

    Type = ActivityType
    Status = ActivityStatus

    type = models.CharField(max_length=15, choices=Type.choices, default=Type.VISIT)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="activities")
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="activities", verbose_name=_("contacts involved")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_activities",
        help_text=_("The director who asked the owner to do this."),
    )
    starts_at = models.DateTimeField("starts")
    duration_minutes = models.PositiveIntegerField(
        "duration (minutes)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    place = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(blank=True)
    next_step = models.CharField(max_length=255, blank=True)
    next_step_due = models.DateField("next step due", null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("The activity whose next step this is."),
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Every save, status moves included (core.status.status_move sets who made it), as for
    # deals, offers, contracts and orders.
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                name="activities_activity_type_valid", condition=Q(type__in=ActivityType.values)
            ),
            models.CheckConstraint(
                name="activities_activity_status_valid",
                condition=Q(status__in=ActivityStatus.values),
            ),
            models.CheckConstraint(
                name="activities_activity_duration_in_a_day",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
            ),
            models.CheckConstraint(
                name="activities_activity_next_step_has_due_date",
                condition=Q(next_step="") | Q(next_step_due__isnull=False),
                violation_error_message="Give the next step a due date.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "starts_at"]),
            models.Index(fields=["account", "starts_at"]),
            # "Has this account had a done contact since ...?" for every account of a
            # territory (cadence): without it SQLite walks (status, starts_at) instead.
            models.Index(fields=["account", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.account}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class ContactCadence(models.Model):
    """How often the KAM should be in touch with an account of a tier (admin-editable)."""

    tier = models.CharField(max_length=1, choices=AccountTier.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("An account not contacted for longer than this is neglected."),
    )

    class Meta:
        ordering = ["tier"]
        constraints = [
            models.CheckConstraint(
                name="activities_cadence_days_1_to_366", condition=Q(days__gte=1, days__lte=366)
            ),
            models.CheckConstraint(
                name="activities_cadence_tier_valid", condition=Q(tier__in=AccountTier.values)
            ),
        ]

    def __str__(self) -> str:
        return _("Tier %(tier)s: every %(days)s days") % {"tier": self.tier, "days": self.days}


class Notification(models.Model):
    """A reminder or message for one user, shown under the bell and optionally emailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A free string, not choices: each reminder rule (activities/reminders.py) names its kind,
    # so a new rule needs no migration here.
    kind = models.CharField(max_length=40)
    subject_type = models.CharField(
        max_length=40, help_text=_('What it is about, e.g. "activity".')
    )
    subject_id = models.BigIntegerField()
    occasion = models.DateField(help_text=_("The day it is about; one reminder per occasion."))
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Failed e-mail attempts; after MAX_EMAIL_FAILURES the row is no longer tried, so one
    # undeliverable reminder cannot hold up the others run after run.
    email_failures = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Reminder runs insert with ON CONFLICT DO NOTHING against this: a second,
            # concurrent or retried run cannot remind anyone twice of the same thing.
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "occasion"],
                name="activities_notification_once_per_occasion",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="activities_notif_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="activities_notif_unemailed",
                condition=Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"


class CalendarFeed(models.Model):
    """A user's private iCalendar address: whoever knows the secret can read the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # Kept readable so the settings page can show the address again (as Google and Outlook
    # do); the feed shows nothing a database reader could not see anyway. Compared in
    # constant time by the view.
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return _("Calendar feed of %(user)s") % {"user": self.user}
