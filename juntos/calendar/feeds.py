"""Served feeds: what a viewer may see, filtered, windowed, rendered once and cached."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from juntos.calendar import feed, sources
from juntos.calendar.feedcache import Entry, FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import Viewer

NAME = "Juntos joint calendar"


def title_for(filters: Filters, private: bool) -> str:
    parts = [f"{k}: {v}" for k, v in filters.items().items()]
    base = NAME + (" (private)" if private else "")
    return base + (" – " + ", ".join(parts) if parts else "")


def served(db: Database, cache: FeedCache, viewer: Viewer, filters: Filters, *, now: datetime,
           timezone: str = "UTC", base_url: str = "") -> Entry:
    """The cached feed for this viewer and these filters, rebuilt only after a change."""
    key = (sources.version(db), viewer.key, filters.key, now.date().isoformat(), timezone,
           base_url)
    entry = cache.get(key)
    if entry is not None:
        return entry
    events = sources.events(db, viewer, filters, window=feed.served_window(now), now=now)
    rendered = feed.render(
        events, name=title_for(filters, viewer.signed_in),
        description="Days of action, international days, summits, deadlines and partner"
                    " events of the network.",
        now=now, timezone=timezone, base_url=base_url)
    return cache.put(key, rendered, now=now)


def export(db: Database, filters: Filters, *, now: datetime, public: bool = False) -> bytes:
    """The administrator's export: every matching event whatever its visibility or date
    (with ``public``: only public events), imported and past ones included."""
    from juntos.calendar.visibility import PUBLIC

    events = sources.events(db, PUBLIC if public else None, filters)
    return feed.render(events, name=title_for(filters, not public),
                       description="Export of the Juntos joint calendar.", now=now).body
