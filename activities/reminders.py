"""Activities' reminder rules, and the runner that collects every app's (core/reminders.py).

`due()` runs the `RULES` of every installed app's `reminders.py`. The rows are inserted with
ON CONFLICT DO NOTHING against the notification's unique constraint
(services.notifications_create), so a rule may yield the same reminder on every run: only the
first insert counts. To add a reminder, write a rule in your app's `reminders.py` and list it
in that module's `RULES`.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.i18n import WEEKDAY_AND_DATE, date_later, lazy_message, lowercase_later, time_later
from core.localtime import local_days_range
from core.reminders import Reminder, Rule, RuleContext, reminder_rules
from team.models import Role, User
from team.timezones import zone_get

from .models import Activity, ActivityStatus, ActivityType
from .selectors import accounts_past_cadence

ACTIVITY_TOMORROW = "activity_tomorrow"
FOLLOW_UP_DUE = "follow_up_due"
ACCOUNT_PAST_CADENCE = "account_past_cadence"
CONTACT_BIRTHDAY = "contact_birthday"
TASK_ASSIGNED = "task_assigned"

# Reminded the day before: the activities that take preparation.
REMINDED_TYPES = [ActivityType.VISIT, ActivityType.CALL, ActivityType.MEETING]
# Follow-ups overdue for longer than this are left to the today view, not reminded again.
FOLLOW_UP_LOOKBACK = timedelta(days=30)
BIRTHDAY_NOTICE_DAYS = 7
REMINDED_ROLES = [Role.KAM, Role.DIRECTOR, Role.ADMIN]
# Reminded only by the rules about money (receivables' broken promises, credit reviews).
FINANCE_ROLES = [Role.FINANCE]


def _context(now: datetime) -> RuleContext:
    default = ZoneInfo(settings.TIME_ZONE)
    names = User.objects.filter(is_active=True).values_list("time_zone", flat=True).distinct()
    return RuleContext(now=now, zones={name: zone_get(name) or default for name in names})


def activity_tomorrow(*, ctx: RuleContext) -> Iterator[Reminder]:
    def tomorrow(today: date, zone: ZoneInfo) -> Q:
        start, end = local_days_range(today + timedelta(days=1), 1, zone)
        return Q(starts_at__gte=start, starts_at__lt=end)

    activities = Activity.objects.filter(
        ctx.by_local_day("owner", tomorrow),
        status=ActivityStatus.PLANNED,
        type__in=REMINDED_TYPES,
        owner__is_active=True,
    ).select_related("account", "owner")
    for activity in activities:
        local = timezone.localtime(activity.starts_at, activity.owner.tzinfo)
        yield Reminder(
            recipient_id=activity.owner_id,
            kind=ACTIVITY_TOMORROW,
            subject_type="activity",
            subject_id=activity.pk,
            occasion=local.date(),
            title=lazy_message(
                _("Tomorrow %(local)s: %(type)s with %(account)s"),
                local=time_later(local, "H:i"),
                type=lowercase_later(ActivityType(activity.type).label),
                account=activity.account,
            ),
            body=activity.purpose,
            url=reverse("activities:detail", args=[activity.pk]),
        )


def follow_up_due(*, ctx: RuleContext) -> Iterator[Reminder]:
    """Follow-ups and assigned tasks due today or already overdue, once per due date."""

    def due_by_today(today: date, zone: ZoneInfo) -> Q:
        _, end_of_today = local_days_range(today, 1, zone)
        return Q(starts_at__lt=end_of_today)

    activities = Activity.objects.filter(
        Q(follow_up_of__isnull=False) | Q(type=ActivityType.TASK),
        ctx.by_local_day("owner", due_by_today),
        status=ActivityStatus.PLANNED,
        starts_at__gte=ctx.now - FOLLOW_UP_LOOKBACK,
        owner__is_active=True,
    ).select_related("account", "owner")
    for activity in activities:
        due = ctx.local_date(activity.starts_at, activity.owner)
        today = ctx.local_date(ctx.now, activity.owner)
        when = (
            _("today")
            if due == today
            else lazy_message(_("since %(date)s"), date=date_later(due, "j M"))
        )
        yield Reminder(
            recipient_id=activity.owner_id,
            kind=FOLLOW_UP_DUE,
            subject_type="activity",
            subject_id=activity.pk,
            occasion=due,
            title=lazy_message(
                _("Due %(when)s: %(what)s"),
                when=when,
                what=activity.purpose or ActivityType(activity.type).label,
            ),
            body=str(activity.account),
            url=reverse("activities:detail", args=[activity.pk]),
        )


def account_past_cadence(*, ctx: RuleContext) -> Iterator[Reminder]:
    """An account nobody has been in touch with for longer than its tier's cadence, once per
    lapse: the occasion is the day contact was due."""
    accounts = accounts_past_cadence(
        accounts=Account.objects.filter(owner__is_active=True).select_related("owner"),
        now=ctx.now,
    )
    for account in accounts:
        due = ctx.local_date(account.contact_due_at, account.owner)
        last = _("No contact recorded.")
        if account.last_contact:
            day = ctx.local_date(account.last_contact, account.owner)
            last = lazy_message(_("Last contact %(date)s."), date=date_later(day, "j M Y"))
        yield Reminder(
            recipient_id=account.owner_id,
            kind=ACCOUNT_PAST_CADENCE,
            subject_type="account",
            subject_id=account.pk,
            occasion=due,
            title=lazy_message(
                _("Time to contact %(account)s (tier %(tier)s: every %(cadence_days)s days)"),
                account=account,
                tier=account.tier,
                cadence_days=account.cadence_days,
            ),
            body=last,
            url=reverse("accounts:detail", args=[account.pk]),
        )


def _next_birthday(birthday: date, after: date) -> date:
    """The first birthday after `after`; 29 February is celebrated on the 28th in other years."""
    for year in (after.year, after.year + 1):
        try:
            candidate = birthday.replace(year=year)
        except ValueError:
            candidate = date(year, 2, 28)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a birthday comes within a year")


def contact_birthday(*, ctx: RuleContext) -> Iterator[Reminder]:
    """A VIP's or key opinion leader's birthday within the next week (normally 7 days ahead)."""

    def within_a_week(today: date, zone: ZoneInfo) -> Q:
        days = [today + timedelta(days=n) for n in range(1, BIRTHDAY_NOTICE_DAYS + 1)]
        condition = Q(pk__in=[])
        for day in days:
            condition |= Q(birthday__month=day.month, birthday__day=day.day)
            if (day.month, day.day) == (2, 28) and (day + timedelta(days=1)).day == 1:
                condition |= Q(birthday__month=2, birthday__day=29)
        return condition

    contacts = (
        Contact.objects.filter(
            Q(is_vip=True) | Q(is_kol=True),
            ctx.by_local_day("account__owner", within_a_week),
            birthday__isnull=False,
            account__owner__is_active=True,
        )
        .exclude(account__status=Account.Status.LOST)
        .select_related("account__owner")
    )
    for contact in contacts:
        owner = contact.account.owner
        occasion = _next_birthday(contact.birthday, ctx.local_date(ctx.now, owner))
        flags = "VIP" if contact.is_vip else _("key opinion leader")
        yield Reminder(
            recipient_id=owner.pk,
            kind=CONTACT_BIRTHDAY,
            subject_type="contact",
            subject_id=contact.pk,
            occasion=occasion,
            title=lazy_message(
                _("%(full_name)s (%(flags)s, %(account)s) has a birthday on %(date)s"),
                full_name=contact.full_name,
                flags=flags,
                account=contact.account,
                date=date_later(occasion, WEEKDAY_AND_DATE),
            ),
            body=contact.position,
            url=reverse("accounts:detail", args=[contact.account_id]) + f"#contact-{contact.pk}",
        )


RULES: list[Rule] = [activity_tomorrow, follow_up_due, account_past_cadence, contact_birthday]


def due(*, now: datetime) -> Iterator[Reminder]:
    """Every reminder the rules say is due at `now`, for people who still work in sales (a
    KAM moved to finance keeps their old rows but must not be reminded of them), and for
    finance those of the rules about money (core.reminders.reaches_finance)."""
    ctx = _context(now)
    users = User.objects.filter(is_active=True, role__in=[*REMINDED_ROLES, *FINANCE_ROLES])
    roles, languages = {}, {}
    for pk, role, language in users.values_list("pk", "role", "language"):
        roles[pk], languages[pk] = role, language or settings.LANGUAGE_CODE
    sales = {pk for pk, role in roles.items() if role in REMINDED_ROLES}
    money = set(roles)
    # Each rule runs once; its lazy title and body are read in each recipient's language.
    for rule in reminder_rules():
        recipients = money if getattr(rule, "reaches_finance", False) else sales
        for reminder in rule(ctx=ctx):
            if reminder.recipient_id in recipients:
                with translation.override(languages[reminder.recipient_id]):
                    yield replace(reminder, title=str(reminder.title), body=str(reminder.body))
