"""Time zones of imported files: Outlook's Windows names, zones known only by their offsets,
and date-times turned into the wall-clock values events keep."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from juntos.organisations.models import timezones


@lru_cache(maxsize=256)
def iana_for(tzid: str, year: int = 2020, january: float | None = None,
             july: float | None = None) -> str | None:
    """An IANA zone for a TZID: itself, Outlook's Windows name, or a zone with the same
    offsets (``january``/``july`` in hours) for names only Outlook knows."""
    tzid = tzid.strip().strip('"')
    if tzid in timezones():
        return tzid
    if tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    if january is None or july is None:
        return None
    for candidate in _CANDIDATES:
        zone = ZoneInfo(candidate)
        jan = datetime(year, 1, 15, 12, tzinfo=zone).utcoffset()
        jul = datetime(year, 7, 15, 12, tzinfo=zone).utcoffset()
        if (jan is not None and jul is not None and jan.total_seconds() / 3600 == january
                and jul.total_seconds() / 3600 == july):
            return candidate
    return None


# Zones tried, in order, when only offsets identify an Outlook-only zone name.
_CANDIDATES = sorted(set(WINDOWS_TO_OLSON.values()) & set(timezones()))


def zone_of(value: datetime, default: str) -> str:
    tz = value.tzinfo
    if tz is None:
        return default
    if tz is UTC or getattr(tz, "key", None) in ("UTC", "Etc/UTC"):
        return "UTC"
    key = getattr(tz, "key", None)
    if key and key in timezones():
        return key
    name = _tzname_param(tz)
    jan = datetime(value.year, 1, 15, 12, tzinfo=tz).utcoffset()
    jul = datetime(value.year, 7, 15, 12, tzinfo=tz).utcoffset()
    found = iana_for(name, value.year, jan.total_seconds() / 3600 if jan is not None else None,
                     jul.total_seconds() / 3600 if jul is not None else None)
    if found:
        return found
    offset = value.utcoffset() or timedelta(0)
    hours = int(offset.total_seconds() // 3600)
    if offset.total_seconds() % 3600 == 0 and abs(hours) <= 12:
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # POSIX sign is inverted
    return "UTC"


def _tzname_param(tz: tzinfo) -> str:
    text = repr(tz)
    match = re.search(r"'(.*)'", text)
    return (match.group(1) if match else str(tz)).replace("\\", "")


def wall(value: date | datetime, zone: str) -> date | datetime:
    """A value as wall-clock time in ``zone`` (naive), or a date unchanged."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def as_kind(value: Any, all_day: bool) -> Any:
    if all_day and isinstance(value, datetime):
        return value.date()
    return value


def aware(value: Any, zone: str) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value
