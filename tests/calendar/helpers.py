"""Helpers for calendar tests: events to save, and three independent parsers of feeds."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream

from juntos.calendar.models import Event

JS_DIR = Path(__file__).resolve().parent / "js"


def event(**values: Any) -> Event:
    base: dict[str, Any] = dict(uid="e1@test", title="Day of action", start=date(2027, 3, 8),
                                end=date(2027, 3, 9), all_day=True, visibility="public")
    base.update(values)
    return Event(**base)


def timed(**values: Any) -> Event:
    base: dict[str, Any] = dict(uid="t1@test", title="Meeting", start=datetime(2027, 3, 8, 10),
                                end=datetime(2027, 3, 8, 11), all_day=False,
                                tzid="Africa/Maputo", visibility="public")
    base.update(values)
    return Event(**base)


def parse_all(body: bytes) -> icalendar.Calendar:
    """Parse with icalendar, vobject (validating) and the strict ``ical``: all must accept."""
    text = body.decode("utf-8")
    cal = icalendar.Calendar.from_ical(text)
    vobject.readOne(text, validate=True)
    IcsCalendarStream.calendar_from_ics(text)
    return cal


def expand(body: bytes, start: tuple[int, ...], end: tuple[int, ...]) -> list[Any]:
    cal = icalendar.Calendar.from_ical(body)
    return list(recurring_ical_events.of(cal).between(start, end))


def icaljs_available() -> bool:
    return shutil.which("node") is not None and (JS_DIR / "node_modules" / "ical.js").exists()


def icaljs_occurrences(body: bytes, until_year: int = 2030) -> list[dict[str, str]]:
    """Occurrences as ical.js (Thunderbird, Nextcloud) computes them."""
    result = subprocess.run(["node", str(JS_DIR / "expand.mjs"), str(until_year)], input=body,
                            capture_output=True, check=True, cwd=JS_DIR, timeout=60)
    return json.loads(result.stdout)  # type: ignore[no-any-return]
