"""The event form as plain strings, and its conversion to a validated ``Event``."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta

from juntos.calendar.models import Event, make_uid, moment_text, parse_moment, validate
from juntos.errors import Message, ValidationError
from juntos.organisations.models import split_tags
from juntos.validation import N_


@dataclass
class EventForm:
    title: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    all_day: str = ""
    start: str = ""
    end: str = ""
    tzid: str = "UTC"
    rrule: str = ""
    category: str = "partner_event"
    campaign: str = ""
    countries: str = ""
    themes: str = ""
    visibility: str = "network"
    status: str = "confirmed"

    @classmethod
    def from_form(cls, form: dict[str, str]) -> EventForm:
        return cls(**{f.name: form.get(f.name, "").strip() for f in fields(cls)})

    @classmethod
    def from_event(cls, event: Event) -> EventForm:
        def shown(value: object) -> str:
            text = moment_text(value)  # type: ignore[arg-type]
            return text[:16] if isinstance(value, datetime) else text

        return cls(title=event.title, description=event.description, location=event.location,
                   url=event.url, all_day="1" if event.all_day else "",
                   start=shown(event.start),
                   # forms show an all-day event's last day; RFC 5545 stores the day after
                   end=shown(event.end - timedelta(days=1) if event.all_day else event.end),
                   tzid=event.tzid,
                   rrule=event.rrule, category=event.category, campaign=event.campaign,
                   countries=", ".join(event.countries), themes=", ".join(event.themes),
                   visibility=event.visibility, status=event.status)

    def to_event(self, *, uid: str | None, organiser_id: int | None,
                 base: Event | None = None, campaign_id: int | None = None) -> Event:
        all_day = bool(self.all_day)
        errors: dict[str, str] = {}
        moments = {}
        for name in ("start", "end"):
            value = getattr(self, name) or (self.start if all_day and name == "end" else "")
            try:
                moments[name] = parse_moment(value, all_day=all_day)
            except ValueError:
                errors[name] = ("Give a date as YYYY-MM-DD." if all_day
                                else "Give a date and time as YYYY-MM-DDTHH:MM.")
        if errors:
            raise ValidationError(errors)
        if all_day:
            moments["end"] += timedelta(days=1)
        values = {k: v for k, v in asdict(self).items()
                  if k not in ("all_day", "start", "end", "countries", "themes")}
        event = Event(
            **values, uid=uid or make_uid("event", secrets.token_hex(10)), all_day=all_day,
            start=moments["start"], end=moments["end"],
            countries=tuple(c.upper() for c in split_tags(self.countries)),
            themes=tuple(split_tags(self.themes)), organiser_id=organiser_id,
            source_id=base.source_id if base else None,
            campaign_id=campaign_id if self.campaign else None,
        )
        if all_day:
            event = event.with_changes(tzid="UTC")
        return validate(event)


def campaign_id(campaign: str, *, allowed: dict[str, int], base: Event | None) -> int | None:
    """The id of the campaign an event joins (by its slug in the form): only one the user's
    organisation is an accepted partner of (``allowed``: slug to id). An edit may keep the
    campaign the event already had, and keeps its id (none for an event whose campaign was
    unknown when ids came in), so a campaign later created with that slug gains nothing."""
    if not campaign:
        return None
    if base is not None and base.campaign == campaign:
        return base.campaign_id
    if campaign in allowed:
        return allowed[campaign]
    raise ValidationError({"campaign": Message(
        N_("Choose one of the campaigns your organisation is a partner of."))})
