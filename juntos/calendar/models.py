"""What a calendar event is, and the rules its fields follow (RFC 5545 where it has one).

Times are kept the way clients need them (see docs/calendar.md): all-day dates for days of
action and deadlines, a named IANA zone for recurring timed events so they keep their local
hour across daylight-saving changes, and UTC for one-off timed events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from pydantic import ConfigDict, ValidationInfo, field_validator

from juntos import validation
from juntos.organisations.models import country_codes, timezones
from juntos.validation import N_, Input, fail

CATEGORIES = ("day_of_action", "international_day", "summit", "meeting", "training",
              "deadline", "partner_event", "media_moment")
VISIBILITIES = ("public", "network", "organisation", "campaign")
STATUSES = ("confirmed", "tentative", "cancelled")
#: Fields whose change a client must see: raising SEQUENCE tells it to replace its copy.
SIGNIFICANT = ("title", "description", "location", "url", "start", "end", "all_day", "tzid",
               "rrule", "exdates", "rdates", "status", "category")
UID_DOMAIN = "juntos"
RRULE_RE = re.compile(r"^[A-Z]+=[A-Za-z0-9,+\-:]+(;[A-Z]+=[A-Za-z0-9,+\-:]+)*$")
#: A series repeats at most this many times (COUNT); longer ones are refused where written.
MAX_COUNT = 5000
#: Frequencies below a day: refused where written, shown once if already stored.
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
URL_SCHEMES = ("http", "https", "mailto")
#: The years an event may fall in: any real plan, and far from ``datetime``'s limits.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def rule_parts(rule: str) -> dict[str, str]:
    """An RRULE's parts by name (``FREQ``, ``COUNT``...), upper-cased; odd parts left out."""
    parts = {}
    for part in rule.upper().split(";"):
        name, sep, value = part.partition("=")
        if sep:
            parts[name.strip()] = value.strip()
    return parts


def too_frequent(rule: str) -> bool:
    """True for a rule repeating more than once a day: a frequency below daily, or several
    hours, minutes or seconds a day (``FREQ=DAILY;BYMINUTE=0,1,2...``)."""
    if not rule:
        return False
    parts = rule_parts(rule)
    return parts.get("FREQ") in SUB_DAILY or any(
        "," in parts.get(name, "") for name in ("BYHOUR", "BYMINUTE", "BYSECOND"))


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
    campaign: str = ""  # the campaign's slug when written: for display and links only
    campaign_id: int | None = None  # what visibility and filters use (no foreign key: above us)
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
    #: The source's kind (``upload``, ``subscription``, ``observances``): how the feed says
    #: in words where the event comes from.
    source_kind: str = ""
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
        day = date.fromisoformat(text[:10])
        value: date | datetime = day
    else:
        value = datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None, microsecond=0)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return value


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


class EventRules(Input):
    """The rules an event's fields follow, checked by pydantic (``validate`` below): each
    failure names its field. Fields are declared in the order later checks read them."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=False,
                              arbitrary_types_allowed=True)

    title: str
    uid: str
    location: str
    url: str
    category: str
    organiser_id: int | None
    campaign: str
    visibility: str
    status: str
    tzid: str
    countries: tuple[str, ...]
    all_day: bool
    start: Any
    end: Any
    rrule: str

    @field_validator("title", "uid")
    @classmethod
    def _needed(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            raise fail(N_("A title is needed.") if info.field_name == "title"
                       else N_("A UID is needed."))
        if validation.has_control(value):
            raise fail(N_("Use a single line without control characters."))
        return value

    @field_validator("location")
    @classmethod
    def _location(cls, value: str) -> str:
        if validation.has_control(value):
            raise fail(N_("Use a single line without control characters."))
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value != value.strip():
            raise fail(N_("An address starts with http://, https:// or mailto:."))
        return validation.web_url(value, schemes=URL_SCHEMES)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise fail(N_("Unknown category %(value)s; one of %(choices)s."),
                       value=repr(value), choices=", ".join(CATEGORIES))
        return value

    @field_validator("visibility")
    @classmethod
    def _visibility(cls, value: str, info: ValidationInfo) -> str:
        if value not in VISIBILITIES:
            raise fail(N_("Unknown visibility %(value)s."), value=repr(value))
        if value == "organisation" and info.data.get("organiser_id") is None:
            raise fail(N_("An event private to one organisation needs an organiser."))
        if value == "campaign" and not info.data.get("campaign"):
            raise fail(N_("An event private to a campaign's partners needs a campaign."))
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in STATUSES:
            raise fail(N_("Unknown status %(value)s."), value=repr(value))
        return value

    @field_validator("tzid")
    @classmethod
    def _tzid(cls, value: str) -> str:
        if value and value not in timezones() and value != "UTC":
            raise fail(N_("%(value)s is not an IANA time zone such as Africa/Maputo."),
                       value=repr(value))
        return value

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in value if c not in country_codes()]
        if bad:
            raise fail(N_("Not ISO 3166 country codes: %(codes)s."), codes=", ".join(bad))
        return value

    @field_validator("start")
    @classmethod
    def _start(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("all_day") != (not isinstance(value, datetime)):
            raise fail(N_("An all-day event has dates; a timed one has a time."))
        _in_range(value)
        return value

    @field_validator("end")
    @classmethod
    def _end(cls, value: Any, info: ValidationInfo) -> Any:
        if "start" not in info.data:  # the start is wrong already: one message is enough
            return value
        start = info.data["start"]
        if type(start) is not type(value):
            raise fail(N_("The start and the end must both be dates or both have a time."))
        if value < start or (info.data.get("all_day") and value == start):
            raise fail(N_("The end comes before the start."))
        _in_range(value)
        return value

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str) -> str:
        if not value:
            return value
        if not RRULE_RE.match(value) or "FREQ=" not in value:
            raise fail(N_("%(value)s is not an RFC 5545 recurrence rule (FREQ=...)."),
                       value=repr(value))
        if too_frequent(value):
            raise fail(N_("%(value)s repeats more often than daily; a calendar event repeats"
                          " at most once a day."), value=repr(value))
        count = rule_parts(value).get("COUNT", "")
        if count and (not count.isdigit() or len(count) > 6 or int(count) > MAX_COUNT):
            raise fail(N_("%(value)s repeats too many times: at most %(n)s (COUNT)."),
                       value=repr(value), n=MAX_COUNT)
        try:
            rrulestr(_naive_rule(value), dtstart=datetime(2000, 1, 1))
        except (ValueError, TypeError, OverflowError) as e:
            raise fail(N_("%(value)s: %(problem)s"), value=repr(value), problem=str(e)) from e
        return value


def _in_range(value: Any) -> None:
    if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR + 1:
        raise fail(N_("Dates from %(first)s to %(last)s."), first=FIRST_YEAR, last=LAST_YEAR)


_CHECKED = tuple(EventRules.model_fields)


def validate(event: Event) -> Event:
    """The event, or ``ValidationError`` naming each wrong field; nothing reaches the store."""
    validation.validate(EventRules, {name: getattr(event, name) for name in _CHECKED})
    return event


def make_uid(kind: str, key: str | int) -> str:
    """A stable UID from our own ids: never random, so rebuilding a feed never duplicates."""
    return f"{kind}-{key}@{UID_DOMAIN}"
