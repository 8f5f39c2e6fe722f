"""Served feeds: what a viewer may see, filtered, windowed, rendered once and cached."""

from __future__ import annotations

from datetime import datetime

from juntos.calendar import feed, rendered, sources, titles
from juntos.calendar.feedcache import Entry, FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import Viewer
from juntos.db import Database

NAME = "Juntos joint calendar"


def title_for(filters: Filters, private: bool) -> str:
    parts = [f"{k}: {v}" for k, v in filters.items().items()]
    base = NAME + (" (private)" if private else "")
    return base + (" – " + ", ".join(parts) if parts else "")


def cache_key(reader: Database, viewer: Viewer, filters: Filters, *, now: datetime,
              timezone: str = "UTC", language: str = "en") -> tuple[str, ...]:
    """Everything the bytes depend on; cheap, so polling clients cost one small query."""
    return (sources.version(reader), viewer.key, filters.key, now.date().isoformat(), timezone,
            language)


def build(db: Database, cache: FeedCache, key: tuple[str, ...], viewer: Viewer,
          filters: Filters, *, now: datetime, timezone: str = "UTC",
          language: str = "en") -> Entry:
    found = sources.events(db, viewer, filters, window=feed.served_window(now), now=now)
    events = [titles.localised(e, language) for e in found]
    # Stored VEVENT bytes are the English titles': an event retitled for this reader is
    # rendered afresh (the feed cache keeps the result) and never stored over them.
    kept = [e for e, original in zip(events, found, strict=True) if e is original]
    have = rendered.load(db, kept)
    rendered.store_missing(db, kept, have)
    result = feed.render(
        events, name=title_for(filters, viewer.signed_in),
        description="Days of action, international days, summits, deadlines and partner"
                    " events of the network.",
        now=now, timezone=timezone, prerendered=have)
    return cache.put(key, result, now=now)


def served(db: Database, cache: FeedCache, viewer: Viewer, filters: Filters, *, now: datetime,
           timezone: str = "UTC", language: str = "en") -> Entry:
    """The cached feed for this viewer and these filters, rebuilt only after a change."""
    key = cache_key(db, viewer, filters, now=now, timezone=timezone, language=language)
    return cache.get(key) or build(db, cache, key, viewer, filters, now=now, timezone=timezone,
                                   language=language)


def export(db: Database, filters: Filters, *, now: datetime, public: bool = False) -> bytes:
    """The administrator's export: every matching event whatever its visibility or date
    (with ``public``: only public events), imported and past ones included."""
    from juntos.calendar.visibility import PUBLIC

    events = sources.events(db, PUBLIC if public else None, filters)
    return feed.render(events, name=title_for(filters, not public),
                       description="Export of the Juntos joint calendar.", now=now).body
