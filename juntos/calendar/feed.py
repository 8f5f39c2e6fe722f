"""Render events as an RFC 5545 feed that Google, Outlook, Apple and ical.js all read alike.

Builds are deterministic: UID, DTSTAMP and PRODID are passed explicitly (DTSTAMP is the
event's last change, never the build time), so identical data gives identical bytes and the
ETag (a hash of those bytes) only changes when something a client sees has changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, vDuration, vRecur
from icalendar import Event as VEvent

from juntos.calendar.models import Event, Window, rule_produces_start
from juntos.calendar.vtimezone import vtimezone_bytes

log = logging.getLogger("juntos.calendar")

PRODID = "-//Juntos//Joint campaign calendar//EN"
#: How often clients are asked to poll; Google polls on its own schedule (4-24 h) anyway.
REFRESH = timedelta(hours=6)
#: Google Calendar stops reading subscriptions at about 1 MB; warn the owner well before.
SIZE_WARNING = 800 * 1024
BACK = timedelta(days=90)
AHEAD = timedelta(days=2 * 365)
CANCELLED_PREFIX = "Cancelled: "

CATEGORY_NAMES = {
    "day_of_action": "Day of action", "international_day": "International day",
    "summit": "Summit or conference", "meeting": "Meeting", "training": "Training",
    "deadline": "Deadline", "partner_event": "Partner event", "media_moment": "Media moment",
}


def served_window(now: datetime) -> Window:
    """Served feeds cover 90 days back and two years ahead; recurring events stay whole."""
    return Window(now - BACK, now + AHEAD)


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    events: int

    @property
    def too_big(self) -> bool:
        return len(self.body) >= SIZE_WARNING


def render(events: Iterable[Event], *, name: str, description: str, now: datetime,
           timezone: str = "UTC", prerendered: Mapping[int, bytes] | None = None,
           base_url: str = "") -> Rendered:
    """The feed's exact bytes and their ETag. ``prerendered`` holds VEVENT bytes already
    rendered by ``vevent_bytes`` with this ``base_url`` (by event id); the rest are rendered
    here. ``base_url`` (the site's public address) makes each event's link to its page."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    # METHOD:PUBLISH would oblige every event to carry an ORGANIZER with an address, and
    # organisations have no contact address yet: RFC 5545 allows leaving METHOD out.
    cal.add("X-WR-CALNAME", name)
    cal.add("X-WR-CALDESC", description)
    cal.add("X-WR-TIMEZONE", timezone)
    refresh = vDuration(REFRESH)
    refresh.params["VALUE"] = "DURATION"
    cal.add("REFRESH-INTERVAL", refresh)
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    prerendered = prerendered or {}
    zones: dict[str, tuple[int, int]] = {}
    parts: list[bytes] = []
    for event in events:
        cached = prerendered.get(event.id) if event.id is not None else None
        part = cached if cached is not None else safe_vevent_bytes(event, base_url)
        tzid = _emitted_tzid(event)
        if part is None or (tzid and tzid not in zones and _zone_bytes(tzid, 2000, 2001) is None):
            continue  # one bad row never takes the feed down; logged where it failed
        parts.append(part)
        if tzid:
            # clamped: a zone's transitions are computed day by day, and an event dated in
            # year 1 or 9999 must cost no more than one dated today
            first = max(1970, min(event.start.year, now.year + 50))
            last = max(first, now.year + 3) if not event.recurrence_id else first
            have = zones.get(tzid, (first, last))
            zones[tzid] = (min(have[0], first), max(have[1], last))
    head = cal.to_ical()
    assert head.endswith(b"END:VCALENDAR\r\n")
    body = b"".join([head[: -len(b"END:VCALENDAR\r\n")],
                     *(_zone_bytes(tzid, *zones[tzid]) or b"" for tzid in sorted(zones)),
                     *parts, b"END:VCALENDAR\r\n"])
    return Rendered(body, etag_of(body), len(parts))


def _zone_bytes(tzid: str, first: int, last: int) -> bytes | None:
    try:
        return vtimezone_bytes(tzid, first, last)
    except Exception:  # a zone stored before the checks: its events are left out
        log.warning("Calendar feed: no VTIMEZONE for %r; its events are left out.", tzid)
        return None


def safe_vevent_bytes(event: Event, base_url: str = "") -> bytes | None:
    """``vevent_bytes``, or ``None`` (logged) for an event that cannot be written: a value
    stored before the input checks (a newline in a URL, an odd rule) must cost a feed that
    one event, never the whole feed."""
    try:
        return vevent_bytes(event, base_url)
    except Exception:
        log.warning("Calendar feed: event %s (%r) cannot be written and is left out.",
                    event.id, event.uid, exc_info=True)
        return None


def vevent_bytes(event: Event, base_url: str = "") -> bytes:
    """One VEVENT as bytes, rendered by icalendar (CRLF, folded at 75 octets)."""
    return to_vevent(event, base_url).to_ical()


def fingerprint(event: Event, base_url: str = "") -> str:
    """Everything a rendered VEVENT depends on beyond what raises SEQUENCE or LAST-MODIFIED."""
    return "|".join(str(x) for x in (event.sequence, event.updated_at, event.deleted_at,
                                     event.status, event.organiser_name, event.source_label,
                                     event.source_kind, event.created_at, event.recurrence_id,
                                     event.alarm_minutes, DESCRIBED, base_url))


def page_path(event: Event) -> str:
    """The event's page in Juntos: its own (stored events), else its campaign's."""
    if event.id is not None:
        return f"/calendar/events/{event.id}"
    if event.campaign:
        return f"/campaigns/{event.campaign}"
    return "/calendar"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _emitted_tzid(event: Event) -> str | None:
    """The TZID written for an event, or ``None`` (all-day dates, one-off times in UTC)."""
    if event.all_day or not (event.is_recurring or event.recurrence_id):
        return None
    # Never a recurring event anchored in UTC: with X-WR-TIMEZONE present, Google and
    # recurring-ical-events move it to local time and ical.js does not. Etc/UTC is a named
    # zone with a VTIMEZONE, read the same way everywhere.
    return "Etc/UTC" if event.tzid in ("", "UTC") else event.tzid


def _moment(event: Event, value: date | datetime, tzid: str | None) -> date | datetime:
    if not isinstance(value, datetime):
        return value
    aware = value.replace(tzinfo=ZoneInfo(event.tzid or "UTC"))
    if tzid is None:
        return aware.astimezone(UTC)
    return aware.astimezone(ZoneInfo(tzid))


def _add(v: VEvent, name: str, value: date | datetime, tzid: str | None) -> None:
    """Add a date-time property; Etc/UTC is written with its TZID (icalendar would write Z)."""
    if tzid == "Etc/UTC" and isinstance(value, datetime):
        v.add(name, value.replace(tzinfo=None), parameters={"TZID": tzid})
    else:
        v.add(name, value)


def to_vevent(event: Event, base_url: str = "") -> VEvent:
    """One event as a VEVENT. With ``base_url``, URL is the event's page in Juntos (Apple
    Calendar shows it; Google and Outlook do not, so the description ends with it too)."""
    tzid = _emitted_tzid(event)
    v = VEvent()
    v.add("UID", event.uid)
    changed = (event.deleted_at or event.updated_at or event.created_at
               or datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC)
    v.add("DTSTAMP", changed)
    if event.created_at:
        v.add("CREATED", event.created_at.astimezone(UTC))
    v.add("LAST-MODIFIED", changed)
    v.add("SEQUENCE", event.sequence)
    # Some clients ignore STATUS:CANCELLED in subscriptions: the title says it too.
    v.add("SUMMARY", (CANCELLED_PREFIX if event.removed else "") + event.title)
    _add_times(v, event, tzid)
    v.add("STATUS", "CANCELLED" if event.removed else event.status.upper())
    if event.all_day:
        v.add("TRANSP", "TRANSPARENT")  # a day of action does not make anyone busy
    if not event.url.isprintable():  # stored before the checks: the event is left out
        raise ValueError(f"control characters in the URL of {event.uid!r}")
    page = base_url.rstrip("/") + page_path(event) if base_url else event.url
    description = _description(event, page if base_url else "")
    for name, value in (("DESCRIPTION", description), ("LOCATION", event.location),
                        ("URL", page)):
        if value:
            v.add(name, value)
    v.add("CATEGORIES", [CATEGORY_NAMES.get(event.category, event.category)])
    if event.alarm_minutes is not None and not event.removed:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", event.title)
        alarm.add("TRIGGER", timedelta(minutes=-event.alarm_minutes))
        v.add_component(alarm)
    return v


def _add_times(v: VEvent, event: Event, tzid: str | None) -> None:
    """DTSTART, DTEND, RECURRENCE-ID and the recurrence: RRULE, RDATE, EXDATE."""
    start = _moment(event, event.start, tzid)
    _add(v, "DTSTART", start, tzid)
    _add(v, "DTEND", _moment(event, event.end, tzid), tzid)
    if event.recurrence_id is not None:
        _add(v, "RECURRENCE-ID", _moment(event, event.recurrence_id, tzid), tzid)
    if event.rrule:
        v.add("RRULE", vRecur.from_ical(event.rrule))
    rdates = [_moment(event, d, tzid) for d in event.rdates]
    if rdates or (event.rrule and not rule_produces_start(event)):
        # ical.js drops a DTSTART its RRULE does not produce, and an RDATE-only event must
        # list its DTSTART: both are fixed by repeating DTSTART among the RDATEs.
        if start not in rdates:
            rdates.insert(0, start)
        for extra in rdates:  # one per line: some parsers read only a line's first value
            _add(v, "RDATE", extra, tzid)
    for exdate in event.exdates:
        _add(v, "EXDATE", _moment(event, exdate, tzid), tzid)


#: Bumped when the words of descriptions change, so stored VEVENTs are rendered anew.
DESCRIBED = 2
#: Where events come from, in words (``source_kind``); the others name their source's label.
IMPORTED = {"upload": "Imported from the file {label}.",
            "subscription": "From the calendar {label}, which Juntos follows."}


def _description(event: Event, page: str = "") -> str:
    """The event's description, then in words who organises it, where it comes from, its
    own link and its page in Juntos."""
    notes = []
    if event.organiser_name:
        notes.append(f"Organised by {event.organiser_name}.")
    if event.source_kind in IMPORTED:
        notes.append(IMPORTED[event.source_kind].format(label=event.source_label))
    elif event.source_label and event.source_kind != "observances":
        notes.append(event.source_label)
    if page and event.url and event.url != page:
        notes.append(f"Link: {event.url}")
    if page:
        notes.append(f"In Juntos: {page}")
    if not notes:
        return event.description
    return (event.description + "\n\n" if event.description else "") + "\n".join(notes)
