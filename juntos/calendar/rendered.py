"""Stored VEVENT bytes per event (``calendar_rendered``), checked by fingerprint.

Rendering thousands of events with icalendar takes seconds; rendering each once (at the first
feed build after it is written) and joining stored bytes when a feed is built keeps builds
cheap. A stale
or missing entry (an organisation renamed, an event written by bulk SQL) is rendered again at
build time and stored, so the bytes served are always those icalendar gives for the event.
"""

from __future__ import annotations

from collections.abc import Iterable

from juntos.calendar.feed import fingerprint, safe_vevent_bytes
from juntos.calendar.models import Event
from juntos.db import Database

CHUNK = 500


def load(db: Database, events: list[Event], base_url: str = "") -> dict[int, bytes]:
    """The stored bytes of those events whose fingerprint (with ``base_url``, the address
    their links start with) still matches."""
    wanted = {e.id: fingerprint(e, base_url) for e in events if e.id is not None}
    found: dict[int, bytes] = {}
    ids = list(wanted)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"select event_id, fingerprint, ics from calendar_rendered"
                            f" where event_id in ({marks})", chunk):
            if wanted[row["event_id"]] == row["fingerprint"]:
                found[row["event_id"]] = bytes(row["ics"])
    return found


def store_missing(db: Database, events: Iterable[Event], have: dict[int, bytes],
                  base_url: str = "") -> int:
    """Render and store the events not in ``have``; returns how many."""
    rows = []
    for e in events:
        if e.id is None or e.id in have:
            continue
        ics = safe_vevent_bytes(e, base_url)  # None: left out of feeds (logged), never stored
        if ics is not None:
            rows.append({"event_id": e.id, "fingerprint": fingerprint(e, base_url), "ics": ics})
    if rows:
        with db.atomic():
            db["calendar_rendered"].upsert_all(rows, pk="event_id")
    return len(rows)


def refresh(db: Database, event: Event) -> None:
    """Called when an event is written: its stored bytes are stale. They are rendered at the
    next feed build, which knows the site's address its links start with."""
    if event.id is not None:
        db.execute("delete from calendar_rendered where event_id = ?", [event.id])
