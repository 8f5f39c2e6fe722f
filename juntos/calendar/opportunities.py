"""Opportunities: days on which several partners act, and international days that match a
campaign's themes, over a chosen period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from juntos.calendar import observances
from juntos.calendar.models import Event
from juntos.calendar.occurrences import expand


@dataclass
class BusyDay:
    day: date
    organisers: set[str] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)


@dataclass
class Opportunities:
    busy_days: list[BusyDay]
    suggestions: list[observances.Suggestion]
    themes: list[str]


def find(events: list[Event], *, start: date, end: date, themes: list[str],
         zone: ZoneInfo, min_partners: int = 2) -> Opportunities:
    """Days with at least ``min_partners`` organisers acting, and matching observances."""
    by_day: dict[date, BusyDay] = {}
    low = datetime(start.year, start.month, start.day, tzinfo=UTC)
    high = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    acting = defaultdict(set)
    for occurrence in expand([e for e in events if not e.removed], low, high):
        event = occurrence.event
        if event.category == "international_day" or not event.organiser_id:
            continue
        for day in occurrence.days(zone):
            if start <= day <= end:
                busy = by_day.setdefault(day, BusyDay(day))
                busy.organisers.add(event.organiser_name or str(event.organiser_id))
                busy.events.append(event)
                acting[day].add(event.organiser_id)
    busy_days = sorted((b for d, b in by_day.items() if len(acting[d]) >= min_partners),
                       key=lambda b: b.day)
    found = observances.suggestions(observances.load(), themes, start, end)
    return Opportunities(busy_days, found, themes)
