"""Stored VEVENT bytes per event (``calendar_rendered``), checked by fingerprint.

Rendering thousands of events with icalendar takes seconds; rendering each once when it is
written, and joining stored bytes when a feed is built, keeps even a cold build cheap. A stale
or missing entry (an organisation renamed, an event written by bulk SQL) is rendered again at
build time and stored, so the bytes served are always those icalendar gives for the event.
"""

from __future__ import annotations

from collections.abc import Iterable

from juntos.calendar.feed import fingerprint, safe_vevent_bytes
from juntos.calendar.models import Event
from juntos.db import Database

CHUNK = 500


def load(db: Database, events: list[Event]) -> dict[int, bytes]:
    """The stored bytes of those events whose fingerprint still matches."""
    wanted = {e.id: fingerprint(e) for e in events if e.id is not None}
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


def store_missing(db: Database, events: Iterable[Event], have: dict[int, bytes]) -> int:
    """Render and store the events not in ``have``; returns how many."""
    rows = []
    for e in events:
        if e.id is None or e.id in have:
            continue
        ics = safe_vevent_bytes(e)  # None: left out of feeds (and logged), never stored
        if ics is not None:
            rows.append({"event_id": e.id, "fingerprint": fingerprint(e), "ics": ics})
    if rows:
        with db.atomic():
            db["calendar_rendered"].upsert_all(rows, pk="event_id")
    return len(rows)


def refresh(db: Database, event: Event) -> None:
    """Called when an event is written: render it now rather than at the next feed build."""
    store_missing(db, [event], {})
