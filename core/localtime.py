"""Days and weeks as the user lives them: local midnights in their zone, turned into UTC ranges.

Everything here uses zoneinfo, so a week with a daylight-saving change has a 23- or 25-hour day
and still starts at local midnight on Monday.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS_IN_WEEK = 7


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# A day stored before the date window existed (0001-01-01, 9999-12-31) is shown as the nearest
# day whose local times still exist in UTC, rather than raising OverflowError.
_FIRST_DAY = date.min + timedelta(days=1)
_LAST_DAY = date.max - timedelta(days=1)


def _on_calendar(day: date) -> date:
    return min(max(day, _FIRST_DAY), _LAST_DAY)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant `day` begins in `zone` (midnight exists on every day in every IANA zone
    that has a daylight-saving change at night), as an aware UTC datetime."""
    return datetime.combine(_on_calendar(day), time.min, tzinfo=zone).astimezone(UTC)


def local_days_range(first: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering `days` local days from `first`."""
    first = _on_calendar(first)
    end = first + timedelta(days=min(days, (_LAST_DAY - first).days))
    return local_midnight(first, zone), local_midnight(end, zone)


def local_at(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    return datetime.combine(_on_calendar(day), time(hour, minute), tzinfo=zone).astimezone(UTC)
