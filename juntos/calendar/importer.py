"""Read .ics files and feeds from Google, Outlook/Exchange, Apple, Thunderbird and Nextcloud.

All or nothing: the whole file is checked and converted before anything is stored, and a
problem is reported with what is wrong and where (line, UID) as an ``ImportRefused``, never a
traceback. Matching is by UID: a second import updates, and events gone upstream are marked
deleted so feeds cancel them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import x_wr_timezone
from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from juntos.calendar import store
from juntos.calendar.models import CATEGORIES, Event, validate
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import JuntosError, ValidationError
from juntos.organisations.models import timezones

IGNORED_COMPONENTS = ("VTODO", "VJOURNAL", "VFREEBUSY")
MAX_EVENTS = 20000


class ImportRefused(JuntosError):
    """The file was refused as a whole; ``message`` says what is wrong and where."""

    status_code = 400


@dataclass
class ImportReport:
    source_id: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Defaults:
    """What an import adds to every event: its organiser, visibility and the zone for
    floating times (the file's X-WR-TIMEZONE wins)."""

    organiser_id: int | None = None
    visibility: str = "network"
    timezone: str = "UTC"
    campaign: str = ""
    category: str = "partner_event"


# --- reading the bytes ------------------------------------------------------------------

_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(;[^:]*)?:")


def _lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\n", text), start=1):
        if "\r" in raw:
            raise ImportRefused(f"Line {number}: a stray carriage return inside the line.")
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


def _check_structure(text: str) -> int | None:
    """BEGIN/END balance, reported by line number. Returns the first line that is not shaped
    like a content line (icalendar tolerates some such lines, so it decides), or ``None``."""
    stack: list[tuple[str, int]] = []
    seen_calendar = False
    odd: int | None = None
    for number, line in _lines(text):
        if not _CONTENT_LINE.match(line):
            if not stack:
                raise ImportRefused(f"Line {number}: {line[:60]!r} is not iCalendar content.")
            odd = odd or number
            continue
        name, _, value = line.partition(":")
        name = name.split(";")[0].upper()
        value = value.strip().upper()
        if name == "BEGIN":
            if value == "VCALENDAR" and stack:
                raise ImportRefused(f"Line {number}: a calendar starts inside {stack[-1][0]}.")
            if not stack and value != "VCALENDAR":
                raise ImportRefused(f"Line {number}: {value} outside a VCALENDAR (this is not"
                                    " an iCalendar file).")
            seen_calendar = seen_calendar or value == "VCALENDAR"
            stack.append((value, number))
        elif name == "END":
            if not stack:
                raise ImportRefused(f"Line {number}: END:{value} without a BEGIN.")
            if stack[-1][0] != value:
                begun, at = stack[-1]
                raise ImportRefused(f"Line {number}: END:{value}, but {begun} opened on line"
                                    f" {at} was never closed.")
            stack.pop()
        elif not stack:
            raise ImportRefused(f"Line {number}: {line[:60]!r} outside a VCALENDAR.")
    if stack:
        begun, at = stack[-1]
        raise ImportRefused(f"{begun} opened on line {at} is never closed.")
    if not seen_calendar:
        raise ImportRefused("The file holds no VCALENDAR.")
    return odd


def parse(data: bytes) -> Calendar:
    """One VCALENDAR from ``data``, or ``ImportRefused`` naming the problem."""
    if not data.strip():
        raise ImportRefused("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportRefused(f"Line {line}: the file is not UTF-8 text (byte {e.start}).") from e
    odd = _check_structure(text)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as e:  # icalendar raises many kinds; each becomes a message, never a trace
        where = f"Line {odd}: " if odd else ""
        raise ImportRefused(f"{where}The calendar cannot be read: {_short(e)}") from e
    if len(calendars) != 1:
        raise ImportRefused(f"The file holds {len(calendars)} calendars; import them one by one.")
    return calendars[0]


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) < 200 else text[:200] + "…"


# --- time zones -----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def iana_for(tzid: str, year: int = 2020, january: float | None = None,
             july: float | None = None) -> str | None:
    """An IANA zone for a TZID: itself, Outlook's Windows name, or a zone with the same
    offsets (``january``/``july`` in hours) for names only Outlook knows."""
    tzid = tzid.strip().strip('"')
    if tzid in timezones():
        return tzid
    if tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    if january is None or july is None:
        return None
    for candidate in _CANDIDATES:
        zone = ZoneInfo(candidate)
        jan = datetime(year, 1, 15, 12, tzinfo=zone).utcoffset()
        jul = datetime(year, 7, 15, 12, tzinfo=zone).utcoffset()
        if (jan is not None and jul is not None and jan.total_seconds() / 3600 == january
                and jul.total_seconds() / 3600 == july):
            return candidate
    return None


# Zones tried, in order, when only offsets identify an Outlook-only zone name.
_CANDIDATES = sorted(set(WINDOWS_TO_OLSON.values()) & set(timezones()))


def _zone_of(value: datetime, default: str) -> str:
    tz = value.tzinfo
    if tz is None:
        return default
    if tz is UTC or getattr(tz, "key", None) in ("UTC", "Etc/UTC"):
        return "UTC"
    key = getattr(tz, "key", None)
    if key and key in timezones():
        return key
    name = _tzname_param(tz)
    jan = datetime(value.year, 1, 15, 12, tzinfo=tz).utcoffset()
    jul = datetime(value.year, 7, 15, 12, tzinfo=tz).utcoffset()
    found = iana_for(name, value.year, jan.total_seconds() / 3600 if jan is not None else None,
                     jul.total_seconds() / 3600 if jul is not None else None)
    if found:
        return found
    offset = value.utcoffset() or timedelta(0)
    hours = int(offset.total_seconds() // 3600)
    if offset.total_seconds() % 3600 == 0 and abs(hours) <= 12:
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # POSIX sign is inverted
    return "UTC"


def _tzname_param(tz: tzinfo) -> str:
    text = repr(tz)
    match = re.search(r"'(.*)'", text)
    return (match.group(1) if match else str(tz)).replace("\\", "")


def _wall(value: date | datetime, zone: str) -> date | datetime:
    """A value as wall-clock time in ``zone`` (naive), or a date unchanged."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


# --- components to events -------------------------------------------------------------------


def _where(text_lines: dict[str, int], uid: str) -> str:
    line = text_lines.get(uid)
    return f"line {line}, UID {uid!r}" if line else f"UID {uid!r}"


def _values(prop: Any) -> list[Any]:
    """The values of EXDATE/RDATE properties, whichever way they were written."""
    out: list[Any] = []
    for item in prop if isinstance(prop, list) else [prop]:
        for d in item.dts:
            value = d.dt
            out.append(value[0] if isinstance(value, tuple) else value)
    return out


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value)


def _category(component: Any, default: str) -> str:
    raw = component.get("CATEGORIES")
    names: list[str] = []
    for item in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        names += [str(c) for c in getattr(item, "cats", [])]
    for name in names:
        key = name.strip().lower().replace(" ", "_")
        if key in CATEGORIES:
            return key
    return default


def convert(cal: Calendar, defaults: Defaults, *, uid_lines: dict[str, int] | None = None,
            notes: list[str] | None = None) -> list[Event]:
    """Events (series and overrides) of a parsed calendar, or ``ImportRefused``."""
    uid_lines = uid_lines or {}
    notes = notes if notes is not None else []
    for name in IGNORED_COMPONENTS:
        found = len(cal.walk(name))
        if found:
            notes.append(f"{found} {name} component(s) ignored: the calendar holds events only.")
    wr = _text(cal, "X-WR-TIMEZONE").strip()
    default_zone = wr if wr in timezones() else defaults.timezone
    try:
        cal = x_wr_timezone.to_standard(cal)
    except Exception as e:
        raise ImportRefused(f"X-WR-TIMEZONE {wr!r} cannot be applied: {_short(e)}") from e
    vevents = cal.walk("VEVENT")
    if len(vevents) > MAX_EVENTS:
        raise ImportRefused(f"The file has {len(vevents)} events; at most {MAX_EVENTS} at once.")
    masters: dict[str, Event] = {}
    overrides: list[Event] = []
    for index, component in enumerate(vevents, start=1):
        event = _event(component, index, defaults, default_zone, uid_lines)
        if event.recurrence_id is not None:
            overrides.append(event)
        elif event.uid in masters and masters[event.uid].sequence > event.sequence:
            continue  # the same UID twice: the higher SEQUENCE is the newer copy
        else:
            masters[event.uid] = event
    fixed = []
    for override in overrides:
        master = masters.get(override.uid)
        if master is None:
            raise ImportRefused(f"{_where(uid_lines, override.uid)}: an override of one"
                                " occurrence (RECURRENCE-ID) whose series is not in the file.")
        fixed.append(_align(override, master))
    return list(masters.values()) + fixed


def _align(override: Event, master: Event) -> Event:
    """An override in its series' terms: same kind of value and the series' zone."""
    if master.all_day or override.all_day:
        return override.with_changes(recurrence_id=_as_kind(override.recurrence_id,
                                                            master.all_day))
    zone = master.tzid

    def move(value: Any) -> Any:
        return _wall(_aware(value, override.tzid), zone)

    return override.with_changes(start=move(override.start), end=move(override.end),
                                 recurrence_id=move(override.recurrence_id), tzid=zone)


def _as_kind(value: Any, all_day: bool) -> Any:
    if all_day and isinstance(value, datetime):
        return value.date()
    return value


def _aware(value: Any, zone: str) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value


def _event(component: Any, index: int, defaults: Defaults, default_zone: str,
           uid_lines: dict[str, int]) -> Event:
    uid = _text(component, "UID").strip()
    summary = _text(component, "SUMMARY").strip()
    if not uid:
        raise ImportRefused(f"Event {index} ({summary or 'no title'!r}) has no UID, so later"
                            " updates could not be matched to it.")
    where = _where(uid_lines, uid)
    errors = [e for e in getattr(component, "errors", [])]
    if errors:
        prop, problem = errors[0] if isinstance(errors[0], tuple) else ("", errors[0])
        raise ImportRefused(f"{where}: {prop} is not valid: {problem}")
    start_prop = component.get("DTSTART")
    if start_prop is None:
        raise ImportRefused(f"{where}: the event has no start (DTSTART).")
    start = start_prop.dt
    all_day = not isinstance(start, datetime)
    zone = "UTC" if all_day else _zone_of(start, default_zone)
    if component.get("DTEND") is not None:
        end = component["DTEND"].dt
    elif component.get("DURATION") is not None:
        end = start + component["DURATION"].dt
    else:
        end = start + timedelta(days=1) if all_day else start
    if all_day and isinstance(end, datetime):
        end = end.date()
    if not all_day and not isinstance(end, datetime):
        end = datetime.combine(end, datetime.min.time())
    start_w, end_w = _wall(start, zone), _wall(_aware(end, zone) if not all_day else end, zone)
    if all_day and end_w == start_w:
        end_w = start_w + timedelta(days=1)  # type: ignore[operator]
    rrule = component.get("RRULE")
    rrule_text = ""
    if rrule is not None:
        if isinstance(rrule, list):
            rrule = rrule[0]
        rrule_text = rrule.to_ical().decode()
    exdates = [_wall(_as_kind(_aware(d, zone), all_day), zone)
               for d in (_values(component["EXDATE"]) if component.get("EXDATE") else [])]
    rdates = [_wall(_as_kind(_aware(d, zone), all_day), zone)
              for d in (_values(component["RDATE"]) if component.get("RDATE") else [])]
    recurrence_id = None
    if component.get("RECURRENCE-ID") is not None:
        recurrence_id = _wall(_as_kind(_aware(component["RECURRENCE-ID"].dt, zone), all_day),
                              zone)
    status = _text(component, "STATUS").lower()
    status = status if status in ("confirmed", "tentative", "cancelled") else "confirmed"
    try:
        sequence = int(_text(component, "SEQUENCE") or 0)
    except ValueError:
        sequence = 0
    changed = component.get("LAST-MODIFIED") or component.get("DTSTAMP")
    modified = changed.dt if changed is not None and isinstance(changed.dt, datetime) else None
    event = Event(
        uid=uid, title=summary or "(no title)", start=start_w, end=end_w, all_day=all_day,
        tzid=zone, description=_text(component, "DESCRIPTION"),
        location=_text(component, "LOCATION"), url=_text(component, "URL")[:500],
        rrule=rrule_text, exdates=tuple(exdates), rdates=tuple(rdates),
        recurrence_id=recurrence_id, category=_category(component, defaults.category),
        campaign=defaults.campaign, organiser_id=defaults.organiser_id,
        visibility=defaults.visibility, status=status, sequence=max(sequence, 0),
        updated_at=modified.astimezone(UTC) if modified and modified.tzinfo else None,
    )
    try:
        return validate(event)
    except ValidationError as e:
        field_name, message = next(iter(e.errors.items()))
        raise ImportRefused(f"{where}: {field_name}: {message}") from e


def _uid_lines(data: bytes) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if line.upper().startswith("UID"):
            found.setdefault(line.partition(":")[2].strip(), number)
    return found


# --- storing ----------------------------------------------------------------------------------


def _source(db: Database, *, kind: str, label: str, url: str = "",
            organisation_id: int | None, now: datetime) -> int:
    return int(db["calendar_sources"].insert({
        "kind": kind, "label": label, "url": url, "organisation_id": organisation_id,
        "created_at": iso(now), "last_synced_at": None, "last_error": None, "etag": None,
    }).last_pk)  # type: ignore[arg-type]


def store_events(db: Database, events: Iterable[Event], *, source_id: int, now: datetime,
                 report: ImportReport, mark_gone: bool) -> None:
    """Save in the caller's transaction; counts what changed."""
    keep: set[str] = set()
    for event in events:
        keep.add(event.uid)
        key = (event.uid, event.recurrence_id)
        before = _version_of(db, *key)
        saved = store.save(db, event.with_changes(source_id=source_id), now=now)
        if before is None:
            report.created += 1
        elif before != (saved.sequence, iso(saved.updated_at) if saved.updated_at else None):
            report.updated += 1
        else:
            report.unchanged += 1
    if mark_gone:
        report.gone = store.mark_gone(db, source_id, keep, now=now)


def _version_of(db: Database, uid: str, recurrence_id: Any) -> tuple[int, str | None] | None:
    from juntos.calendar.models import moment_text

    rows = list(db.query(
        "select sequence, updated_at from calendar_events where uid = ? and recurrence_id = ?",
        [uid, moment_text(recurrence_id) if recurrence_id else ""]))
    return (rows[0]["sequence"], rows[0]["updated_at"]) if rows else None


def import_bytes(db: Database, data: bytes, *, label: str, defaults: Defaults,
                 now: datetime) -> ImportReport:
    """Import an uploaded file as a new source: everything or, on any problem, nothing."""
    cal = parse(data)
    notes: list[str] = []
    events = convert(cal, defaults, uid_lines=_uid_lines(data), notes=notes)
    with db.atomic():
        source_id = _source(db, kind="upload", label=label, organisation_id=defaults.organiser_id,
                            now=now)
        report = ImportReport(source_id, notes=notes)
        store_events(db, events, source_id=source_id, now=now, report=report, mark_gone=False)
        db["calendar_sources"].update(source_id, {"last_synced_at": iso(now)})
    return report

