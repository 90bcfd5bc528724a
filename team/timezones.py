"""Time zone names as users pick them: validated with zoneinfo, never trusted."""

import functools
import zoneinfo


@functools.cache
def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone name, sorted, for a select box."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


@functools.lru_cache(maxsize=256)
def zone_get(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone called `name`, or None when there is no such zone."""
    if not name or name not in _zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


@functools.cache
def _zone_names() -> frozenset[str]:
    # Checked against the list rather than by trying ZoneInfo(name): a name such as
    # "../../etc/passwd" must never reach the file system.
    return frozenset(zoneinfo.available_timezones())
