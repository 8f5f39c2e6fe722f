"""What a campaign and its parts are, and the rules their fields follow.

Inputs are pydantic models (``juntos.validation``) built through ``validated(...)``, which
collects every problem and raises one ``ValidationError`` naming each field, so bad data never
reaches the database. Rules that need the database (a slug already taken, an unknown
organisation, a second accountable organisation) live in ``store``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from juntos.organisations.models import country_codes
from juntos.validation import (
    N_,
    FormInput,
    Slug,
    fail,
    slugify,
    split_list,
)

STATUSES = ("idea", "planning", "active", "finished", "archived")
VISIBILITIES = ("public", "network", "private")
ROLES = ("lead", "co-lead", "partner", "supporter")
LEAD_ROLES = frozenset({"lead", "co-lead"})
# A participation's answer: invited (waiting), accepted (takes part), declined, left.
INVITED, ACCEPTED, DECLINED, LEFT = "invited", "accepted", "declined", "left"
PARTICIPATION_STATUSES = (INVITED, ACCEPTED, DECLINED, LEFT)
RACI = ("A", "R", "C", "I")
COMMITMENT_STATUSES = ("open", "in_progress", "done", "dropped")
OPEN_COMMITMENT_STATUSES = frozenset({"open", "in_progress"})

DEFAULT_WORKSTREAMS = (
    "research", "messaging", "social media", "media relations", "mobilisation",
    "lobbying", "fundraising", "monitoring and evaluation",
)

MAX_TITLE = 200
MAX_TEXT = 20_000


def _is_id(text: str) -> bool:
    """A row id as submitted: digits that fit SQLite's 64-bit integers."""
    return text.isdigit() and len(text) < 19


def _text(value: Any) -> str:
    return str(value or "").strip()


def parse_day(value: object, *, required: bool = False) -> str:
    """``YYYY-MM-DD`` or empty; inside a validator, a bad value fails with our message."""
    text = _text(value)
    if not text:
        if required:
            raise fail(N_("A date is required."))
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise fail(N_("%(value)s is not a date; use YYYY-MM-DD, e.g. 2026-10-01."),
                   value=repr(text)) from None


def _title(value: Any) -> str:
    text = _text(value)
    if not text:
        raise fail(N_("A title is required."))
    if len(text) > MAX_TITLE:
        raise fail(N_("A title is at most %(n)s characters."), n=MAX_TITLE)
    return text


def _one_of(options: tuple[str, ...], default: str) -> BeforeValidator:
    def check(value: Any) -> str:
        text = _text(value) or default
        if text not in options:
            raise fail(N_("%(value)s is not one of: %(options)s."), value=repr(text),
                       options=", ".join(options))
        return text
    return BeforeValidator(check)


def _row_id(message: str, *, required: bool) -> BeforeValidator:
    def check(value: Any) -> int | None:
        text = _text(value)
        if not text and not required:
            return None
        if not _is_id(text):
            raise fail(message)
        return int(text)
    return BeforeValidator(check)


def _countries(value: Any) -> list[str]:
    codes = [c.upper() for c in split_list(value)]
    unknown = [c for c in codes if c not in country_codes()]
    if unknown:
        raise fail(N_("Not ISO 3166 two-letter country codes: %(codes)s."),
                   codes=", ".join(unknown))
    return codes


def _observance_key(value: Any) -> str:
    key = _text(value)
    if key and not re.fullmatch(r"[a-z0-9-]{1,120}", key):
        raise fail(N_("Not an international day's key."))
    return key


def _not_before(start: str, end: str) -> str:
    if start and end and end < start:
        raise fail(N_("The end date is before the start date."))
    return end


Title = Annotated[str, BeforeValidator(_title)]
LongText = Annotated[str, BeforeValidator(_text), Field(max_length=MAX_TEXT)]
Day = Annotated[str, BeforeValidator(parse_day)]
RequiredDay = Annotated[str, BeforeValidator(lambda v: parse_day(v, required=True))]


class CampaignInput(FormInput):
    """A campaign as submitted by a form, the CLI or the demo."""

    title: Title
    slug: Slug = Field("", validate_default=True)
    concept: LongText = ""
    objectives: LongText = ""
    themes: Annotated[list[str], BeforeValidator(split_list)] = []
    countries: Annotated[list[str], BeforeValidator(_countries)] = []
    regions: str = ""
    start_date: Day = ""
    end_date: Day = ""
    status: Annotated[str, _one_of(STATUSES, "idea")] = "idea"
    visibility: Annotated[str, _one_of(VISIBILITIES, "network")] = "network"

    @field_validator("slug")
    @classmethod
    def _slug_from_title(cls, slug: str, info: ValidationInfo) -> str:
        return slug or slugify(info.data.get("title", ""))

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: str, info: ValidationInfo) -> str:
        return _not_before(info.data.get("start_date", ""), end)


class CommitmentInput(FormInput):
    """What an organisation promised, for which workstream, by when."""

    organisation_id: Annotated[int, _row_id(
        N_("Choose the organisation that makes this commitment."), required=True)]
    title: Title
    workstream_id: Annotated[int | None, _row_id(
        N_("Choose a workstream of this campaign."), required=False)] = None
    due_date: Day = ""
    status: Annotated[str, _one_of(COMMITMENT_STATUSES, "open")] = "open"
    notes: LongText = ""


class CallToActionInput(FormInput):
    """A shared date (or range) on which partners act together."""

    title: Title
    start_date: RequiredDay
    end_date: Day = Field("", validate_default=True)
    ask: LongText = ""
    audience: LongText = ""
    tactics: LongText = ""
    observance_key: Annotated[str, BeforeValidator(_observance_key)] = ""

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: str, info: ValidationInfo) -> str:
        start = info.data.get("start_date", "")
        return _not_before(start, end or start)

    @classmethod
    def from_form(cls, form: dict[str, str]) -> CallToActionInput:
        """A call as a form submits it: an international day's key comes from a suggestion
        only (``planning.call_from_observance``)."""
        return cls.validated(**{**form, "observance_key": ""})


class MilestoneInput(FormInput):
    """A dated point in the campaign plan."""

    title: Title
    date: RequiredDay
    notes: LongText = ""


def is_overdue(commitment: dict[str, Any], today: date) -> bool:
    """Open or in progress, with a due date already past."""
    return bool(
        commitment.get("status") in OPEN_COMMITMENT_STATUSES
        and commitment.get("due_date")
        and commitment["due_date"] < today.isoformat()
    )
