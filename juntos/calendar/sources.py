"""Where calendar events come from: our own table plus providers other areas register.

Higher areas feed their dates here (campaign calls to action, milestones, due dates; reminders
of posts made by hand) without copying rows: each plugs a ``Source`` into ``SOURCES`` from its
manifest, a provider that yields ``Event`` records built from its own rows, with UIDs derived
from its own ids (``models.make_uid("campaign-milestone", id)``), and a version function so
cached feeds are rebuilt when its data changes::

    plugs=[Plug(sources.SOURCES, "campaigns", sources.Source(provide, version=version))]

The calendar never names the areas that plug in.

A provider is called with the database, the viewer, the filters and the window, and must only
yield what that viewer may see (``visibility.can_see`` helps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from juntos.area import ExtensionPoint
from juntos.calendar import store
from juntos.calendar.filters import Filters
from juntos.calendar.models import Event
from juntos.calendar.store import ALL_TIME, NO_FILTERS, Window
from juntos.calendar.visibility import Viewer, can_see
from juntos.db import Database

Provider = Callable[[Database, Viewer | None, Filters, Window], Iterable[Event]]
VersionOf = Callable[[Database], str | int]


@dataclass(frozen=True)
class Source:
    """Events another area provides, and the version that changes whenever they do."""

    provide: Provider
    version: VersionOf


#: Filled by higher areas' manifests (through the composition root).
SOURCES: ExtensionPoint[Source] = ExtensionPoint("calendar.sources")


def version(db: Database) -> str:
    """Everything a rendered feed depends on, as one string for the cache key."""
    parts = [str(store.version(db))]
    parts += [f"{name}={source.version(db)}" for name, source in SOURCES.items()]
    return ";".join(parts)


def events(db: Database, viewer: Viewer | None, filters: Filters = NO_FILTERS, *,
           window: Window = ALL_TIME, now: datetime | None = None,
           include_removed: bool = True) -> list[Event]:
    """Stored events and every provider's, for ``viewer`` (``None``: administrator)."""
    found = store.query(db, viewer, filters, window=window, now=now,
                        include_removed=include_removed)
    for source in SOURCES:
        for event in source.provide(db, viewer, filters, window):
            if viewer is None or can_see(viewer, event):
                found.append(event)
    found.sort(key=lambda e: (e.aware(e.start), e.uid, str(e.recurrence_id or "")))
    return found
