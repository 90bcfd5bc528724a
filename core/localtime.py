"""Days and weeks as the user lives them: local midnights in their zone, turned into UTC ranges.

Everything here uses zoneinfo, so a week with a daylight-saving change has a 23- or 25-hour day
and still starts at local midnight on Monday.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS_IN_WEEK = 7


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant `day` begins in `zone` (midnight exists on every day in every IANA zone
    that has a daylight-saving change at night), as an aware UTC datetime."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_days_range(first: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering `days` local days from `first`."""
    return local_midnight(first, zone), local_midnight(first + timedelta(days=days), zone)


def local_at(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
