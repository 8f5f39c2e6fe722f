"""What a campaign and its parts are, and the rules their fields follow.

Inputs are keyword-only dataclasses built through ``validated(...)`` (or ``from_form``), which
collects every problem and raises one ``ValidationError`` naming each field, so bad data never
reaches the database. Rules that need the database (a slug already taken, an unknown
organisation, a second accountable organisation) live in ``store``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from juntos.errors import ValidationError
from juntos.organisations.models import SLUG_RE, country_codes, slugify, split_tags

STATUSES = ("idea", "planning", "active", "finished", "archived")
VISIBILITIES = ("public", "network", "private")
ROLES = ("lead", "co-lead", "partner", "supporter")
LEAD_ROLES = frozenset({"lead", "co-lead"})
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


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def parse_day(value: object, name: str, errors: dict[str, str], *, required: bool) -> str:
    """``YYYY-MM-DD`` or empty; a bad value adds a message for ``name`` to ``errors``."""
    text = str(value or "").strip()
    if not text:
        if required:
            errors[name] = "A date is required."
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        errors[name] = f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-10-01."
        return ""


def _title(values: dict[str, Any], key: str, errors: dict[str, str]) -> None:
    text = str(values.get(key) or "")
    if not text:
        errors[key] = "A title is required."
    elif len(text) > MAX_TITLE:
        errors[key] = f"A title is at most {MAX_TITLE} characters."


def _long(values: dict[str, Any], keys: tuple[str, ...], errors: dict[str, str]) -> None:
    for key in keys:
        if len(str(values.get(key) or "")) > MAX_TEXT:
            errors[key] = f"At most {MAX_TEXT} characters."


def _choice(values: dict[str, Any], key: str, options: tuple[str, ...],
            errors: dict[str, str]) -> None:
    if values.get(key) not in options:
        errors[key] = f"Unknown {key} {values.get(key)!r}; one of {', '.join(options)}."


@dataclass(frozen=True, kw_only=True)
class CampaignInput:
    """A campaign as submitted by a form, the CLI or the demo."""

    title: str
    slug: str = ""
    concept: str = ""
    objectives: str = ""
    themes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: str = ""
    start_date: str = ""
    end_date: str = ""
    status: str = "idea"
    visibility: str = "network"

    @classmethod
    def from_form(cls, form: dict[str, str]) -> CampaignInput:
        return cls.validated(
            title=form.get("title", ""), slug=form.get("slug", ""),
            concept=form.get("concept", ""), objectives=form.get("objectives", ""),
            themes=split_tags(form.get("themes", "")),
            countries=split_tags(form.get("countries", "")),
            regions=form.get("regions", ""), start_date=form.get("start_date", ""),
            end_date=form.get("end_date", ""), status=form.get("status", "idea"),
            visibility=form.get("visibility", "network"),
        )

    @classmethod
    def validated(cls, **values: Any) -> CampaignInput:
        values = _strip(values)
        values["status"] = values.get("status") or "idea"
        values["visibility"] = values.get("visibility") or "network"
        errors: dict[str, str] = {}
        _title(values, "title", errors)
        _long(values, ("concept", "objectives"), errors)
        slug = str(values.get("slug") or "") or slugify(str(values.get("title") or ""))
        values["slug"] = slug
        if not SLUG_RE.match(slug):
            errors["slug"] = ("Use lowercase letters, digits and single hyphens"
                              " (e.g. 'autumn-2027').")
        countries = [c.upper() for c in split_tags(values.get("countries"))]
        values["countries"] = countries
        unknown = [c for c in countries if c not in country_codes()]
        if unknown:
            errors["countries"] = (
                f"Not ISO 3166 two-letter country codes: {', '.join(unknown)}."
            )
        values["themes"] = split_tags(values.get("themes"))
        values["start_date"] = parse_day(values.get("start_date"), "start_date", errors,
                                         required=False)
        values["end_date"] = parse_day(values.get("end_date"), "end_date", errors,
                                       required=False)
        if (values["start_date"] and values["end_date"]
                and values["end_date"] < values["start_date"]):
            errors["end_date"] = "The end date is before the start date."
        _choice(values, "status", STATUSES, errors)
        _choice(values, "visibility", VISIBILITIES, errors)
        if errors:
            raise ValidationError(errors)
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class CommitmentInput:
    """What an organisation promised, for which workstream, by when."""

    organisation_id: int
    title: str
    workstream_id: int | None = None
    due_date: str = ""
    status: str = "open"
    notes: str = ""

    @classmethod
    def validated(cls, **values: Any) -> CommitmentInput:
        values = _strip(values)
        errors: dict[str, str] = {}
        org = str(values.get("organisation_id") or "")
        if not _is_id(org):
            errors["organisation_id"] = "Choose the organisation that makes this commitment."
        else:
            values["organisation_id"] = int(org)
        ws = str(values.get("workstream_id") or "")
        if ws and not _is_id(ws):
            errors["workstream_id"] = "Choose a workstream of this campaign."
        values["workstream_id"] = int(ws) if _is_id(ws) else None
        _title(values, "title", errors)
        _long(values, ("notes",), errors)
        values["due_date"] = parse_day(values.get("due_date"), "due_date", errors,
                                       required=False)
        values["status"] = values.get("status") or "open"
        _choice(values, "status", COMMITMENT_STATUSES, errors)
        if errors:
            raise ValidationError(errors)
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class CallToActionInput:
    """A shared date (or range) on which partners act together."""

    title: str
    start_date: str
    end_date: str = ""
    ask: str = ""
    audience: str = ""
    tactics: str = ""
    observance_key: str = ""

    @classmethod
    def validated(cls, **values: Any) -> CallToActionInput:
        values = _strip(values)
        errors: dict[str, str] = {}
        _title(values, "title", errors)
        _long(values, ("ask", "audience", "tactics"), errors)
        values["start_date"] = parse_day(values.get("start_date"), "start_date", errors,
                                         required=True)
        values["end_date"] = parse_day(values.get("end_date"), "end_date", errors,
                                       required=False) or values["start_date"]
        if values["start_date"] and values["end_date"] < values["start_date"]:
            errors["end_date"] = "The end date is before the start date."
        key = str(values.get("observance_key") or "")
        if key and not re.fullmatch(r"[a-z0-9-]{1,120}", key):
            errors["observance_key"] = "Not an international day's key."
        if errors:
            raise ValidationError(errors)
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class MilestoneInput:
    """A dated point in the campaign plan."""

    title: str
    date: str
    notes: str = ""

    @classmethod
    def validated(cls, **values: Any) -> MilestoneInput:
        values = _strip(values)
        errors: dict[str, str] = {}
        _title(values, "title", errors)
        _long(values, ("notes",), errors)
        values["date"] = parse_day(values.get("date"), "date", errors, required=True)
        if errors:
            raise ValidationError(errors)
        return cls(**values)


def is_overdue(commitment: dict[str, Any], today: date) -> bool:
    """Open or in progress, with a due date already past."""
    return bool(
        commitment.get("status") in OPEN_COMMITMENT_STATUSES
        and commitment.get("due_date")
        and commitment["due_date"] < today.isoformat()
    )
