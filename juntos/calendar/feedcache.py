"""A cache of rendered feeds, so polling clients never make us rebuild.

The key holds everything the bytes depend on: the change counter every write bumps, the
viewer's visibility (so a user removed from a campaign gets a new key at once), the filters
and the day (the feed window moves daily). Last-Modified is the moment these exact bytes
were first rendered, so it changes exactly when the ETag does.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from juntos.calendar.feed import Rendered


@dataclass(frozen=True)
class Entry:
    rendered: Rendered
    gzipped: bytes
    last_modified: datetime
    last_modified_http: str  # formatted once: polling clients ask for it constantly


class FeedCache:
    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._first_seen: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, key: tuple[str, ...]) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, ...], rendered: Rendered, *, now: datetime) -> Entry:
        with self._lock:
            self.builds += 1
            first = self._first_seen.setdefault(rendered.etag, now.replace(microsecond=0))
            if len(self._first_seen) > 4 * self.max_entries:
                self._first_seen.clear()
                self._first_seen[rendered.etag] = first
            entry = Entry(rendered, gzip.compress(rendered.body, 6, mtime=0), first,
                          format_datetime(first.astimezone(UTC), usegmt=True))
            self._entries[key] = entry
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            return entry
