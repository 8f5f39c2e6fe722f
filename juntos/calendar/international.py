"""International days (shipped with Juntos) as yearly recurring all-day public events."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

from juntos.calendar import store
from juntos.calendar.models import Event, make_uid
from juntos.calendar.observances import Observance, load
from juntos.clock import iso
from juntos.db import Database

SOURCE_LABEL = "International days"
ANCHOR = datetime(2000, 1, 1)


#: Who proclaims a day, as the first word of ``proclaimed_by``: the UN and its agencies.
UN_BODIES = ("UNGA", "UNESCO", "WHO", "ILO", "FAO", "WMO", "UNAIDS", "UNDP", "UNEP", "UNICEF",
             "UICC (listed by UN)")


def describe(proclaimed_by: str) -> str:
    """An international day's description in words: "International day (UN observance),
    proclaimed by the UN General Assembly." rather than a file's name or an acronym."""
    who = proclaimed_by.strip()
    if not who:
        return "International day."
    if who.startswith(UN_BODIES):
        kind = "UN observance"
    elif "African Union" in who:
        kind = "African Union observance"
    elif "civil society" in who or "movement" in who:
        kind = "civil society observance"
    else:
        kind = "observance"
    if who.startswith("UNGA"):
        who = "the UN General Assembly" + who.removeprefix("UNGA")
    return f"International day ({kind}), proclaimed by {who}."


def to_event(observance: Observance, *, source_id: int | None = None) -> Event:
    """One yearly all-day series whose DTSTART is an instance of its own rule."""
    first = rrulestr(observance.rrule, dtstart=ANCHOR).after(ANCHOR, inc=True)
    assert first is not None
    start: date = first.date()
    description = describe(observance.proclaimed_by)
    return Event(uid=make_uid("observance", observance.key), title=observance.name,
                 start=start, end=start + timedelta(days=observance.length_days), all_day=True,
                 rrule=observance.rrule, category="international_day",
                 themes=observance.themes, visibility="public", description=description,
                 source_id=source_id)


def _source_id(db: Database, now: datetime) -> int:
    rows = list(db.query("select id from calendar_sources where kind = 'observances'"))
    if rows:
        return int(rows[0]["id"])
    return int(db["calendar_sources"].insert({
        "kind": "observances", "label": SOURCE_LABEL, "url": "", "organisation_id": None,
        "created_at": iso(now)}).last_pk)  # type: ignore[arg-type]


def load_observances(db: Database, *, now: datetime) -> int:
    """Create or update every international day (idempotent: UIDs come from the names)."""
    rows = load()
    with db.atomic():
        source_id = _source_id(db, now)
        for observance in rows:
            store.save(db, to_event(observance, source_id=source_id), now=now)
    return len(rows)
