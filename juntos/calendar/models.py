"""What a calendar event is, and the rules its fields follow (RFC 5545 where it has one).

Times are kept the way clients need them (see docs/calendar.md): all-day dates for days of
action and deadlines, a named IANA zone for recurring timed events so they keep their local
hour across daylight-saving changes, and UTC for one-off timed events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from juntos.errors import ValidationError
from juntos.organisations.models import country_codes, timezones

CATEGORIES = ("day_of_action", "international_day", "summit", "meeting", "training",
              "deadline", "partner_event", "media_moment")
VISIBILITIES = ("public", "network", "organisation", "campaign")
STATUSES = ("confirmed", "tentative", "cancelled")
#: Fields whose change a client must see: raising SEQUENCE tells it to replace its copy.
SIGNIFICANT = ("title", "description", "location", "url", "start", "end", "all_day", "tzid",
               "rrule", "exdates", "rdates", "status", "category")
UID_DOMAIN = "juntos"
RRULE_RE = re.compile(r"^[A-Z]+=[A-Za-z0-9,+\-:]+(;[A-Z]+=[A-Za-z0-9,+\-:]+)*$")


@dataclass(frozen=True, kw_only=True)
class Event:
    """One event or one overridden occurrence of a series (``recurrence_id`` set).

    ``start``/``end`` are dates for all-day events (``end`` exclusive, as RFC 5545 wants) and
    naive wall-clock datetimes in ``tzid`` otherwise.
    """

    uid: str
    title: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    tzid: str = "UTC"
    description: str = ""
    location: str = ""
    url: str = ""
    rrule: str = ""
    exdates: tuple[date | datetime, ...] = ()
    rdates: tuple[date | datetime, ...] = ()
    recurrence_id: date | datetime | None = None
    category: str = "partner_event"
    campaign: str = ""  # a campaign slug; no foreign key until the campaigns area is connected
    organiser_id: int | None = None
    organiser_name: str = ""
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    visibility: str = "public"
    status: str = "confirmed"
    sequence: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    source_id: int | None = None
    source_label: str = ""
    #: Minutes before the start for a VALARM; ``None``: no alarm (the default, since Google
    #: ignores them and others nag). Reminders to post by hand ask for one.
    alarm_minutes: int | None = None
    id: int | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule or self.rdates)

    @property
    def removed(self) -> bool:
        """Cancelled or deleted: kept in feeds as STATUS:CANCELLED during the grace period."""
        return self.status == "cancelled" or self.deleted_at is not None

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tzid or "UTC")

    def aware(self, value: date | datetime) -> datetime:
        """A start, end or occurrence as an aware datetime (all-day: midnight UTC)."""
        if isinstance(value, datetime):
            return value.replace(tzinfo=self.zone())
        return datetime(value.year, value.month, value.day, tzinfo=UTC)

    def duration(self) -> timedelta:
        return self.end - self.start  # type: ignore[operator]

    def with_changes(self, **changes: object) -> Event:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Window:
    """The span a served feed or a page covers; ``None`` ends mean unbounded (exports)."""

    start: datetime | None = None
    end: datetime | None = None


def parse_moment(text: str, *, all_day: bool) -> date | datetime:
    """'2027-03-08' or '2027-03-08T10:00' (wall-clock) as stored and typed in forms."""
    text = text.strip()
    if all_day:
        return date.fromisoformat(text[:10])
    value = datetime.fromisoformat(text.replace("Z", ""))
    return value.replace(tzinfo=None, microsecond=0)


def moment_text(value: date | datetime) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


def rule_produces_start(event: Event) -> bool:
    """True when the RRULE generates DTSTART itself (ical.js drops a DTSTART it does not)."""
    if not event.rrule:
        return True
    start = event.start if isinstance(event.start, datetime) else datetime.combine(
        event.start, datetime.min.time())
    try:
        rule = rrulestr(_naive_rule(event.rrule), dtstart=start)
        first = rule.after(start, inc=True)
    except (ValueError, TypeError):
        return False
    return first == start


def _naive_rule(rule: str) -> str:
    """dateutil refuses an UNTIL in UTC with a naive DTSTART: compare wall-clock values instead."""
    return re.sub(r"(UNTIL=\d{8}(T\d{6})?)Z", r"\1", rule)


def validate(event: Event) -> Event:
    """The event, or ``ValidationError`` naming each wrong field; nothing reaches the store."""
    errors: dict[str, str] = {}
    if not event.title.strip():
        errors["title"] = "A title is needed."
    if not event.uid.strip():
        errors["uid"] = "A UID is needed."
    if event.category not in CATEGORIES:
        errors["category"] = f"Unknown category {event.category!r}; one of {', '.join(CATEGORIES)}."
    if event.visibility not in VISIBILITIES:
        errors["visibility"] = f"Unknown visibility {event.visibility!r}."
    if event.visibility == "organisation" and event.organiser_id is None:
        errors["visibility"] = "An event private to one organisation needs an organiser."
    if event.visibility == "campaign" and not event.campaign:
        errors["visibility"] = "An event private to a campaign's partners needs a campaign."
    if event.status not in STATUSES:
        errors["status"] = f"Unknown status {event.status!r}."
    if event.tzid and event.tzid not in timezones() and event.tzid != "UTC":
        errors["tzid"] = f"{event.tzid!r} is not an IANA time zone such as Africa/Maputo."
    bad = [c for c in event.countries if c not in country_codes()]
    if bad:
        errors["countries"] = f"Not ISO 3166 country codes: {', '.join(bad)}."
    if event.all_day != (not isinstance(event.start, datetime)):
        errors["start"] = "An all-day event has dates; a timed one has a time."
    elif type(event.start) is not type(event.end):
        errors["end"] = "The start and the end must both be dates or both have a time."
    elif event.end < event.start or (event.all_day and event.end == event.start):  # type: ignore[operator]
        errors["end"] = "The end comes before the start."
    if event.rrule:
        if not RRULE_RE.match(event.rrule) or "FREQ=" not in event.rrule:
            errors["rrule"] = f"{event.rrule!r} is not an RFC 5545 recurrence rule (FREQ=...)."
        else:
            try:
                rrulestr(_naive_rule(event.rrule), dtstart=datetime(2000, 1, 1))
            except (ValueError, TypeError) as e:
                errors["rrule"] = f"{event.rrule!r}: {e}"
    if errors:
        raise ValidationError(errors)
    return event


def make_uid(kind: str, key: str | int) -> str:
    """A stable UID from our own ids: never random, so rebuilding a feed never duplicates."""
    return f"{kind}-{key}@{UID_DOMAIN}"
