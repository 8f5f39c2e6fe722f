"""Expand series into occurrences for display (never stored occurrence by occurrence).

dateutil's RFC 5545 rules on wall-clock times in the event's own zone, so a weekly 10:00 in
Copenhagen stays 10:00 local across daylight-saving changes; EXDATEs remove occurrences and
overrides (RECURRENCE-ID) replace theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

from juntos.calendar.models import Event, _naive_rule

MAX_PER_SERIES = 2000


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: datetime  # aware; all-day: midnight UTC of the date
    end: datetime

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    def days(self, zone: ZoneInfo) -> list[date]:
        """The calendar days this occurrence touches, seen from ``zone``."""
        if self.all_day:
            first, last = self.start.date(), self.end.date() - timedelta(days=1)
        else:
            first = self.start.astimezone(zone).date()
            last = (self.end - timedelta(seconds=1)).astimezone(zone).date()
            last = max(first, last)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def local_start(self, zone: ZoneInfo) -> datetime:
        return self.start.astimezone(zone)


def _naive(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


def expand(events: Iterable[Event], start: datetime, end: datetime) -> list[Occurrence]:
    """Occurrences overlapping [start, end), in order; series with their overrides."""
    events = list(events)
    overrides: dict[str, dict[datetime, Event]] = {}
    for event in events:
        if event.recurrence_id is not None:
            overrides.setdefault(event.uid, {})[_naive(event.recurrence_id)] = event
    found: list[Occurrence] = []
    for event in events:
        if event.recurrence_id is not None:
            continue
        replaced = overrides.get(event.uid, {})
        for occurrence in _series(event, replaced, start, end):
            if occurrence.end > start and occurrence.start < end:
                found.append(occurrence)
    found.sort(key=lambda o: (o.start, o.event.title))
    return found


def _series(event: Event, replaced: dict[datetime, Event], start: datetime,
            end: datetime) -> Iterator[Occurrence]:
    duration = event.duration()
    if not event.is_recurring:
        yield Occurrence(event, event.aware(event.start), event.aware(event.end))
        return
    rules = rruleset()
    first = _naive(event.start)
    if event.rrule:
        rules.rrule(rrulestr(_naive_rule(event.rrule), dtstart=first))  # type: ignore[arg-type]
    rules.rdate(first)
    for extra in event.rdates:
        rules.rdate(_naive(extra))
    for ex in event.exdates:
        rules.exdate(_naive(ex))
    # Wall-clock bounds with a day's margin either side for zone offsets and long events.
    low = (start - _span(duration) - timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    high = (end + timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    for n, moment in enumerate(rules.between(low, high, inc=True)):
        if n >= MAX_PER_SERIES:
            break
        override = replaced.get(moment)
        if override is not None:
            if not override.removed:
                yield Occurrence(override, override.aware(override.start),
                                 override.aware(override.end))
            continue
        value: date | datetime = moment if not event.all_day else moment.date()
        yield Occurrence(event, event.aware(value), event.aware(value) + duration)


def _span(duration: timedelta) -> timedelta:
    return duration if duration > timedelta(0) else timedelta(0)
