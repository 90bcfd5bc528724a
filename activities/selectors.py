"""Reads for the activity pages, the account page, reminders and the API.

Each function returns ready rows with a fixed number of queries, whatever the number of
activities; the comments on the query-count tests list them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, AccountTier, Contact, DossierNote
from core.localtime import DAYS_IN_WEEK, local_days_range, local_midnight
from team import access
from team.models import User

from .models import (
    CONTACT_TYPES,
    Activity,
    ActivityStatus,
    ActivityType,
    ContactCadence,
    Notification,
)

# The shipped defaults, used for any tier the admin has not configured.
DEFAULT_CADENCE_DAYS = {AccountTier.A: 14, AccountTier.B: 30, AccountTier.C: 90}
PLANNER_HOURS = range(7, 21)  # rows of the weekly grid: 7:00 to 20:00
# What a card of the planner draws, and all its query reads.
PLANNER_CARD_FIELDS = ("type", "status", "starts_at", "account__name")
ACCOUNTS_TO_CALL = 8
TIMELINE_PAGE = 20  # entries of the account timeline per page ("Show older" for more)
TIMELINE_MAX_PAGE = 500
NOTE_KIND = "note"


def _contacts(status: str) -> QuerySet[Activity]:
    """The outer account's contacts (not tasks) in `status`, for a correlated subquery."""
    return Activity.objects.filter(account=OuterRef("pk"), status=status, type__in=CONTACT_TYPES)


def cadence_days() -> dict[str, int]:
    """Days between contacts per tier: the admin's settings over the defaults (one query)."""
    return {
        **{str(tier): days for tier, days in DEFAULT_CADENCE_DAYS.items()},
        **dict(ContactCadence.objects.values_list("tier", "days")),
    }


def _by_tier(cadence: dict[str, int], value) -> Case:
    return Case(
        *(When(tier=tier, then=value(days)) for tier, days in cadence.items()),
        default=value(max(cadence.values())),
    )


def accounts_with_cadence(*, accounts: QuerySet[Account]) -> QuerySet[Account]:
    """`accounts` with `last_contact`, `cadence_days` and `contact_due_at` (when the next
    contact is due: the last one, or the account's creation, plus the tier's cadence)."""
    cadence = cadence_days()
    # A subquery per account, not MAX over a join: each one reads the account's latest done
    # contact off the (account, status, starts_at) index, where the join and GROUP BY read
    # every activity of the table (1.3 s for a KAM's 400 accounts among 500,000 activities).
    last_done = _contacts(ActivityStatus.DONE).order_by("-starts_at").values("starts_at")[:1]
    return accounts.annotate(
        last_contact=Subquery(last_done, output_field=DateTimeField()),
        cadence_days=_by_tier(cadence, Value),
        contact_due_at=ExpressionWrapper(
            Coalesce(F("last_contact"), F("created_at"))
            + _by_tier(
                cadence, lambda days: Value(timedelta(days=days), output_field=DurationField())
            ),
            output_field=DateTimeField(),
        ),
    )


def accounts_past_cadence(*, accounts: QuerySet[Account], now: datetime) -> QuerySet[Account]:
    """Accounts (not lost) whose next contact was due before `now`, the most overdue first."""
    return (
        accounts_with_cadence(accounts=accounts.exclude(status=Account.Status.LOST))
        .filter(contact_due_at__lt=now)
        .order_by("contact_due_at", "pk")
    )


def neglected_accounts(*, user: User, now: datetime, owner: User | None = None):
    """The accounts in `user`'s scope past their cadence, with the next planned contact."""
    accounts = Account.objects.visible_to(user).select_related("owner", "territory")
    if owner is not None:
        accounts = accounts.filter(owner=owner)
    next_planned = (
        _contacts(ActivityStatus.PLANNED)
        .filter(starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return accounts_past_cadence(accounts=accounts, now=now).annotate(
        next_planned=Subquery(next_planned, output_field=DateTimeField())
    )


@dataclass(frozen=True)
class CadenceRow:
    owner: User
    tier: str
    cadence_days: int
    accounts: int
    contacted: int  # a contact done within the cadence
    planned: int  # not contacted within the cadence, but a contact is planned within it
    uncovered: int  # neither


def cadence_summary(*, user: User, now: datetime, owners: QuerySet[User]) -> list[CadenceRow]:
    """Per KAM and tier: how many accounts are in touch, covered by a plan, or neither."""
    cadence = cadence_days()
    contacts = Activity.objects.filter(account=OuterRef("pk"), type__in=CONTACT_TYPES)
    # One EXISTS per account and question, each stopping at its first match on the
    # (account, starts_at) index; the window depends on the account's tier.
    rows = (
        Account.objects.visible_to(user)
        .select_related("owner", "territory")
        .filter(owner__in=owners)
        .exclude(status=Account.Status.LOST)
        .annotate(
            touch_since=_by_tier(cadence, lambda days: Value(now - timedelta(days=days))),
            plan_until=_by_tier(cadence, lambda days: Value(now + timedelta(days=days))),
        )
        .annotate(
            in_touch=Exists(
                contacts.filter(status=ActivityStatus.DONE, starts_at__gte=OuterRef("touch_since"))
            ),
            covered=Exists(
                contacts.filter(
                    status=ActivityStatus.PLANNED,
                    starts_at__gte=now,
                    starts_at__lte=OuterRef("plan_until"),
                )
            ),
        )
        .values("owner", "tier")
        .annotate(
            total=Count("pk"),
            contacted=Count("pk", filter=Q(in_touch=True)),
            planned=Count("pk", filter=Q(in_touch=False, covered=True)),
        )
        .order_by("owner", "tier")
    )
    people = {person.pk: person for person in owners}
    return [
        CadenceRow(
            owner=people[row["owner"]],
            tier=row["tier"],
            cadence_days=cadence.get(row["tier"], max(cadence.values())),
            accounts=row["total"],
            contacted=row["contacted"],
            planned=row["planned"],
            uncovered=row["total"] - row["contacted"] - row["planned"],
        )
        for row in rows
        if row["owner"] in people
    ]


# Planner -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannerEntry:
    """An activity in the grid, with its local start as the card shows it ("09:30")."""

    activity: Activity
    time: str


@dataclass
class PlannerCell:
    day: date
    hour: int
    slot: datetime  # local start of the hour, for "plan here"
    # The slot as the page writes it, formatted once per cell here rather than four times
    # in the template: "2026-03-04T09:00" (its address) and "Wed 4 Mar, 09:00" (its label).
    key: str = ""
    label: str = ""
    today: bool = False
    entries: list[PlannerEntry] = field(default_factory=list)

    @property
    def activities(self) -> list[Activity]:
        return [entry.activity for entry in self.entries]


@dataclass(frozen=True)
class PlannerWeek:
    owner: User
    monday: date
    days: list[date]
    rows: list[tuple[int, list[PlannerCell]]]
    today: date
    count: int

    @cached_property
    def query(self) -> str:
        """The week and owner as a query string, which every link of the grid starts with."""
        return urlencode({"week": self.monday.isoformat(), "owner": self.owner.pk})

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=DAYS_IN_WEEK)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=DAYS_IN_WEEK)


def planner_week(
    *, user: User, owner: User, monday: date, zone: ZoneInfo, now: datetime
) -> PlannerWeek:
    """`owner`'s week as a grid of days and hours in `zone`, with their activities (one query).

    Activities before the first or after the last hour sit in the first or last row. Only
    what a card draws is read (the panel reads the activity it opens itself)."""
    start, end = local_days_range(monday, DAYS_IN_WEEK, zone)
    activities = (
        Activity.objects.visible_to(user)
        .select_related("account")
        .filter(owner=owner, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=ActivityStatus.CANCELLED)
        .only(*PLANNER_CARD_FIELDS)
        .order_by("starts_at", "pk")
    )
    days = [monday + timedelta(days=n) for n in range(DAYS_IN_WEEK)]
    today = timezone.localtime(now, zone).date()
    grid = {}
    for day in days:
        # The date filter's own formatting, once per day: "Wed 4 Mar" in the user's language.
        day_label = dateformat.format(day, "D j M")
        for hour in PLANNER_HOURS:
            grid[(day, hour)] = PlannerCell(
                day=day,
                hour=hour,
                slot=datetime.combine(day, time(hour), tzinfo=zone),
                key=f"{day.isoformat()}T{hour:02d}:00",
                label=f"{day_label}, {hour:02d}:00",
                today=day == today,
            )
    count = 0
    for activity in activities:
        local = timezone.localtime(activity.starts_at, zone)
        hour = min(max(local.hour, PLANNER_HOURS.start), PLANNER_HOURS.stop - 1)
        grid[(local.date(), hour)].entries.append(PlannerEntry(activity, f"{local:%H:%M}"))
        count += 1
    rows = [(hour, [grid[(day, hour)] for day in days]) for hour in PLANNER_HOURS]
    return PlannerWeek(
        owner=owner,
        monday=monday,
        days=days,
        rows=rows,
        today=today,
        count=count,
    )


# Today --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayView:
    today: date
    activities: list[Activity]
    overdue: list[Activity]
    accounts_to_call: list[Account]


def today_view(*, user: User, now: datetime, zone: ZoneInfo) -> TodayView:
    """The user's activities today, what is overdue, and the accounts most past their cadence."""
    today = timezone.localtime(now, zone).date()
    start, end = local_days_range(today, 1, zone)
    mine = (
        Activity.objects.visible_to(user)
        .select_related("account", "owner")
        .filter(owner=user)
        .select_related("assigned_by", "follow_up_of")
        .exclude(status=ActivityStatus.CANCELLED)
    )
    todays = list(mine.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk"))
    overdue = list(
        mine.filter(status=ActivityStatus.PLANNED, starts_at__lt=start).order_by("starts_at", "pk")
    )
    to_call = list(
        accounts_past_cadence(
            accounts=Account.objects.visible_to(user)
            .select_related("owner", "territory")
            .filter(owner=user),
            now=now,
        )[:ACCOUNTS_TO_CALL]
    )
    return TodayView(today=today, activities=todays, overdue=overdue, accounts_to_call=to_call)


# Director's week ------------------------------------------------------------------------


def weekly_summary(*, user: User, monday: date, zone: ZoneInfo) -> QuerySet[User]:
    """Per KAM in `user`'s scope, visits and calls planned in the week and how many were done.

    "Planned" counts everything scheduled in the week except cancelled activities."""
    start, end = local_days_range(monday, DAYS_IN_WEEK, zone)
    in_week = Q(
        activities__starts_at__gte=start,
        activities__starts_at__lt=end,
        activities__in=Activity.objects.visible_to(user).values("pk"),
    ) & ~Q(activities__status=ActivityStatus.CANCELLED)
    done = Q(activities__status=ActivityStatus.DONE)
    counts = {}
    for kind in (ActivityType.VISIT, ActivityType.CALL):
        of_kind = in_week & Q(activities__type=kind)
        counts[f"{kind}s_planned"] = Count("activities", filter=of_kind)
        counts[f"{kind}s_done"] = Count("activities", filter=of_kind & done)
    return (
        access.owners_assignable_by(user)
        .annotate(**counts)
        .order_by("last_name", "first_name", "username")
    )


# Account page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    moment: datetime
    activity: Activity | None = None
    note: DossierNote | None = None


def timeline_kinds() -> list[tuple[str, str]]:
    """What the account timeline can be narrowed to: every kind of activity, or the notes."""
    return [("", _("Everything")), *ActivityType.choices, (NOTE_KIND, _("Dossier notes"))]


@dataclass(frozen=True)
class TimelineQuery:
    """Which part of the account timeline is asked for: `kind` ("" for everything, an activity
    type, or "note") and the page (TIMELINE_PAGE entries each, newest first)."""

    kind: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params) -> "TimelineQuery":
        """From `?timeline=<kind>&timeline_page=<n>`; anything unreadable reads as the start."""
        kind = params.get("timeline", "")
        if kind not in dict(timeline_kinds()):
            kind = ""
        page = params.get("timeline_page", "")
        page = int(page) if page.isdigit() and len(page) < 5 else 1
        return cls(kind=kind, page=min(max(page, 1), TIMELINE_MAX_PAGE))

    def params(self, page: int | None = None) -> str:
        query = {"timeline": self.kind} if self.kind else {}
        query["timeline_page"] = page or self.page
        return urlencode(query)


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    query: TimelineQuery
    has_more: bool

    @property
    def more_params(self) -> str:
        return self.query.params(self.query.page + 1)


def account_timeline(
    *, user: User, account: Account, zone: ZoneInfo, query: TimelineQuery, cumulative: bool
) -> Timeline:
    """The account's activities (not the cancelled ones) merged with its dossier notes, newest
    first, narrowed to `query.kind`: page `query.page` alone, or with `cumulative` all the
    pages up to it (the account page without script). Three queries at most, however long
    the account's history: the newest rows of each source up to the page's end are merged."""
    end = query.page * TIMELINE_PAGE
    start = 0 if cumulative else end - TIMELINE_PAGE
    entries = []
    if query.kind != NOTE_KIND:
        activities = (
            Activity.objects.visible_to(user)
            .select_related("account", "owner")
            .filter(account=account)
            .exclude(status=ActivityStatus.CANCELLED)
        )
        if query.kind:
            activities = activities.filter(type=query.kind)
        activities = activities.prefetch_related(
            Prefetch(
                "contacts", queryset=Contact.objects.only("first_name", "last_name", "account_id")
            )
        ).order_by("-starts_at", "-pk")[: end + 1]
        entries += [
            TimelineEntry(
                day=timezone.localtime(a.starts_at, zone).date(), moment=a.starts_at, activity=a
            )
            for a in activities
        ]
    if query.kind in ("", NOTE_KIND):
        notes = (
            DossierNote.objects.visible_to(user)
            .filter(account=account)
            .select_related("author")
            .order_by("-noted_on", "-pk")[: end + 1]
        )
        entries += [
            TimelineEntry(day=note.noted_on, moment=local_midnight(note.noted_on, zone), note=note)
            for note in notes
        ]
    entries.sort(key=lambda entry: (entry.day, entry.moment), reverse=True)
    return Timeline(entries=entries[start:end], query=query, has_more=len(entries) > end)


@dataclass(frozen=True)
class AccountActivity:
    """The activities part of the account page."""

    visible: bool
    timeline: list[TimelineEntry]
    last_contact: datetime | None
    next_contact_due: datetime | None
    cadence_days: int | None
    can_log: bool
    page: Timeline | None = None
    kinds: list[tuple[str, str]] = field(default_factory=list)


def account_activity(
    *, user: User, account: Account, zone: ZoneInfo, query: TimelineQuery | None = None
) -> AccountActivity:
    """The account's timeline up to the page asked for (`account_timeline`), the last contact
    and when the next one is due. Four queries; none for finance, who sees neither."""
    if not access.is_sales(user):
        return AccountActivity(False, [], None, None, None, False)
    cadence = accounts_with_cadence(accounts=Account.objects.filter(pk=account.pk)).values(
        "last_contact", "cadence_days", "contact_due_at"
    )[0]
    timeline = account_timeline(
        user=user, account=account, zone=zone, query=query or TimelineQuery(), cumulative=True
    )
    return AccountActivity(
        visible=True,
        timeline=timeline.entries,
        last_contact=cadence["last_contact"],
        next_contact_due=cadence["contact_due_at"],
        cadence_days=cadence["cadence_days"],
        can_log=access.account_can_edit(user, account),
        page=timeline,
        kinds=timeline_kinds(),
    )


# Lists ----------------------------------------------------------------------------------


def activities_for_listing(*, user: User) -> QuerySet[Activity]:
    return (
        Activity.objects.visible_to(user)
        .select_related("account", "owner")
        .order_by("-starts_at", "-pk")
    )


def notifications_for_listing(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class NotificationKindCount:
    kind: str
    label: str
    total: int
    unread: int


def notification_kind_counts(*, user: User) -> list[NotificationKindCount]:
    """How many notifications of each kind the user has, and how many unread. One query."""
    from .kinds import KIND_LABELS  # kinds -> reminders reads through this module: import late

    rows = (
        Notification.objects.visible_to(user)
        .order_by()
        .values("kind")
        .annotate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    )
    counts = [
        NotificationKindCount(
            kind=row["kind"],
            label=str(KIND_LABELS.get(row["kind"], row["kind"])),
            total=row["total"],
            unread=row["unread"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (-c.unread, c.label))


def unread_count(*, user: User) -> int:
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()


CALENDAR_PAST = timedelta(days=92)
CALENDAR_FUTURE = timedelta(days=366)


def calendar_activities(*, user: User, now: datetime) -> QuerySet[Activity]:
    """What the user's calendar feed holds: their own activities around now, not cancelled."""
    return (
        Activity.objects.visible_to(user)
        .select_related("account", "owner")
        .filter(
            owner=user,
            starts_at__gte=now - CALENDAR_PAST,
            starts_at__lt=now + CALENDAR_FUTURE,
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )
