"""Reminder rules as a hook: each app says what it reminds people of, activities delivers.

An app plugs in with a module `<app>/reminders.py` defining `RULES`, a list of functions
`rule(*, ctx: RuleContext) -> Iterable[Reminder]`. Each reads with a queryset and yields one
`Reminder` per (recipient, kind, subject, occasion); the runner (activities) collects the rules
of every installed app with `reminder_rules()` and stores the reminders as notifications, once
each (a rule may yield the same reminder on every run: only the first counts).

"Today" and "tomorrow" are the recipient's: `ctx.by_local_day` builds a condition for each time
zone the team lives in. So is the language: a rule builds its title and body lazily
(`core.i18n.lazy_message`, with `date_later` and `lowercase_later` for the parts that depend on
the language), and the runner reads them in each recipient's language, so a rule runs once
whatever languages the team speaks.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    kind: str  # a free string naming the rule, e.g. "offer_expiring"
    subject_type: str  # what it is about, e.g. "offer"
    subject_id: int
    occasion: date  # the day it is about: one reminder per occasion
    title: str | Promise  # lazy (`lazy_message`): read in the recipient's language when stored
    body: str | Promise = ""
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

    def local_date(self, moment: datetime, user) -> date:
        return timezone.localtime(moment, user.tzinfo).date()


Rule = Callable[..., Iterable[Reminder]]


def reaches_finance(rule: Rule) -> Rule:
    """Mark a rule about money (a broken promise to pay, a credit review): its reminders reach
    finance users too. Other rules reach only the sales roles, so finance is never reminded of
    visits, cadences or birthdays."""
    rule.reaches_finance = True
    return rule


def days_ahead(field: str, days: int) -> Callable[[date, ZoneInfo], Q]:
    """A `by_local_day` condition: `field` (a date) from today to `days` days ahead."""

    def condition(today: date, zone: ZoneInfo) -> Q:
        return Q(**{f"{field}__gte": today, f"{field}__lte": today + timedelta(days=days)})

    return condition


def _reminder_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{app.name}.reminders")
        for app in apps.get_app_configs()
        if app.name != __package__ and module_has_submodule(app.module, "reminders")
    ]


def reminder_rules() -> list[Rule]:
    """Every installed app's `reminders.RULES`, in INSTALLED_APPS order."""
    return [rule for module in _reminder_modules() for rule in module.RULES]
