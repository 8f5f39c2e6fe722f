"""Read .ics files and feeds from Google, Outlook/Exchange, Apple, Thunderbird and Nextcloud.

All or nothing: the whole file is checked and converted before anything is stored, and a
problem is reported with what is wrong and where (line, UID) as an ``ImportRefused``, never a
traceback. Matching is by UID: a second import updates, and events gone upstream are marked
deleted so feeds cancel them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import x_wr_timezone
from icalendar import Calendar
from pydantic_core import PydanticCustomError

from juntos.calendar import store
from juntos.calendar.icsread import ImportRefused, parse, short
from juntos.calendar.importzones import as_kind, aware, wall, zone_of
from juntos.calendar.models import CATEGORIES, URL_SCHEMES, Event, validate
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import ValidationError
from juntos.organisations.models import timezones
from juntos.validation import one_line, web_url

IGNORED_COMPONENTS = ("VTODO", "VJOURNAL", "VFREEBUSY")
MAX_EVENTS = 20000


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
    floating times (the file's X-WR-TIMEZONE wins). Never a campaign: an imported event joins
    no campaign's timeline (its organisation may not be a partner), so it has no campaign id."""

    organiser_id: int | None = None
    visibility: str = "network"
    timezone: str = "UTC"
    category: str = "partner_event"


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
        raise ImportRefused(f"X-WR-TIMEZONE {wr!r} cannot be applied: {short(e)}") from e
    vevents = cal.walk("VEVENT")
    if len(vevents) > MAX_EVENTS:
        raise ImportRefused(f"The file has {len(vevents)} events; at most {MAX_EVENTS} at once.")
    masters: dict[str, Event] = {}
    overrides: list[Event] = []
    for index, component in enumerate(vevents, start=1):
        event = _read_event(component, index, defaults, default_zone, uid_lines, notes)
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
        try:
            fixed.append(_align(override, master))
        except (ValueError, TypeError, OverflowError, KeyError) as e:
            raise ImportRefused(f"{_where(uid_lines, override.uid)}: the override cannot be"
                                f" placed in its series ({type(e).__name__}).") from e
    return list(masters.values()) + fixed


def _read_event(component: Any, index: int, defaults: Defaults, default_zone: str,
                uid_lines: dict[str, int], notes: list[str]) -> Event:
    """``_event``, with any surprise in a file's shape (a property given twice, a value of
    the wrong kind) refused as a message naming the event, never raised as it is."""
    try:
        return _event(component, index, defaults, default_zone, uid_lines, notes)
    except ImportRefused:
        raise
    except Exception as e:
        uid = _text(component, "UID").strip() if not isinstance(component.get("UID"),
                                                                  list) else ""
        where = _where(uid_lines, uid) if uid else f"Event {index}"
        raise ImportRefused(f"{where}: the event cannot be read ({type(e).__name__}).") from e


def _align(override: Event, master: Event) -> Event:
    """An override in its series' terms: same kind of value and the series' zone."""
    if master.all_day or override.all_day:
        return override.with_changes(recurrence_id=as_kind(override.recurrence_id,
                                                            master.all_day))
    zone = master.tzid

    def move(value: Any) -> Any:
        return wall(aware(value, override.tzid), zone)

    return override.with_changes(start=move(override.start), end=move(override.end),
                                 recurrence_id=move(override.recurrence_id), tzid=zone)


def _event(component: Any, index: int, defaults: Defaults, default_zone: str,
           uid_lines: dict[str, int], notes: list[str]) -> Event:
    uid = _text(component, "UID").strip()
    summary = one_line(_text(component, "SUMMARY"))[:500]
    if not uid:
        raise ImportRefused(f"Event {index} ({summary or 'no title'!r}) has no UID, so later"
                            " updates could not be matched to it.")
    where = _where(uid_lines, uid)
    errors = list(getattr(component, "errors", []))
    if errors:
        prop, problem = errors[0] if isinstance(errors[0], tuple) else ("", errors[0])
        raise ImportRefused(f"{where}: {prop} is not valid: {problem}")
    span = _span(component, where, default_zone)
    event = Event(
        uid=uid, title=summary or "(no title)", start=span.start, end=span.end,
        all_day=span.all_day, tzid=span.zone, description=_text(component, "DESCRIPTION"),
        location=one_line(_text(component, "LOCATION"))[:500],
        url=_url(component, where, notes),
        rrule=_rrule(component), exdates=span.moments(component, "EXDATE"),
        rdates=span.moments(component, "RDATE"), recurrence_id=span.recurrence_id(component),
        category=_category(component, defaults.category), campaign="", campaign_id=None,
        organiser_id=defaults.organiser_id, visibility=defaults.visibility,
        status=_status(component), sequence=_sequence(component),
        updated_at=_modified(component),
    )
    try:
        return validate(event)
    except ValidationError as e:
        field_name, message = next(iter(e.errors.items()))
        raise ImportRefused(f"{where}: {field_name}: {message}") from e


@dataclass(frozen=True)
class _Span:
    """An event's start and end as stored (wall-clock in ``zone``, or dates)."""

    start: date | datetime
    end: date | datetime
    all_day: bool
    zone: str

    def convert(self, value: Any) -> Any:
        """A date-time of the component the way this event keeps its own."""
        return wall(as_kind(aware(value, self.zone), self.all_day), self.zone)

    def moments(self, component: Any, name: str) -> tuple[date | datetime, ...]:
        found = _values(component[name]) if component.get(name) else []
        return tuple(self.convert(d) for d in found)

    def recurrence_id(self, component: Any) -> date | datetime | None:
        prop = component.get("RECURRENCE-ID")
        return None if prop is None else self.convert(prop.dt)


def _span(component: Any, where: str, default_zone: str) -> _Span:
    start_prop = component.get("DTSTART")
    if start_prop is None:
        raise ImportRefused(f"{where}: the event has no start (DTSTART).")
    start = start_prop.dt
    all_day = not isinstance(start, datetime)
    zone = "UTC" if all_day else zone_of(start, default_zone)
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
    start_w, end_w = wall(start, zone), wall(aware(end, zone) if not all_day else end, zone)
    if all_day and end_w == start_w:
        end_w = start_w + timedelta(days=1)
    return _Span(start_w, end_w, all_day, zone)


def _url(component: Any, where: str, notes: list[str]) -> str:
    """The event's URL if it is a web or mail address; any other is left out, and said so
    (a feed's odd URL is no reason to refuse its events)."""
    url = _text(component, "URL").strip()
    try:
        if len(url) <= 2000:
            return web_url(url, schemes=URL_SCHEMES)
    except PydanticCustomError:
        pass
    notes.append(f"{where}: its URL is not a web or mail address and was left out.")
    return ""


def _rrule(component: Any) -> str:
    rrule = component.get("RRULE")
    if rrule is None:
        return ""
    if isinstance(rrule, list):
        rrule = rrule[0]
    return str(rrule.to_ical().decode())


def _status(component: Any) -> str:
    status = _text(component, "STATUS").lower()
    return status if status in ("confirmed", "tentative", "cancelled") else "confirmed"


def _sequence(component: Any) -> int:
    try:
        return max(int(_text(component, "SEQUENCE") or 0), 0)
    except ValueError:
        return 0


def _modified(component: Any) -> datetime | None:
    changed = component.get("LAST-MODIFIED") or component.get("DTSTAMP")
    modified = changed.dt if changed is not None and isinstance(changed.dt, datetime) else None
    return modified.astimezone(UTC) if modified and modified.tzinfo else None


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
                 report: ImportReport, mark_gone: bool, foreign: str = "refuse") -> None:
    """Save in the caller's transaction; counts what changed.

    An import changes only events it owns: those of this source or of an earlier import by the
    same organisation. A UID that belongs to anyone else's event (read from its public .ics)
    never takes that event over: ``foreign="refuse"`` refuses the whole import, naming the UID;
    ``foreign="rekey"`` (a subscription, which cannot be edited) keeps the event as the
    source's own under a UID of its own.
    """
    keep: set[str] = set()
    owner = _source_organisation(db, source_id)
    for event in events:
        if not _owns(db, event.uid, source_id=source_id, organisation_id=owner):
            if foreign != "rekey":
                raise ImportRefused(
                    f"UID {event.uid!r} belongs to an event of another organisation or"
                    " calendar, which an import cannot change. Give the event a UID of its own.")
            event = event.with_changes(uid=f"{event.uid}.source-{source_id}")
            if not _owns(db, event.uid, source_id=source_id, organisation_id=owner):
                raise ImportRefused(f"UID {event.uid!r} belongs to another calendar's event.")
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


def _source_organisation(db: Database, source_id: int) -> int | None:
    row = db.execute("select organisation_id from calendar_sources where id = ?",
                     [source_id]).fetchone()
    return row[0] if row else None


def _owns(db: Database, uid: str, *, source_id: int, organisation_id: int | None) -> bool:
    """Whether an import from this source may write the event with this UID: it is new, or
    it came from this source, or from another import of the same organisation. Events made
    on the site (no source) belong to their organiser and are never written by an import."""
    rows = db.execute(
        "select e.source_id, s.organisation_id from calendar_events e"
        " left join calendar_sources s on s.id = e.source_id where e.uid = ?", [uid]).fetchall()
    for existing_source, existing_org in rows:
        if existing_source == source_id:
            continue
        if existing_source is None or organisation_id is None or existing_org != organisation_id:
            return False
    return True


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

