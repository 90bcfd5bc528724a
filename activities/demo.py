"""Demo data for activities: a past quarter of logged visits and calls, the next two weeks
planned, follow-ups coming due, tasks from the directors, and the reminders they raise."""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Account, Contact
from core.localtime import local_at
from team.demo import DemoOptions
from team.models import Role, User

from . import services
from .models import Activity, ActivityStatus, ActivityType

PAST_DAYS = 91
PLANNED_DAYS = 14
DONE_PER_DAY = (2, 4)
PLANNED_PER_DAY = (1, 3)
TASKS_PER_KAM = 2
TIER_WEIGHTS = {Account.Tier.A: 6, Account.Tier.B: 2, Account.Tier.C: 1}
TYPE_WEIGHTS = [
    (ActivityType.VISIT, 40),
    (ActivityType.CALL, 38),
    (ActivityType.MEETING, 8),
    (ActivityType.EMAIL, 6),
    (ActivityType.MERCHANDISING, 5),
    (ActivityType.TRAINING, 3),
]
PURPOSES = {
    ActivityType.VISIT: [
        "Kwartalny przegląd współpracy",
        "Prezentacja nowej oferty produktowej",
        "Negocjacje wolumenów na przyszły rok",
        "Kontrola stanów magazynowych i udziału na półce",
        "Poznanie nowego kierownika zakupów",
    ],
    ActivityType.CALL: [
        "Dopytać o ofertę handlową",
        "Potwierdzić harmonogram dostaw",
        "Zapytać o termin przetargu",
        "Wyjaśnić pytanie do faktury",
        "Sprawdzić zadowolenie po ostatniej dostawie",
    ],
    ActivityType.MEETING: ["Wspólne planowanie z logistyką", "Rozmowy o umowie rocznej"],
    ActivityType.EMAIL: ["Wysłać zaktualizowany cennik", "Przesłać studium przypadku"],
    ActivityType.MERCHANDISING: ["Kontrola ekspozycji w sklepie głównym"],
    ActivityType.TRAINING: ["Szkolenie produktowe dla sprzedawców"],
}
OUTCOMES = [
    "Pozytywnie; proszą o ofertę na piśmie.",
    "Budżet zamrożony do przyszłego kwartału; pozostajemy w kontakcie.",
    "Uzgodniono zamówienie próbne.",
    "Kupiec porównuje nas cenowo z konkurencją.",
    "Reklamacja spóźnionych dostaw; obiecałem sprawdzić w logistyce.",
    "Dobra relacja; polecą nas oddziałowi regionalnemu.",
    "Zainteresowani nową ofertą, chcą próbek.",
    "Brak decyzji; zarząd zbiera się w przyszłym miesiącu.",
]
NEXT_STEPS = [
    ("Wysłać ofertę na piśmie", ActivityType.EMAIL),
    ("Oddzwonić w sprawie decyzji", ActivityType.CALL),
    ("Dowieźć próbki", ActivityType.VISIT),
    ("Sprawdzić reklamację dostawy w logistyce", ActivityType.TASK),
    ("Przygotować propozycję wolumenów", ActivityType.TASK),
]
DIRECTOR_TASKS = [
    "Zaktualizować plan klienta przed przeglądem kwartalnym",
    "Sprawdzić promocję konkurencji w sklepach",
    "Przygotować pismo o podwyżce cen",
    "Wizyta razem ze mną w przyszłym tygodniu: przygotować agendę",
]
PLACES = ["Siedziba klienta", "Magazyn", "Sklep główny", "Nasze biuro", "Online"]


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _working_days(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() < 5
    ]


def _weekday(day: date) -> date:
    """`day`, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _times(rng: random.Random, day: date, count: int, zone) -> list:
    """`count` start times on `day`, 08:00 to 16:30, an hour or more apart."""
    hours = sorted(rng.sample(range(8 * 2, 17 * 2), count * 2)[:count])
    starts, previous = [], None
    for half_hours in hours:
        if previous is not None and half_hours - previous < 2:
            continue
        starts.append(local_at(day, half_hours // 2, zone, minute=30 * (half_hours % 2)))
        previous = half_hours
    return starts


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    """Activities for every KAM on their own accounts, then tasks and the reminders they raise."""
    rng = options.rng
    now = timezone.now()
    kams = list(User.objects.filter(role=Role.KAM).order_by("pk"))
    accounts = defaultdict(list)
    for account in Account.objects.exclude(status=Account.Status.LOST).only(
        "pk", "owner_id", "tier"
    ):
        accounts[account.owner_id].append(account)
    contacts = defaultdict(list)
    for contact_id, account_id in Contact.objects.values_list("pk", "account_id").order_by("pk"):
        contacts[account_id].append(contact_id)

    drafts: list[tuple[Activity, list[int]]] = []
    for kam in kams:
        book = accounts.get(kam.pk)
        if not book:
            continue
        zone = kam.tzinfo
        today = timezone.localtime(now, zone).date()
        weights = [TIER_WEIGHTS[account.tier] for account in book]
        days = _working_days(
            today - timedelta(days=PAST_DAYS), today + timedelta(days=PLANNED_DAYS)
        )
        for day in days:
            per_day = PLANNED_PER_DAY if day >= today else DONE_PER_DAY
            for starts_at in _times(rng, day, rng.randint(*per_day), zone):
                account = rng.choices(book, weights=weights)[0]
                drafts.append(
                    _draft(
                        rng=rng,
                        kam=kam,
                        account=account,
                        starts_at=starts_at,
                        # What already happened is logged; the rest is in the planner.
                        planned=starts_at > now,
                        contacts=contacts[account.pk],
                        today=today,
                    )
                )
    activities = Activity.objects.bulk_create([activity for activity, _ in drafts], batch_size=1000)
    zones = {kam.pk: kam.tzinfo for kam in kams}
    follow_ups = [
        services.follow_up_draft(
            source=activity,
            next_step_type=dict(NEXT_STEPS)[activity.next_step],
            zone=zones[activity.owner_id],
        )
        for activity in activities
        if activity.next_step
    ]
    Activity.objects.bulk_create(follow_ups, batch_size=1000)
    links = [
        Activity.contacts.through(activity_id=activity.pk, contact_id=contact_id)
        for activity, (_, people) in zip(activities, drafts, strict=True)
        for contact_id in people
    ]
    Activity.contacts.through.objects.bulk_create(links, batch_size=1000)
    tasks = _director_tasks(rng=rng, kams=kams, accounts=accounts, now=now)
    reminders = services.reminders_create(now=now)
    return {
        "activities": len(activities) + len(follow_ups) + tasks,
        "follow-ups": len(follow_ups),
        "reminders": reminders,
    }


def _draft(*, rng, kam, account, starts_at, planned, contacts, today) -> tuple[Activity, list[int]]:
    kind = _weighted(rng, TYPE_WEIGHTS)
    activity = Activity(
        type=kind,
        account_id=account.pk,
        owner_id=kam.pk,
        starts_at=starts_at,
        duration_minutes=rng.choice([15, 30, 30, 45])
        if kind in (ActivityType.CALL, ActivityType.EMAIL)
        else rng.choice([60, 60, 90, 120]),
        place="" if kind in (ActivityType.CALL, ActivityType.EMAIL) else rng.choice(PLACES),
        purpose=rng.choice(PURPOSES[kind]),
    )
    if not planned:
        roll = rng.random()
        if roll < 0.05:
            activity.status = ActivityStatus.CANCELLED
        elif roll < 0.11:
            activity.status = ActivityStatus.MISSED
        else:
            activity.status = ActivityStatus.DONE
            activity.outcome = rng.choice(OUTCOMES)
            activity.completed_at = starts_at + timedelta(minutes=activity.duration_minutes)
            # Recent outcomes leave next steps, some already overdue, most coming due.
            local_day = timezone.localtime(starts_at, kam.tzinfo).date()
            if (today - local_day).days <= 10 and rng.random() < 0.35:
                step, _ = rng.choice(NEXT_STEPS)
                activity.next_step = step
                due = max(local_day, today + timedelta(days=rng.randint(-3, 6)))
                activity.next_step_due = _weekday(due)
    people = rng.sample(contacts, min(len(contacts), rng.choice([1, 1, 2]))) if contacts else []
    return activity, people


def _director_tasks(*, rng, kams, accounts, now) -> int:
    """A couple of tasks from each KAM's director, through the service (it notifies them)."""
    count = 0
    directors = {
        d.pk: d for d in User.objects.filter(role=Role.DIRECTOR).select_related("territory")
    }
    for kam in kams:
        director = directors.get(kam.reports_to_id)
        book = accounts.get(kam.pk)
        if director is None or not book:
            continue
        for _ in range(TASKS_PER_KAM):
            day = _weekday(
                timezone.localtime(now, kam.tzinfo).date() + timedelta(days=rng.randint(0, 6))
            )
            services.task_assign(
                actor=director,
                owner=kam,
                account=rng.choice(book),
                starts_at=local_at(day, rng.choice([10, 12, 15]), kam.tzinfo),
                purpose=rng.choice(DIRECTOR_TASKS),
            )
            count += 1
    return count
