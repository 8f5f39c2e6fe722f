"""What a social account and a post are, and the rules their fields and states follow.

Plain data and rules only: no database, no HTTP.
"""

from __future__ import annotations

import re
from typing import Self

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from juntos.errors import Conflict
from juntos.organisations.models import language_codes, timezones
from juntos.social import platforms
from juntos.validation import N_, Input, fail, validate

# Account states. "not connected" until the dispatcher issue stores credentials; manual accounts
# never connect: their posts become calendar reminders.
NOT_CONNECTED, CONNECTED, EXPIRED, MANUAL_STATE = "not_connected", "connected", "expired", "manual"

# Post states. The dispatcher (next issue) owns sending / sent / failed / needs_check: it claims
# a post with one compare-and-set UPDATE ... WHERE status = 'scheduled', so two workers can never
# both move the same post to "sending".
DRAFT, SUBMITTED, APPROVED, SCHEDULED = "draft", "submitted", "approved", "scheduled"
SENDING, SENT, FAILED = "sending", "sent", "failed"
NEEDS_CHECK, CANCELLED = "needs_check", "cancelled"
MISSED = "missed"  # too late to send (the dispatcher's window): a day-late post does harm
STATUSES = (DRAFT, SUBMITTED, APPROVED, SCHEDULED, SENDING, SENT, FAILED, NEEDS_CHECK, CANCELLED,
            MISSED)

# Which state may follow which. Only approved posts are ever scheduled; sending and what follows
# belong to the dispatcher.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, CANCELLED}),
    SUBMITTED: frozenset({APPROVED, DRAFT, CANCELLED}),  # DRAFT = sent back with a comment
    # SENDING straight from APPROVED: approved after its time had come (sent late, in the window)
    # NEEDS_CHECK from APPROVED/SCHEDULED: a restored backup's due posts (the old database may
    # have sent them after the backup was taken)
    # SENT from APPROVED/SCHEDULED/MISSED: posted by hand, a person says so (by_hand.mark_done)
    APPROVED: frozenset({SCHEDULED, DRAFT, CANCELLED, SENDING, MISSED, FAILED, NEEDS_CHECK,
                         SENT}),
    SCHEDULED: frozenset({SENDING, DRAFT, CANCELLED, MISSED, FAILED, NEEDS_CHECK, SENT}),
    SENDING: frozenset({SENT, FAILED, NEEDS_CHECK, SCHEDULED, MISSED}),
    NEEDS_CHECK: frozenset({SENT, SCHEDULED, CANCELLED, SENDING, MISSED}),
    MISSED: frozenset({CANCELLED, SENT}),
    FAILED: frozenset({DRAFT, CANCELLED}),
    SENT: frozenset(),
    CANCELLED: frozenset(),
}
# States in which the text may still be edited (editing approved/scheduled returns it to draft).
EDITABLE = frozenset({DRAFT, SUBMITTED, APPROVED, SCHEDULED, FAILED})

HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_.-]{1,100}$")
INSTANCE_RE = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}/?$")


class TransitionRefused(Conflict):
    """A post asked to move to a state that may not follow its current one."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"A post that is {current} cannot become {wanted}.")
        self.current = current
        self.wanted = wanted


def new_id(rowid: object) -> int:
    """The id SQLite gave an inserted row (sqlite-utils types it as optional)."""
    if not isinstance(rowid, int):
        raise RuntimeError("SQLite gave no id for an inserted row")
    return rowid


def check_transition(current: str, wanted: str) -> None:
    if wanted not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(current, wanted)


class SocialInput(Input):
    """An input of the social area, validated by pydantic (``juntos.validation``)."""

    model_config = ConfigDict(validate_default=True)

    @classmethod
    def validated(cls, **values: object) -> Self:
        """Clean and check every field; raise one ValidationError naming each bad field."""
        return validate(cls, values)


def _platform(info: ValidationInfo) -> platforms.Platform | None:
    """The platform chosen in the same input, if it was a known one."""
    chosen = info.data.get("platform")
    return platforms.get(chosen) if chosen in platforms.IDS else None


class AccountInput(SocialInput):
    """A social account as submitted by a form, the CLI or the demo."""

    platform: str
    handle: str = ""
    instance_url: str = ""
    timezone: str = ""
    languages: list[str] = Field(default_factory=list)
    label: str = ""

    @field_validator("platform")
    @classmethod
    def _known(cls, value: str) -> str:
        value = value.lower()
        if value not in platforms.IDS:
            raise fail(N_("Choose one of: %(choices)s."), choices=", ".join(platforms.IDS))
        return value

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str, info: ValidationInfo) -> str:
        platform = _platform(info)
        if platform is not None and platform.needs_handle and not value:
            raise fail(N_("A handle is required for this platform."))
        if value and not HANDLE_RE.match(value):
            raise fail(N_("A handle has letters, digits, dots, dashes or underscores."))
        value = value.lstrip("@")
        return value.lower() if platform is not None and platform.handle_lowercase else value

    @field_validator("instance_url")
    @classmethod
    def _instance(cls, value: str, info: ValidationInfo) -> str:
        value = value.lower()
        platform = _platform(info)
        if platform is not None and platform.instance_example:
            names = {"platform": platform.label, "example": platform.instance_example}
            if not value:
                raise fail(N_("A %(platform)s account needs its instance, e.g. %(example)s."),
                           **names)
            if not INSTANCE_RE.match(value):
                raise fail(N_("The instance is an https:// address, e.g. %(example)s."), **names)
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value and value not in timezones():
            raise fail(N_("Unknown time zone %(zone)r."), zone=value)
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        codes = [c.strip().lower() for c in value if c.strip()]
        unknown = [c for c in codes if c not in language_codes()]
        if unknown:
            raise fail(N_("Unknown language code(s): %(codes)s."), codes=", ".join(unknown))
        return list(dict.fromkeys(codes))

    @field_validator("label")
    @classmethod
    def _label(cls, value: str, info: ValidationInfo) -> str:
        platform = _platform(info)
        if platform is not None and platform.needs_label and not (info.data.get("handle")
                                                                   or value):
            raise fail(N_("Say where this organisation posts by hand (e.g. Facebook page)."))
        return " ".join(value.split())[:120]
