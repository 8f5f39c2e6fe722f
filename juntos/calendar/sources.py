"""Where calendar events come from: our own table plus providers other areas register.

The campaigns area feeds its dates (calls to action, milestones, commitment due dates) here
without copying rows: it registers a provider that yields ``Event`` records built from its own
rows, with UIDs derived from its own ids (``models.make_uid("campaign-milestone", id)``), and a
version function so cached feeds are rebuilt when its data changes::

    from juntos.calendar import sources
    sources.register("campaigns", provide_campaign_dates, version=campaigns_version)

A provider is called with the database, the viewer, the filters and the window, and must only
yield what that viewer may see (``visibility.can_see`` helps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from juntos.calendar import store
from juntos.calendar.filters import Filters
from juntos.calendar.models import Event
from juntos.calendar.store import ALL_TIME, NO_FILTERS, Window
from juntos.calendar.visibility import Viewer, can_see

Provider = Callable[[Database, Viewer | None, Filters, Window], Iterable[Event]]
VersionOf = Callable[[Database], str | int]


@dataclass(frozen=True)
class Registered:
    provide: Provider
    version: VersionOf


_PROVIDERS: dict[str, Registered] = {}

#: Modules of other areas that connect to the calendar: each has ``register()``. Loaded on first
#: use, so pages, feeds and the CLI all see the same sources without import cycles.
LINK_MODULES = ["juntos.campaigns.calendar_link", "juntos.social.calendar_link"]
_loaded = False


def load_links() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for name in LINK_MODULES:
        importlib.import_module(name).register()


def register(name: str, provide: Provider, *, version: VersionOf) -> None:
    """Add a source of events; ``version(db)`` must change whenever its events change."""
    _PROVIDERS[name] = Registered(provide, version)


def unregister(name: str) -> None:
    _PROVIDERS.pop(name, None)


def version(db: Database) -> str:
    """Everything a rendered feed depends on, as one string for the cache key."""
    load_links()
    parts = [str(store.version(db))]
    parts += [f"{name}={reg.version(db)}" for name, reg in sorted(_PROVIDERS.items())]
    return ";".join(parts)


def events(db: Database, viewer: Viewer | None, filters: Filters = NO_FILTERS, *,
           window: Window = ALL_TIME, now: datetime | None = None,
           include_removed: bool = True) -> list[Event]:
    """Stored events and every provider's, for ``viewer`` (``None``: administrator)."""
    load_links()
    found = store.query(db, viewer, filters, window=window, now=now,
                        include_removed=include_removed)
    for reg in _PROVIDERS.values():
        for event in reg.provide(db, viewer, filters, window):
            if viewer is None or can_see(viewer, event):
                found.append(event)
    found.sort(key=lambda e: (e.aware(e.start), e.uid, str(e.recurrence_id or "")))
    return found
