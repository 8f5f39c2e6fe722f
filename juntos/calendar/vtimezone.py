"""VTIMEZONE components that every client reads the same way.

icalendar's ``add_missing_timezones()`` puts all of a zone's switch dates on one RDATE line,
and ical.js (Thunderbird, Nextcloud) reads only the first, so later summer instants come out an
hour off. Here each transition is its own STANDARD/DAYLIGHT block with a single DTSTART, which
every parser understands, built from the IANA data (zoneinfo) for the years a feed needs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Component, Timezone, TimezoneDaylight, TimezoneStandard


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@lru_cache(maxsize=256)
def transitions(tzid: str, first_year: int, last_year: int) -> tuple[tuple[datetime, timedelta,
                                                                           timedelta, str, bool],
                                                                     ...]:
    """(UTC instant, offset before, offset after, name after, is daylight) of each change."""
    zone = ZoneInfo(tzid)
    found = []
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    before = _offset(zone, moment)
    while moment < end:
        nxt = moment + step
        after = _offset(zone, nxt)
        if after != before:
            low, high = int(moment.timestamp()), int(nxt.timestamp())  # bisect to the second
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, datetime.fromtimestamp(mid, UTC)) == before:
                    low = mid
                else:
                    high = mid
            instant = datetime.fromtimestamp(high, UTC)
            local = instant.astimezone(zone)
            found.append((instant, before, after, local.tzname() or "", bool(local.dst())))
            before = after
        moment = nxt
    return tuple(found)


def vtimezone(tzid: str, first_year: int, last_year: int) -> Component:
    """A VTIMEZONE for ``tzid`` correct from ``first_year`` to the end of ``last_year``."""
    zone = ZoneInfo(tzid)
    first_year = max(first_year, 1970)
    tz = Timezone()
    tz.add("TZID", tzid)
    start = datetime(first_year, 1, 1)
    offset = _offset(zone, start.replace(tzinfo=zone).astimezone(UTC))
    initial = start.replace(tzinfo=zone)
    tz.add_component(_block(bool(initial.dst()), start, offset, offset, initial.tzname() or ""))
    for instant, before, after, name, dst in transitions(tzid, first_year, last_year):
        # RFC 5545: DTSTART of an observance is local time in the offset *before* the change.
        local = (instant + before).replace(tzinfo=None)
        tz.add_component(_block(dst, local, before, after, name))
    return tz


def _block(dst: bool, start: datetime, before: timedelta, after: timedelta,
           name: str) -> Component:
    block = TimezoneDaylight() if dst else TimezoneStandard()
    block.add("DTSTART", start)
    block.add("TZOFFSETFROM", before)
    block.add("TZOFFSETTO", after)
    if name:
        block.add("TZNAME", name)
    return block


@lru_cache(maxsize=512)
def vtimezone_bytes(tzid: str, first_year: int, last_year: int) -> bytes:
    return vtimezone(tzid, first_year, last_year).to_ical()
