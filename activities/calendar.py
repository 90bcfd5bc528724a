"""The iCalendar (RFC 5545) feed of a user's activities, for Outlook, Google or Apple Calendar."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from team.models import User

from .models import ActivityStatus
from .selectors import calendar_activities

STATUS = {
    ActivityStatus.PLANNED: "CONFIRMED",
    ActivityStatus.DONE: "CONFIRMED",
    ActivityStatus.MISSED: "CANCELLED",
    ActivityStatus.CANCELLED: "CANCELLED",
}


def calendar_feed_build(*, user: User, now: datetime) -> bytes:
    """The user's own activities from a quarter ago to a year ahead, times in UTC."""
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1].split("/", 1)[0] or "kam-crm"
    calendar = Calendar()
    calendar.add("prodid", "-//KAM CRM//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"KAM CRM - {user.get_full_name() or user.username}")
    calendar.add("x-wr-timezone", user.tzinfo.key)
    # Calendar apps poll subscriptions; ask for an hourly refresh where they listen.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for activity in calendar_activities(user=user, now=now):
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", activity.updated_at)
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("summary", f"{activity.get_type_display()}: {activity.account.name}")
        if activity.place:
            event.add("location", activity.place)
        description = [activity.purpose, activity.outcome and f"Outcome: {activity.outcome}"]
        event.add("description", "\n\n".join(part for part in description if part))
        event.add("status", STATUS[activity.status])
        event.add("url", site + reverse("activities:detail", args=[activity.pk]))
        calendar.add_component(event)
    return calendar.to_ical()
