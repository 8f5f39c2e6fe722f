"""Occurrences in a window, kept until anything they come from changes.

A page shows a window (a month, the next fortnight); building it means reading the events
that overlap it, every provider's dates (campaign calls, milestones, commitments) and
expanding series inside it. The result is kept per (everything's version, viewer, filters,
whole UTC days), so the next view of the same window, by anyone who sees the same events,
only picks what it shows. Any write bumps a version, so nothing stale is served.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from cachetools import LRUCache

from juntos.calendar import occurrences, sources
from juntos.calendar.filters import Filters
from juntos.calendar.models import Window
from juntos.calendar.occurrences import Occurrence
from juntos.calendar.visibility import Viewer
from juntos.db import Database
from juntos.kept import Kept

T = TypeVar("T")

Key = tuple[str, str, str, datetime, datetime]


def _day_floor(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time.min, UTC)


def _day_ceiling(moment: datetime) -> datetime:
    floor = _day_floor(moment)
    return floor if floor == moment else floor + timedelta(days=1)


class WindowCache:
    """Occurrences by window; one per app (``WEB.state``), thread-safe, least used dropped."""

    def __init__(self, max_entries: int = 128) -> None:
        self._entries: LRUCache[Key, list[Occurrence]] = LRUCache(maxsize=max_entries)
        self._days: LRUCache[tuple[Key, str, datetime, datetime],
                             dict[date, list[Occurrence]]] = LRUCache(maxsize=max_entries)
        self._derived: Kept[object] = Kept(max_entries)
        self._lock = threading.Lock()
        self.builds = 0

    def by_day(self, db: Database, viewer: Viewer, filters: Filters, start: datetime,
               end: datetime, zone: ZoneInfo) -> dict[date, list[Occurrence]]:
        """Occurrences in [start, end) under each day they touch, seen from ``zone`` (a month
        grid's cells), kept like the window itself."""
        key = (self._key(db, viewer, filters, start, end), zone.key, start, end)
        with self._lock:
            found = self._days.get(key)
        if found is None:
            found = {}
            shown_from, shown_to = start.astimezone(zone).date(), end.astimezone(zone).date()
            for occurrence in self.occurrences(db, viewer, filters, start, end):
                first, last = occurrence.span(zone)
                # only the window's days: a year-long event is not listed under 365 days
                day, until = max(first, shown_from), min(last, shown_to)
                while day <= until:
                    found.setdefault(day, []).append(occurrence)
                    day += timedelta(days=1)
            with self._lock:
                self._days[key] = found
        return found

    def remember(self, db: Database, viewer: Viewer, filters: Filters, start: datetime,
                 end: datetime, what: Hashable, build: Callable[[], T]) -> T:
        """``build()``, kept like the window it is drawn from: a value derived from these
        occurrences (a laid-out month grid), ``what`` naming everything else it depends on."""
        return cast(T, self._derived.get((self._key(db, viewer, filters, start, end), what),
                                         build))

    def key(self, db: Database, viewer: Viewer, filters: Filters, start: datetime,
            end: datetime) -> Key:
        """What a window's content is kept by (its data versions, viewer, filters, days): a
        page piece drawn from the window (the rendered month grid) is kept by it too."""
        return self._key(db, viewer, filters, start, end)

    @staticmethod
    def _key(db: Database, viewer: Viewer, filters: Filters, start: datetime,
             end: datetime) -> Key:
        return (sources.version(db), viewer.key, filters.key, _day_floor(start),
                _day_ceiling(end))

    def occurrences(self, db: Database, viewer: Viewer, filters: Filters, start: datetime,
                    end: datetime, *, limit: int | None = None) -> list[Occurrence]:
        """Occurrences overlapping [start, end), in order, the first ``limit`` if given."""
        key = self._key(db, viewer, filters, start, end)
        low, high = key[3], key[4]
        with self._lock:
            found = self._entries.get(key)
        if found is None:
            events = sources.events(db, viewer, filters, window=Window(low, high),
                                    include_removed=False)
            found = occurrences.expand(events, low, high)
            with self._lock:
                self.builds += 1
                self._entries[key] = found
        out: list[Occurrence] = []
        for occurrence in found:  # in order of start: stop at the window's end
            if occurrence.start >= end:
                break
            if occurrence.end > start:
                out.append(occurrence)
                if limit is not None and len(out) >= limit:
                    break
        return out
