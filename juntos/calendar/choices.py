"""The values the calendar's filters offer, kept per change of the calendar.

Four DISTINCT queries over every event cost more than a month's grid, and their answers
change only when an event does: they are kept per (calendar version, visibility clause), so
viewers who see the same events share them. Organisers are many in a large coalition (5,000):
the month page shows a short list found by a search (``organisers``), never all of them.
"""

from __future__ import annotations

import threading
from typing import Any

from cachetools import LRUCache

from juntos.calendar import sources, store
from juntos.calendar.visibility import Viewer, sql_clause
from juntos.db import Database

#: Organisers offered as a plain list up to this many; beyond, search then choose.
ORGANISER_LIST_MAX = 40


class ChoiceCache:
    """Facets by (version, viewer); one per app (``WEB.state``), thread-safe."""

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: LRUCache[tuple[Any, ...], dict[str, Any]] = LRUCache(maxsize=max_entries)
        self._lock = threading.Lock()

    def facets(self, db: Database, viewer: Viewer) -> dict[str, Any]:
        """``store.facets`` with the organisers as a count and, when few, the list."""
        # every source's version: campaigns with dates of their own are offered too
        key = (sources.version(db), viewer.key)
        with self._lock:
            found = self._entries.get(key)
        if found is None:
            found = store.facets(db, viewer)
            organisers = found["organisers"]
            found = found | {"key": key, "organiser_count": len(organisers),
                             "organisers": organisers[:ORGANISER_LIST_MAX]
                             if len(organisers) <= ORGANISER_LIST_MAX else []}
            with self._lock:
                self._entries[key] = found
        return found


def organisers(db: Database, viewer: Viewer, *, search: str = "", chosen: str = "",
               limit: int = ORGANISER_LIST_MAX) -> list[tuple[str, str]]:
    """Organisers (slug, name) of events ``viewer`` may see whose name or acronym contains
    ``search``, at most ``limit``; the ``chosen`` one (a slug) always among them."""
    clause, params = sql_clause(viewer)
    found: list[tuple[str, str]] = []
    if chosen:
        found += [(r["slug"], r["name"]) for r in db.query(
            "select slug, name from organisations where slug = ?", [chosen])]
    if search:
        like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found += [(r["slug"], r["name"]) for r in db.query(
            "select o.slug, o.name from organisations o where (o.name like ? escape '\\'"
            " or o.acronym like ? escape '\\') and exists (select 1 from calendar_events e"
            f" where e.organiser_id = o.id and e.deleted_at is null and {clause})"
            " order by o.name limit ?", [like, like, *params, limit])
            if r["slug"] != chosen]
    return found
