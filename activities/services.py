"""Writes for activities, reminders, notifications and calendar feeds.

Each function takes keyword-only arguments, checks the actor's rights through team.access,
writes in one transaction and queues e-mail only after the commit.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import Account, Contact
from core.approvals import ApprovalEvent
from core.i18n import lazy_message
from core.localtime import local_at
from core.outcomes import OutcomePart
from core.reminders import Reminder
from core.status import IllegalStatusMove, status_move
from team import access
from team.models import ReminderDelivery, User

from . import reminders, tasks
from .access import activity_can_edit, activity_owners_for
from .models import (
    ACTIVITY_FLOW,
    Activity,
    ActivityStatus,
    ActivityType,
    CalendarFeed,
    Notification,
    plannable_error,
)

log = logging.getLogger(__name__)

# Follow-ups are due on a day; they go into the planner at this local hour.
FOLLOW_UP_HOUR = 9
FOLLOW_UP_MINUTES = 30
# How far back an unread reminder still deserves an e-mail (after a worker outage, or when a
# user switches their delivery preference on).
EMAIL_LOOKBACK = timedelta(days=2)
DIGEST_LOOKBACK = timedelta(days=7)
# Attempts at e-mailing one notification before it is given up (it stays under the bell).
MAX_EMAIL_FAILURES = 3


def _check_move(activity: Activity, to: str) -> None:
    """Refuse early, from the copy at hand, a move the flow does not allow; `status_move`
    checks again against the stored row under a lock."""
    if not ACTIVITY_FLOW.can_move(activity.status, to):
        raise IllegalStatusMove(ACTIVITY_FLOW.refusal(Activity, activity.status, to))


def _check_may_change(actor: User, activity: Activity) -> None:
    if not activity_can_edit(actor, activity):
        raise PermissionDenied(_("You may not change this activity."))


def _check_owner_and_account(*, actor: User, owner: User, account: Account) -> None:
    if not access.is_sales(actor):
        raise PermissionDenied(_("Visits, calls and their outcomes are private to the sales team."))
    if not activity_owners_for(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("You cannot plan activities for this person.")})
    if not Account.objects.editable_by(actor).filter(pk=account.pk).exists():
        raise ValidationError({"account": _("You cannot plan activities on this account.")})
    if owner.territory_id != account.territory_id:
        raise ValidationError(
            {
                "owner": _("%(owner)s works in another territory than this account.")
                % {"owner": owner}
            }
        )


def _check_contacts(*, actor: User, account: Account, contacts: Iterable[Contact]) -> list[Contact]:
    contacts = list(contacts)
    if any(contact.account_id != account.pk for contact in contacts):
        raise ValidationError({"contacts": _("Choose people who work at this account.")})
    # A KAM may do a task on another KAM's account; its people stay private to that account.
    wanted = {contact.pk for contact in contacts}
    if wanted and Contact.objects.visible_to(actor).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"contacts": _("Choose people you may see.")})
    return contacts


def _check_plannable(field: str, value: date | datetime | None) -> None:
    if value is not None and (error := plannable_error(value)):
        raise ValidationError({field: error})


def _check_next_step(*, next_step: str, next_step_due: date | None, after: date) -> None:
    _check_plannable("next_step_due", next_step_due)
    if next_step and next_step_due is None:
        raise ValidationError({"next_step_due": _("Give the next step a due date.")})
    if next_step_due is not None and not next_step:
        raise ValidationError({"next_step": _("Say what the next step is.")})
    if next_step_due is not None and next_step_due < after:
        raise ValidationError(
            {"next_step_due": _("The next step cannot be due before the activity took place.")}
        )


def activity_plan(
    *,
    actor: User,
    owner: User,
    account: Account,
    type: str,
    starts_at: datetime,
    duration_minutes: int = 60,
    place: str = "",
    purpose: str = "",
    contacts: Iterable[Contact] = (),
) -> Activity:
    """Put a visit, call or other activity into `owner`'s planner."""
    _check_owner_and_account(actor=actor, owner=owner, account=account)
    _check_plannable("starts_at", starts_at)
    contacts = _check_contacts(actor=actor, account=account, contacts=contacts)
    activity = Activity(
        owner=owner,
        account=account,
        type=type,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        purpose=purpose,
    )
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        activity.contacts.set(contacts)
    return activity


def activity_update(
    *, actor: User, activity: Activity, data: dict, contacts: Iterable[Contact] | None = None
) -> Activity:
    """Change a planned activity's details (type, time, place, purpose, people)."""
    _check_may_change(actor, activity)
    if activity.status not in (ActivityStatus.PLANNED, ActivityStatus.MISSED):
        raise ValidationError(_("Only a planned or missed activity can be changed."))
    allowed = {"type", "starts_at", "duration_minutes", "place", "purpose"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This cannot be changed here."))
    _check_plannable("starts_at", data.get("starts_at"))
    for field, value in data.items():
        setattr(activity, field, value)
    if "starts_at" in data:
        _check_move(activity, ActivityStatus.PLANNED)
        activity.status = ActivityStatus.PLANNED
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        if contacts is not None:
            activity.contacts.set(
                _check_contacts(actor=actor, account=activity.account, contacts=contacts)
            )
    return activity


def activity_reschedule(
    *, actor: User, activity: Activity, starts_at: datetime, duration_minutes: int | None = None
) -> Activity:
    """Move a planned (or missed) activity to another time; it is planned again."""
    data: dict = {"starts_at": starts_at}
    if duration_minutes is not None:
        data["duration_minutes"] = duration_minutes
    return activity_update(actor=actor, activity=activity, data=data)


def follow_up_draft(*, source: Activity, next_step_type: str, zone: ZoneInfo) -> Activity:
    """The planned activity a next step becomes: at 9:00 on its due day, or right after the
    source activity when that is later (a next step due the same day)."""
    return Activity(
        owner_id=source.owner_id,
        account_id=source.account_id,
        type=next_step_type,
        starts_at=max(local_at(source.next_step_due, FOLLOW_UP_HOUR, zone), source.ends_at),
        duration_minutes=FOLLOW_UP_MINUTES,
        purpose=source.next_step,
        follow_up_of=source,
    )


def _follow_up_create(*, source: Activity, next_step_type: str) -> Activity | None:
    if not source.next_step:
        return None
    follow_up = follow_up_draft(
        source=source, next_step_type=next_step_type, zone=source.owner.tzinfo
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def activity_complete(
    *,
    actor: User,
    activity: Activity,
    outcome: str,
    next_step: str = "",
    next_step_due: date | None = None,
    next_step_type: str = ActivityType.TASK,
    contacts: Iterable[Contact] | None = None,
    now: datetime | None = None,
    parts: Iterable[tuple[OutcomePart, dict]] = (),
) -> Activity:
    """Record what came of an activity; its next step becomes a follow-up in the planner.
    `parts` are other apps' outcome parts (core/outcomes.py) with their cleaned data, recorded
    in the same transaction (a promise to pay)."""
    _check_may_change(actor, activity)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what came of it.")})
    local_day = timezone.localdate(activity.starts_at, activity.owner.tzinfo)
    _check_next_step(next_step=next_step, next_step_due=next_step_due, after=local_day)
    _check_move(activity, ActivityStatus.DONE)
    changes = {
        "outcome": outcome.strip(),
        "next_step": next_step.strip(),
        "next_step_due": next_step_due,
        "completed_at": now or timezone.now(),
    }
    for field, value in {"status": ActivityStatus.DONE, **changes}.items():
        setattr(activity, field, value)
    activity.full_clean()
    with transaction.atomic():
        # Locks and re-reads the row: of two completions (or a completion and a cancel) made
        # from stale copies, the second is refused, so there is one outcome and one follow-up.
        status_move(activity, to=ActivityStatus.DONE, by=actor, **changes)
        if contacts is not None:
            activity.contacts.set(
                _check_contacts(actor=actor, account=activity.account, contacts=contacts)
            )
        _follow_up_create(source=activity, next_step_type=next_step_type)
        for part, data in parts:
            part.record(actor=actor, account=activity.account, day=local_day, data=data)
    return activity


def activity_log(
    *,
    actor: User,
    account: Account,
    type: str,
    starts_at: datetime,
    outcome: str,
    duration_minutes: int = 30,
    contacts: Iterable[Contact] = (),
    next_step: str = "",
    next_step_due: date | None = None,
    next_step_type: str = ActivityType.TASK,
    now: datetime | None = None,
) -> Activity:
    """Record a call or visit that already happened, in one step."""
    now = now or timezone.now()
    _check_plannable("starts_at", starts_at)
    if starts_at > now:
        raise ValidationError({"starts_at": _("This is in the future: plan it instead.")})
    with transaction.atomic():
        activity = activity_plan(
            actor=actor,
            owner=actor,
            account=account,
            type=type,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            contacts=contacts,
        )
        return activity_complete(
            actor=actor,
            activity=activity,
            outcome=outcome,
            next_step=next_step,
            next_step_due=next_step_due,
            next_step_type=next_step_type,
            now=now,
        )


def activity_cancel(*, actor: User, activity: Activity) -> Activity:
    _check_may_change(actor, activity)
    return status_move(activity, to=ActivityStatus.CANCELLED, by=actor)


def activity_mark_missed(*, actor: User, activity: Activity) -> Activity:
    """The client did not show up, or the call did not get through."""
    _check_may_change(actor, activity)
    return status_move(activity, to=ActivityStatus.MISSED, by=actor)


def task_assign(
    *,
    actor: User,
    owner: User,
    account: Account,
    starts_at: datetime,
    purpose: str,
    duration_minutes: int = FOLLOW_UP_MINUTES,
) -> Activity:
    """A director asks one of their KAMs to do something; it lands in the KAM's planner."""
    if not (actor.is_director or actor.is_admin_role):
        raise PermissionDenied(_("Only a director or an admin assigns tasks."))
    if not access.owners_assignable_by(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("You can assign tasks only to your own KAMs.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what should be done.")})
    with transaction.atomic():
        task = activity_plan(
            actor=actor,
            owner=owner,
            account=account,
            type=ActivityType.TASK,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            purpose=purpose.strip(),
        )
        task.assigned_by = actor
        task.save(update_fields=["assigned_by"])
        due = timezone.localdate(starts_at, owner.tzinfo)
        with translation.override(owner.language_code):  # the KAM's, not the director's
            reminder = Reminder(
                recipient_id=owner.pk,
                kind=reminders.TASK_ASSIGNED,
                subject_type="activity",
                subject_id=task.pk,
                occasion=timezone.localdate(timezone.now(), owner.tzinfo),
                title=_("%(actor)s asks you: %(purpose)s")
                % {"actor": actor, "purpose": task.purpose[:150]},
                body=_("%(account)s — due %(due)s.")
                % {"account": account, "due": formats.date_format(due, "D d M Y")},
                url=reverse("activities:detail", args=[task.pk]),
            )
        notifications_create(rows=[reminder])
    return task


def approval_notifications_create(*, event: ApprovalEvent) -> None:
    """Tell each recipient of an approval step (core/approvals.py), with its link; the
    step's record id makes a repeated announcement a no-op."""
    recipients = User.objects.filter(pk__in=event.recipient_ids, is_active=True)
    now = timezone.now()
    rows = []
    for user in recipients:
        with translation.override(user.language_code):  # the recipient's, not the actor's
            rows.append(
                Reminder(
                    recipient_id=user.pk,
                    kind=event.kind,
                    subject_type=event.change_type,
                    subject_id=event.change_id,
                    occasion=timezone.localdate(now, user.tzinfo),
                    title=str(event.title),
                    body=str(event.body),
                    url=event.url,
                )
            )
    notifications_create(rows=rows)


def notifications_create(*, rows: Iterable[Reminder]) -> None:
    """Insert notifications, skipping any already there for that recipient, kind, subject and
    occasion (INSERT ... ON CONFLICT DO NOTHING against the unique constraint). Recipients who
    want an e-mail per reminder get one queued after the commit."""
    objects = [
        Notification(
            recipient_id=row.recipient_id,
            kind=row.kind,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            occasion=row.occasion,
            title=row.title[:255],
            body=row.body,
            url=row.url,
        )
        for row in rows
    ]
    Notification.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
    if objects:
        transaction.on_commit(tasks.notifications_email_send.delay)


def reminders_create(*, now: datetime) -> int:
    """Run every reminder rule for `now`; returns how many reminders were due (new or not)."""
    rows = list(reminders.due(now=now))
    with transaction.atomic():
        notifications_create(rows=rows)
    return len(rows)


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied(_("This is someone else's notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _claim(notification_ids: Iterable[int], *, now: datetime) -> list[int]:
    """Mark each notification as e-mailed unless another run already did, and return the ones
    this call claimed. The conditional UPDATE is the lock: a retried or concurrent run finds
    them claimed and sends nothing."""
    return [
        pk
        for pk in notification_ids
        if Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now)
    ]


def _unclaim(notification_ids: list[int]) -> None:
    """Sending failed: let the next run try again."""
    Notification.objects.filter(pk__in=notification_ids).update(emailed_at=None)


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _one_line(text: str) -> str:
    """A header-safe subject: a title typed over two lines must not make the e-mail invalid."""
    return " ".join(text.split())


def _send(*, user: User, subject, template: str, context: dict) -> None:
    with translation.override(user.language_code):  # the recipient's language
        body = render_to_string(template, {"user": user, "site_url": settings.SITE_URL, **context})
        subject = _one_line(str(subject))
    send_mail(subject, body, None, [user.email])


def notification_email_send(*, notification_id: int, now: datetime) -> bool:
    """E-mail one notification to a recipient who wants each reminder by e-mail.

    A failure is logged and counted on the row, which is tried again by later runs until
    MAX_EMAIL_FAILURES; it never raises, so one bad row cannot stop a sending run."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, email_failures__lt=MAX_EMAIL_FAILURES)
        .first()
    )
    if notification is None or not _wants_each_email(notification.recipient):
        return False
    if not _claim([notification.pk], now=now):
        return False
    try:
        _send(
            user=notification.recipient,
            subject=notification.title,
            template="activities/email/notification.txt",
            context={"notification": notification, "link": _absolute(notification.url)},
        )
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=None, email_failures=F("email_failures") + 1
        )
        log.exception("Notification %s not e-mailed; it will be retried", notification.pk)
        return False
    return True


def _wants_each_email(user: User) -> bool:
    return user.reminder_delivery == ReminderDelivery.EMAIL and bool(user.email) and user.is_active


def notifications_email_send(*, now: datetime) -> int:
    """E-mail every recent, unsent notification of users who want each reminder by e-mail."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        email_failures__lt=MAX_EMAIL_FAILURES,
        created_at__gte=now - EMAIL_LOOKBACK,
        recipient__reminder_delivery=ReminderDelivery.EMAIL,
        recipient__is_active=True,
    ).exclude(recipient__email="")
    sent = 0
    for pk in pending.values_list("pk", flat=True):
        sent += notification_email_send(notification_id=pk, now=now)
    return sent


def notifications_digest_send(*, now: datetime) -> int:
    """One e-mail per user who asked for a daily digest, listing their unread reminders that
    no e-mail has mentioned yet. Returns the number of e-mails sent."""
    users = User.objects.filter(
        is_active=True,
        reminder_delivery=ReminderDelivery.DIGEST,
        notifications__emailed_at__isnull=True,
        notifications__read_at__isnull=True,
        notifications__created_at__gte=now - DIGEST_LOOKBACK,
    ).exclude(email="")
    sent = 0
    for user in users.distinct():
        pending = user.notifications.filter(
            emailed_at__isnull=True, read_at__isnull=True, created_at__gte=now - DIGEST_LOOKBACK
        ).values_list("pk", flat=True)
        claimed = _claim(list(pending), now=now)
        if not claimed:
            continue
        items = list(Notification.objects.filter(pk__in=claimed).order_by("occasion", "pk"))
        try:
            _send(
                user=user,
                subject=lazy_message(
                    ngettext_lazy(
                        "KAM CRM: %(count)s reminder", "KAM CRM: %(count)s reminders", "count"
                    ),
                    count=len(items),
                ),
                template="activities/email/digest.txt",
                context={
                    "items": [(item, _absolute(item.url)) for item in items],
                    "inbox": _absolute(reverse("activities:notifications")),
                },
            )
        except Exception:
            _unclaim(claimed)
            log.exception("Digest for %s not sent; it will be retried", user.pk)
            continue
        sent += 1
    return sent


def calendar_token_regenerate(*, user: User) -> CalendarFeed:
    """Give `user` a new secret calendar address; the old one stops working at once."""
    if not access.is_sales(user):
        raise PermissionDenied(_("Your role has no activities to put in a calendar."))
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
