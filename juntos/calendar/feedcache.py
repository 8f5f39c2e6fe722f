"""A cache of rendered feeds, so polling clients never make us rebuild.

The key holds everything the bytes depend on: the change counter every write bumps, the
viewer's visibility (so a user removed from a campaign gets a new key at once), the filters
and the day (the feed window moves daily). Last-Modified is the moment these exact bytes
were first rendered, so it changes exactly when the ETag does.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from cachetools import LRUCache

from juntos.calendar.feed import Rendered

#: What a rendered feed depends on (see ``feeds.cache_key``).
Key = tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    rendered: Rendered
    gzipped: bytes
    last_modified: datetime
    last_modified_http: str  # formatted once: polling clients ask for it constantly


class FeedCache:
    """Rendered feeds by key, least recently used dropped first; one per app.

    ``builds`` counts renders, so tests can see that a hit never rebuilds.
    """

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: LRUCache[Key, Entry] = LRUCache(maxsize=max_entries)
        # When each ETag was first seen: kept longer than the entries, so an entry rebuilt
        # after eviction (or after a day's turn) with the same bytes keeps its Last-Modified.
        self._first_seen: LRUCache[str, datetime] = LRUCache(maxsize=4 * max_entries)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe
        self.builds = 0

    def get(self, key: Key) -> Entry | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Key, rendered: Rendered, *, now: datetime) -> Entry:
        with self._lock:
            self.builds += 1
            first = self._first_seen.setdefault(rendered.etag, now.replace(microsecond=0))
            entry = Entry(rendered, gzip.compress(rendered.body, 6, mtime=0), first,
                          format_datetime(first.astimezone(UTC), usegmt=True))
            self._entries[key] = entry
            return entry
