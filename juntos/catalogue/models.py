"""Vocabularies of the catalogue and validated input (pydantic, through ``juntos.validation``)
for ideas and case stories.

Labels are marked with ``N_`` so the web layer translates them when shown; the stored values
are the stable keys on the left.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from juntos.validation import (
    N_,
    FormInput,
    Slug,
    fail,
    slugify,
    split_list,
    web_url,
)

#: The classic classes of nonviolent action, then the families today's campaigns use.
CLASSES: dict[str, str] = {
    "protest": N_("Protest and persuasion"),
    "noncooperation-social": N_("Non-cooperation: social"),
    "noncooperation-economic": N_("Non-cooperation: economic"),
    "noncooperation-political": N_("Non-cooperation: political"),
    "intervention": N_("Nonviolent intervention"),
    "digital": N_("Digital campaigning"),
    "media": N_("Media and communications"),
    "lobbying": N_("Lobbying and advocacy"),
    "legal": N_("Legal action"),
    "research": N_("Research and monitoring"),
    "coalition": N_("Coalition building"),
    "creative": N_("Creative and cultural action"),
}

#: Class names as the shared methods file writes them.
SHARP_CLASSES: dict[str, str] = {
    "Nonviolent protest and persuasion": "protest",
    "Noncooperation: social": "noncooperation-social",
    "Noncooperation: economic (boycotts)": "noncooperation-economic",
    "Noncooperation: economic (strikes)": "noncooperation-economic",
    "Noncooperation: political": "noncooperation-political",
    "Nonviolent intervention": "intervention",
}

RISKS: dict[str, str] = {"low": N_("Low risk"), "medium": N_("Medium risk"),
                         "high": N_("High risk")}
COSTS: dict[str, str] = {"none": N_("No cost"), "low": N_("Low cost"),
                         "medium": N_("Medium cost"), "high": N_("High cost")}
PEOPLE: dict[str, str] = {"few": N_("A few people"), "dozens": N_("Dozens"),
                          "hundreds": N_("Hundreds"), "thousands": N_("Thousands")}
MODES: dict[str, str] = {"online": N_("Online"), "offline": N_("Offline"),
                         "both": N_("Online and offline")}
STATUSES: dict[str, str] = {"draft": N_("Waiting for review"), "published": N_("Published"),
                            "rejected": N_("Rejected")}
COMPLETENESS: dict[str, str] = {"stub": N_("Stub"), "partial": N_("Partly written"),
                                "complete": N_("Complete")}
OUTCOMES: dict[str, str] = {"yes": N_("Goal reached"), "partly": N_("Goal partly reached"),
                            "no": N_("Goal not reached")}
SOURCES: dict[str, str] = {"human": N_("human translation"),
                           "machine": N_("machine translation")}
PHASES: dict[str, str] = {"": "", "preparation": N_("preparation"),
                          "mobilisation": N_("mobilisation"), "escalation": N_("escalation"),
                          "follow-up": N_("follow-up")}

#: Languages an idea may be written or translated in (codes as in organisations).
LANGUAGES = ("en", "pt", "fr", "sw", "da", "es", "ar", "so", "zu", "sn")

#: Fields a translation may carry.
TRANSLATABLE = ("title", "summary", "body", "safety_notes", "suits", "not_suits")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> str:
    """Text as stored: stripped, without control characters (which the search highlighter
    reserves as markers), newlines normalised."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def completeness(data: dict[str, Any]) -> str:
    """Stub: a title alone (or with a line); complete: every field a campaign lead needs."""
    needed = ("summary", "body", "risk", "safety_notes", "cost", "people", "preparation", "mode")
    have = [k for k in needed if data.get(k)]
    if not data.get("body") and len(have) <= 2:
        return "stub"
    return "complete" if len(have) == len(needed) else "partial"


# --- field rules ------------------------------------------------------------------------------

def _required(message: str) -> BeforeValidator:
    def check(value: Any) -> str:
        text = clean_text(value)
        if not text:
            raise fail(message)
        return text
    return BeforeValidator(check)


def _at_most(n: int, message: str) -> AfterValidator:
    def check(text: str) -> str:
        if len(text) > n:
            raise fail(message)
        return text
    return AfterValidator(check)


def _cut(n: int) -> BeforeValidator:
    return BeforeValidator(lambda value: clean_text(value)[:n])


def _choice(allowed: Mapping[str, str] | Sequence[str], *, required: bool = False,
            default: str = "") -> BeforeValidator:
    def check(value: Any) -> str:
        text = clean_text(value) or default
        if not text:
            if required:
                raise fail(N_("Choose one of: %(expected)s."), expected=", ".join(allowed))
            return ""
        if text not in allowed:
            raise fail(N_("%(value)s is not one of: %(options)s."), value=repr(text),
                       options=", ".join(k for k in allowed if k))
        return text
    return BeforeValidator(check)


def _method_number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise fail(N_("A whole number, or empty.")) from None


def _day(value: Any) -> str:
    text = clean_text(value)
    try:
        date.fromisoformat(text)
    except ValueError:
        raise fail(N_("A date like 2026-03-08.")) from None
    return text


def _checked(value: Any) -> bool:
    """A checkbox: on when sent as 1, true, yes or on."""
    return str(value).lower() in {"1", "true", "yes", "on"}


def _country(value: Any) -> str:
    code = clean_text(value).upper()
    if code and not re.fullmatch(r"[A-Z]{2}", code):
        raise fail(N_("Two letters, e.g. MZ."))
    return code


def _links(value: Any) -> list[str]:
    """One web address a line (a list is taken as the lines)."""
    text = "\n".join(value) if isinstance(value, list | tuple) else clean_text(value)
    links = [line for line in (clean_text(x) for x in text.split("\n")) if line]
    for link in links:
        try:
            web_url(link)
        except PydanticCustomError:
            raise fail(N_("Not a web address: %(link)s (one http(s) address a line)."),
                       link=repr(link)) from None
    return links


def _campaign_id(value: Any) -> int | None:
    text = clean_text(value)
    if not text:
        return None
    if not (text.isdigit() and len(text) < 19):
        raise fail(N_("Choose one of the listed campaigns, or none."))
    return int(text)


def _idea_links(value: Any) -> list[tuple[str, str, str]]:
    ideas = [(clean_text(slug), clean_text(reason)[:200], phase if phase in PHASES else "")
             for slug, reason, phase in (value or [])]
    if not ideas:
        raise fail(N_("Link the story to at least one idea."))
    return ideas


Clean = Annotated[str, BeforeValidator(clean_text)]
Words = Annotated[list[str], BeforeValidator(split_list)]


class _Submitted(FormInput):
    """A catalogue input: a key left out counts as empty; ``klass`` reports as ``class``."""

    model_config = ConfigDict(validate_default=True)
    error_names = {"klass": "class"}


class IdeaInput(_Submitted):
    """An idea as submitted (form, import, seed), validated before it reaches the database."""

    title: Annotated[str, _required(N_("A title is required.")), _at_most(
        160, N_("Keep the title under 160 characters."))] = ""
    slug: Slug = ""
    summary: Annotated[Clean, _at_most(
        600, N_("Keep the summary to one or two sentences (600 characters)."))] = ""
    body: Annotated[Clean, _at_most(
        40_000, N_("The text is too long (40,000 characters at most)."))] = ""
    klass: Annotated[str, _choice(CLASSES, required=True)] = Field("", alias="class")
    subclass: Annotated[str, _cut(120)] = ""
    tags: Words = []
    themes: Words = []
    risk: Annotated[str, _choice(RISKS)] = ""
    safety_notes: Clean = ""
    cost: Annotated[str, _choice(COSTS)] = ""
    people: Annotated[str, _choice(PEOPLE)] = ""
    preparation: Annotated[str, _cut(120)] = ""
    mode: Annotated[str, _choice(MODES)] = ""
    suits: Clean = ""
    not_suits: Clean = ""
    language: Annotated[str, _choice(LANGUAGES, default="en")] = "en"
    method_number: Annotated[int | None, BeforeValidator(_method_number)] = None

    @field_validator("slug")
    @classmethod
    def _slug_from_title(cls, slug: str, info: ValidationInfo) -> str:
        return slug or slugify(info.data.get("title", ""))

    def row(self) -> dict[str, Any]:
        """The columns this input sets (JSON lists encoded by the store)."""
        values = self.model_dump()
        return {"slug": values.pop("slug"),
                **{"class" if k == "klass" else k: v for k, v in values.items()}}


class StoryInput(_Submitted):
    """A case story as submitted: what happened, where, the outcome and what was learnt.

    A pseudonymous story keeps no precise place: only the region is stored."""

    title: Annotated[str, _required(N_("A title is required."))] = ""
    happened_on: Annotated[str, BeforeValidator(_day)] = ""
    pseudonymous: Annotated[bool, BeforeValidator(_checked)] = False
    place: Annotated[str, _cut(120)] = ""
    region: Annotated[str, _cut(120)] = ""
    country: Annotated[str, BeforeValidator(_country)] = ""
    what_happened: Annotated[str, _required(N_("Say what happened."))] = ""
    outcome: Annotated[str, _choice(OUTCOMES, required=True)] = ""
    outcome_why: Clean = ""
    lessons: Clean = ""
    links: Annotated[list[str], BeforeValidator(_links)] = []
    campaign_id: Annotated[int | None, BeforeValidator(_campaign_id)] = None
    language: Annotated[str, BeforeValidator(lambda v: clean_text(v) or "en")] = "en"
    #: (idea slug, one-line reason, phase)
    ideas: Annotated[list[tuple[str, str, str]], BeforeValidator(_idea_links)] = []

    @field_validator("place")
    @classmethod
    def _no_place_when_protected(cls, place: str, info: ValidationInfo) -> str:
        return "" if info.data.get("pseudonymous") else place

    @field_validator("region")
    @classmethod
    def _region_when_protected(cls, region: str, info: ValidationInfo) -> str:
        if info.data.get("pseudonymous") and not region:
            raise fail(N_("Give at least a region, since the place is hidden."))
        return region
