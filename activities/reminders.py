"""Reminder rules: what the system reminds people of, and when.

Each rule is a function `rule(*, ctx) -> Iterable[Reminder]` that reads with a queryset and
yields one row per (recipient, kind, subject, occasion). `RULES` lists them; `due()` runs them
all. The rows are inserted with ON CONFLICT DO NOTHING against the notification's unique
constraint (services.notifications_create), so a rule may yield the same reminder on every
run: only the first insert counts. To add a reminder, write a rule and append it to `RULES`.

Still to come, with the app it reads: invoices overdue (receivables).

"Today" and "tomorrow" are the recipient's: `ctx.by_local_day` builds a condition for each time
zone the team lives in.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from accounts.models import Account, Contact
from deals.models import LIVE_CONTRACT_STATUSES, Contract, Offer
from deals.services import OFFER_APPROVED, OFFER_REJECTED, OFFER_SUBMITTED
from team.models import Role, User
from team.timezones import zone_get

from .localtime import local_days_range
from .models import Activity, ActivityStatus, ActivityType
from .selectors import accounts_past_cadence

ACTIVITY_TOMORROW = "activity_tomorrow"
FOLLOW_UP_DUE = "follow_up_due"
ACCOUNT_PAST_CADENCE = "account_past_cadence"
CONTACT_BIRTHDAY = "contact_birthday"
TASK_ASSIGNED = "task_assigned"
OFFER_EXPIRING = "offer_expiring"
CONTRACT_ENDING = "contract_ending"

# What each kind of notification is called on the notifications page, reminders and the
# approval steps that lower apps announce (kam_crm/approvals.py).
KIND_LABELS = {
    OFFER_SUBMITTED: gettext_lazy("Offers to approve"),
    OFFER_APPROVED: gettext_lazy("Offers approved"),
    OFFER_REJECTED: gettext_lazy("Offers sent back"),
    TASK_ASSIGNED: gettext_lazy("Tasks assigned to you"),
    ACTIVITY_TOMORROW: gettext_lazy("Tomorrow's activities"),
    FOLLOW_UP_DUE: gettext_lazy("Follow-ups due"),
    ACCOUNT_PAST_CADENCE: gettext_lazy("Accounts past their cadence"),
    CONTACT_BIRTHDAY: gettext_lazy("Birthdays"),
    OFFER_EXPIRING: gettext_lazy("Offers running out"),
    CONTRACT_ENDING: gettext_lazy("Contracts ending"),
}

# Reminded the day before: the activities that take preparation.
REMINDED_TYPES = [ActivityType.VISIT, ActivityType.CALL, ActivityType.MEETING]
# Follow-ups overdue for longer than this are left to the today view, not reminded again.
FOLLOW_UP_LOOKBACK = timedelta(days=30)
BIRTHDAY_NOTICE_DAYS = 7
REMINDED_ROLES = [Role.KAM, Role.DIRECTOR, Role.ADMIN]
OFFER_NOTICE_DAYS = 3
# Reminded when a live contract has this many days left, or fewer (once per threshold).
CONTRACT_NOTICE_DAYS = (60, 30, 7)
# Offers the client still holds in hand (approved ones are about to be sent).
OPEN_OFFER_STATUSES = [Offer.Status.APPROVED, Offer.Status.SENT]


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    kind: str
    subject_type: str
    subject_id: int
    occasion: date
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class RuleContext:
    now: datetime
    zones: dict[str, ZoneInfo]  # time zone names in use -> zone (unknown names -> default)

    def by_local_day(self, user_path: str, condition: Callable[[date, ZoneInfo], Q]) -> Q:
        """OR over the team's time zones of `condition(today there, zone)` for users there."""
        result = Q(pk__in=[])
        for name, zone in self.zones.items():
            today = self.now.astimezone(zone).date()
            result |= Q(**{f"{user_path}__time_zone": name}) & condition(today, zone)
        return result

    def local_date(self, moment: datetime, user: User) -> date:
        return timezone.localtime(moment, user.tzinfo).date()


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
            title=f"Tomorrow {local:%H:%M}: {activity.get_type_display().lower()} "
            f"with {activity.account}",
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
        when = "today" if due == today else f"since {formats.date_format(due, 'j M')}"
        yield Reminder(
            recipient_id=activity.owner_id,
            kind=FOLLOW_UP_DUE,
            subject_type="activity",
            subject_id=activity.pk,
            occasion=due,
            title=f"Due {when}: {activity.purpose or activity.get_type_display()}"[:200],
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
        last = "No contact recorded."
        if account.last_contact:
            day = ctx.local_date(account.last_contact, account.owner)
            last = f"Last contact {formats.date_format(day, 'j M Y')}."
        yield Reminder(
            recipient_id=account.owner_id,
            kind=ACCOUNT_PAST_CADENCE,
            subject_type="account",
            subject_id=account.pk,
            occasion=due,
            title=f"Time to contact {account} "
            f"(tier {account.tier}: every {account.cadence_days} days)",
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
        flags = "VIP" if contact.is_vip else "key opinion leader"
        yield Reminder(
            recipient_id=owner.pk,
            kind=CONTACT_BIRTHDAY,
            subject_type="contact",
            subject_id=contact.pk,
            occasion=occasion,
            title=f"{contact.full_name} ({flags}, {contact.account}) has a birthday on "
            f"{formats.date_format(occasion, 'l j F')}",
            body=contact.position,
            url=reverse("accounts:detail", args=[contact.account_id]) + f"#contact-{contact.pk}",
        )


def _days_ahead(field: str, days: int) -> Callable[[date, ZoneInfo], Q]:
    def condition(today: date, zone: ZoneInfo) -> Q:
        return Q(**{f"{field}__gte": today, f"{field}__lte": today + timedelta(days=days)})

    return condition


def offer_expiring(*, ctx: RuleContext) -> Iterator[Reminder]:
    """An offer the client holds that runs out within 3 days, once per offer and end date."""
    offers = Offer.objects.filter(
        ctx.by_local_day("deal__owner", _days_ahead("valid_until", OFFER_NOTICE_DAYS)),
        status__in=OPEN_OFFER_STATUSES,
        deal__owner__is_active=True,
    ).select_related("deal__account", "deal__owner")
    for offer in offers:
        yield Reminder(
            recipient_id=offer.deal.owner_id,
            kind=OFFER_EXPIRING,
            subject_type="offer",
            subject_id=offer.pk,
            occasion=offer.valid_until,
            title=f"Offer v{offer.version} to {offer.deal.account} expires on "
            f"{formats.date_format(offer.valid_until, 'l j F')}",
            body=offer.deal.title,
            url=reverse("deals:offer_detail", args=[offer.pk]),
        )


def contract_ending(*, ctx: RuleContext) -> Iterator[Reminder]:
    """A live contract 60, 30 and 7 days before it ends: once per threshold, even if a run
    is missed (the occasion is the day the threshold was reached)."""
    contracts = Contract.objects.filter(
        ctx.by_local_day("account__owner", _days_ahead("end_date", max(CONTRACT_NOTICE_DAYS))),
        status__in=LIVE_CONTRACT_STATUSES,
        account__owner__is_active=True,
    ).select_related("account__owner")
    for contract in contracts:
        today = ctx.local_date(ctx.now, contract.account.owner)
        days_left = (contract.end_date - today).days
        threshold = min(days for days in CONTRACT_NOTICE_DAYS if days >= days_left)
        yield Reminder(
            recipient_id=contract.account.owner_id,
            kind=CONTRACT_ENDING,
            subject_type="contract",
            subject_id=contract.pk,
            occasion=contract.end_date - timedelta(days=threshold),
            title=f"Contract {contract.number} with {contract.account} ends on "
            f"{formats.date_format(contract.end_date, 'j F Y')} ({days_left} days)",
            body=f"Renewal: {contract.get_renewal_display().lower()}.",
            url=reverse("deals:contract_detail", args=[contract.pk]),
        )


Rule = Callable[..., Iterable[Reminder]]
RULES: list[Rule] = [
    activity_tomorrow,
    follow_up_due,
    account_past_cadence,
    contact_birthday,
    offer_expiring,
    contract_ending,
]


def due(*, now: datetime) -> Iterator[Reminder]:
    """Every reminder the rules say is due at `now`, for people who still work in sales (a
    KAM moved to finance keeps their old rows but must not be reminded of them)."""
    ctx = _context(now)
    recipients = set(
        User.objects.filter(is_active=True, role__in=REMINDED_ROLES).values_list("pk", flat=True)
    )
    for rule in RULES:
        yield from (r for r in rule(ctx=ctx) if r.recipient_id in recipients)
