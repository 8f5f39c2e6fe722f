"""Expand series into occurrences for display (never stored occurrence by occurrence).

dateutil's RFC 5545 rules on wall-clock times in the event's own zone, so a weekly 10:00 in
Copenhagen stays 10:00 local across daylight-saving changes; EXDATEs remove occurrences and
overrides (RECURRENCE-ID) replace theirs.

Expansion is lazy and bounded whatever a stored rule says (a rule written before the input
checks, or by SQL): dateutil is iterated from DTSTART one occurrence at a time, and a series
stops after ``MAX_STEPS`` occurrences generated (inside the window or before it) or
``MAX_PER_SERIES`` inside the window; a view stops at ``MAX_PER_VIEW`` occurrences found,
``MAX_VIEW_STEPS`` generated or ``MAX_VIEW_SECONDS`` spent. Daily and weekly rules without
COUNT start near the window (``rule_start``), so a long-running series costs what a new one
does. A series more frequent
than daily (``models.too_frequent``) shows its first occurrence only.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

from juntos.calendar.models import Event, _naive_rule, rule_parts, too_frequent

#: Occurrences of one series inside the window, at most.
MAX_PER_SERIES = 2000
#: Occurrences one series may generate from DTSTART on, inside the window or not: a daily
#: series from 1900 reaches 2030 in about 47,500 steps, which takes well under a second.
MAX_STEPS = 50_000
#: Occurrences a page or a search expands, at most, all series together.
MAX_PER_VIEW = 20_000
#: Occurrences generated for one page, all series together, and the time they may take.
MAX_VIEW_STEPS = 200_000
MAX_VIEW_SECONDS = 2.0


class _Budget:
    """What one ``expand`` may still spend: steps, and time (some rules cost more a step)."""

    def __init__(self) -> None:
        self.steps = MAX_VIEW_STEPS
        self.until = time.monotonic() + MAX_VIEW_SECONDS

    def spend(self) -> bool:
        self.steps -= 1
        return self.steps >= 0 and (self.steps % 256 != 0 or time.monotonic() < self.until)


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: datetime  # aware; all-day: midnight UTC of the date
    end: datetime

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    def span(self, zone: ZoneInfo) -> tuple[date, date]:
        """The first and last calendar days this occurrence touches, seen from ``zone``
        (without listing the days between: a year-long event is two dates, not 365)."""
        return _days_touched(self.start, self.end, self.all_day, zone)

    def days(self, zone: ZoneInfo) -> list[date]:
        """The calendar days this occurrence touches, seen from ``zone``."""
        first, last = self.span(zone)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def local_start(self, zone: ZoneInfo) -> datetime:
        return self.start.astimezone(zone)


@lru_cache(maxsize=65536)
def _days_touched(start: datetime, end: datetime, all_day: bool,
                  zone: ZoneInfo) -> tuple[date, date]:
    # Remembered: converting to a zone costs more than the lookup, and a month grid asks
    # for each occurrence's days once per week it may touch.
    if all_day:
        first, last = start.date(), end.date() - timedelta(days=1)
    else:
        first = start.astimezone(zone).date()
        last = (end - timedelta(seconds=1)).astimezone(zone).date()
    return first, max(first, last)


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
    budget = _Budget()
    for event in events:
        if event.recurrence_id is not None:
            continue
        replaced = overrides.get(event.uid, {})
        for occurrence in _series(event, replaced, start, end, budget):
            if occurrence.end > start and occurrence.start < end:
                found.append(occurrence)
                if len(found) >= MAX_PER_VIEW:
                    break
        if len(found) >= MAX_PER_VIEW:
            break
    found.sort(key=lambda o: (o.start, o.event.title))
    return found


def _series(event: Event, replaced: dict[datetime, Event], start: datetime,
            end: datetime, budget: _Budget) -> Iterator[Occurrence]:
    duration = event.duration()
    if not event.is_recurring or too_frequent(event.rrule):
        yield Occurrence(event, event.aware(event.start), event.aware(event.end))
        return
    rules = rruleset()
    first = _naive(event.start)
    # Wall-clock bounds with a day's margin either side for zone offsets and long events.
    low = (start - _span(duration) - timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    high = (end + timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    if event.rrule:
        rules.rrule(rrulestr(_naive_rule(event.rrule),  # type: ignore[arg-type]
                             dtstart=rule_start(event.rrule, first, low)))
    rules.rdate(first)
    for extra in event.rdates:
        rules.rdate(_naive(extra))
    for ex in event.exdates:
        rules.exdate(_naive(ex))
    inside = 0
    # Iterated lazily from DTSTART (``between`` would list every occurrence up to ``high``):
    # the step cap bounds the work whatever DTSTART and the window are.
    for step, moment in enumerate(rules):
        if (moment > high or step >= MAX_STEPS or inside >= MAX_PER_SERIES
                or not budget.spend()):
            break
        if moment < low:
            continue
        inside += 1
        override = replaced.get(moment)
        if override is not None:
            if not override.removed:
                yield Occurrence(override, override.aware(override.start),
                                 override.aware(override.end))
            continue
        value: date | datetime = moment if not event.all_day else moment.date()
        yield Occurrence(event, event.aware(value), event.aware(value) + duration)


def rule_start(rule: str, first: datetime, low: datetime) -> datetime:
    """Where to start iterating a daily or weekly rule so that ``low`` is near: DTSTART moved
    on by whole periods (INTERVAL days or weeks), which generates the same occurrences from
    there, so a daily series begun in 1900 costs no more than one begun last week. Rules with
    COUNT are counted from DTSTART (and COUNT is small); months and years cost little anyway."""
    parts = rule_parts(rule)
    days = {"DAILY": 1, "WEEKLY": 7}.get(parts.get("FREQ", ""))
    interval = parts.get("INTERVAL", "1")
    if days is None or "COUNT" in parts or "BYSETPOS" in parts or not interval.isdigit():
        return first
    period = days * max(int(interval), 1)
    skip = (low - first).days // period - 1
    return first + timedelta(days=skip * period) if skip > 0 else first


def _span(duration: timedelta) -> timedelta:
    return duration if duration > timedelta(0) else timedelta(0)
