"""Served feeds: what a viewer may see, filtered, windowed, rendered once and cached."""

from __future__ import annotations

from datetime import datetime

from juntos.calendar import feed, rendered, sources, titles
from juntos.calendar.feedcache import Entry, FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import Viewer, campaign_ids, campaign_titles
from juntos.db import Database

NAME = "Juntos joint calendar"


def title_for(db: Database, filters: Filters, viewer: Viewer | None) -> str:
    """The calendar's name in calendar programs (X-WR-CALNAME): what it holds, by title and
    name ("Juntos: Autumn 2027 – Decent Work (private)"), never by slug."""
    parts = []
    if filters.campaign:
        found = campaign_ids(db, [filters.campaign]).get(filters.campaign)
        titles = campaign_titles(db, [found], viewer) if found is not None else {}
        parts.append(titles.get(found, filters.campaign) if found is not None
                     else filters.campaign)
    if filters.org:
        rows = list(db.query("select name from organisations where slug = ?", [filters.org]))
        parts.append(rows[0]["name"] if rows else filters.org)
    if filters.country:
        parts.append(filters.country)
    if filters.category:
        parts.append(feed.CATEGORY_NAMES.get(filters.category, filters.category))
    if filters.theme:
        parts.append(filters.theme)
    base = ("Juntos: " + ", ".join(parts)) if parts else NAME
    return base + (" (private)" if viewer is None or viewer.signed_in else "")


def cache_key(reader: Database, viewer: Viewer, filters: Filters, *, now: datetime,
              timezone: str = "UTC", language: str = "en") -> tuple[str, ...]:
    """Everything the bytes depend on; cheap, so polling clients cost one small query."""
    return (sources.version(reader), viewer.key, filters.key, now.date().isoformat(), timezone,
            language)


def build(db: Database, cache: FeedCache, key: tuple[str, ...], viewer: Viewer,
          filters: Filters, *, now: datetime, timezone: str = "UTC",
          base_url: str = "", language: str = "en") -> Entry:
    found = sources.events(db, viewer, filters, window=feed.served_window(now), now=now)
    events = [titles.localised(e, language) for e in found]
    # Stored VEVENT bytes are the English titles': an event retitled for this reader is
    # rendered afresh (the feed cache keeps the result) and never stored over them.
    kept = [e for e, original in zip(events, found, strict=True) if e is original]
    have = rendered.load(db, kept, base_url)
    rendered.store_missing(db, kept, have, base_url)
    result = feed.render(
        events, name=title_for(db, filters, viewer), base_url=base_url,
        description="Days of action, international days, summits, deadlines and partner"
                    " events of the network.",
        now=now, timezone=timezone, prerendered=have)
    return cache.put(key, result, now=now)


def served(db: Database, cache: FeedCache, viewer: Viewer, filters: Filters, *, now: datetime,
           timezone: str = "UTC", base_url: str = "", language: str = "en") -> Entry:
    """The cached feed for this viewer and these filters, rebuilt only after a change."""
    key = cache_key(db, viewer, filters, now=now, timezone=timezone, language=language)
    return cache.get(key) or build(db, cache, key, viewer, filters, now=now, timezone=timezone,
                                   base_url=base_url, language=language)


def export(db: Database, filters: Filters, *, now: datetime, public: bool = False,
           base_url: str = "") -> bytes:
    """The administrator's export: every matching event whatever its visibility or date
    (with ``public``: only public events), imported and past ones included."""
    from juntos.calendar.visibility import PUBLIC

    viewer = PUBLIC if public else None
    events = sources.events(db, viewer, filters)
    return feed.render(events, name=title_for(db, filters, viewer),
                       description="Export of the Juntos joint calendar.", now=now,
                       base_url=base_url).body
