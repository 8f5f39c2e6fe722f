"""Vocabularies of the catalogue and validated input for ideas and case stories.

Labels are marked with ``N_`` so the web layer translates them when shown; the stored values
are the stable keys on the left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from juntos.errors import ValidationError
from juntos.organisations.models import slugify


def N_(message: str) -> str:
    """Marks a label for extraction; translated by the web layer when shown."""
    return message


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
_URL = re.compile(r"^https?://[^\s<>\"']+$")


def clean_text(value: Any) -> str:
    """Text as stored: stripped, without control characters (which the search highlighter
    reserves as markers), newlines normalised."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def split_list(value: Any) -> list[str]:
    """A list from a list, or from text separated by commas or semicolons; lowercased, unique."""
    items = value if isinstance(value, list | tuple) else re.split(r"[;,]", clean_text(value))
    out: list[str] = []
    for item in items:
        word = clean_text(item).lower()
        if word and word not in out:
            out.append(word)
    return out


def completeness(data: dict[str, Any]) -> str:
    """Stub: a title alone (or with a line); complete: every field a campaign lead needs."""
    needed = ("summary", "body", "risk", "safety_notes", "cost", "people", "preparation", "mode")
    have = [k for k in needed if data.get(k)]
    if not data.get("body") and len(have) <= 2:
        return "stub"
    return "complete" if len(have) == len(needed) else "partial"


def _choice(errors: dict[str, str], name: str, value: str, allowed: dict[str, str],
            *, required: bool = False) -> str:
    if not value:
        if required:
            errors[name] = "Choose one of: " + ", ".join(allowed) + "."
        return ""
    if value not in allowed:
        errors[name] = f"{value!r} is not one of: " + ", ".join(k for k in allowed if k) + "."
    return value


@dataclass(frozen=True, kw_only=True)
class IdeaInput:
    """An idea as submitted (form, import, seed), validated before it reaches the database."""

    title: str
    slug: str = ""
    summary: str = ""
    body: str = ""
    klass: str = ""
    subclass: str = ""
    tags: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    risk: str = ""
    safety_notes: str = ""
    cost: str = ""
    people: str = ""
    preparation: str = ""
    mode: str = ""
    suits: str = ""
    not_suits: str = ""
    language: str = "en"
    method_number: int | None = None

    @classmethod
    def validated(cls, **raw: Any) -> IdeaInput:
        """Clean and check every field; raise ``ValidationError`` naming each bad one."""
        errors: dict[str, str] = {}
        title = clean_text(raw.get("title"))
        if not title:
            errors["title"] = "A title is required."
        elif len(title) > 160:
            errors["title"] = "Keep the title under 160 characters."
        slug = clean_text(raw.get("slug")).lower() or slugify(title)[:80]
        if slug and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            errors["slug"] = "Use lowercase letters, digits and hyphens."
        summary = clean_text(raw.get("summary"))
        if len(summary) > 600:
            errors["summary"] = "Keep the summary to one or two sentences (600 characters)."
        body = clean_text(raw.get("body"))
        if len(body) > 40_000:
            errors["body"] = "The text is too long (40,000 characters at most)."
        klass = _choice(errors, "class", clean_text(raw.get("class") or raw.get("klass")),
                        CLASSES, required=True)
        language = clean_text(raw.get("language")) or "en"
        if language not in LANGUAGES:
            errors["language"] = f"{language!r} is not one of: {', '.join(LANGUAGES)}."
        number = raw.get("method_number")
        method_number: int | None = None
        if number not in (None, ""):
            try:
                method_number = int(str(number))
            except ValueError:
                errors["method_number"] = "A whole number, or empty."
        data = dict(
            title=title, slug=slug, summary=summary, body=body, klass=klass,
            subclass=clean_text(raw.get("subclass"))[:120],
            tags=split_list(raw.get("tags")), themes=split_list(raw.get("themes")),
            risk=_choice(errors, "risk", clean_text(raw.get("risk")), RISKS),
            safety_notes=clean_text(raw.get("safety_notes")),
            cost=_choice(errors, "cost", clean_text(raw.get("cost")), COSTS),
            people=_choice(errors, "people", clean_text(raw.get("people")), PEOPLE),
            preparation=clean_text(raw.get("preparation"))[:120],
            mode=_choice(errors, "mode", clean_text(raw.get("mode")), MODES),
            suits=clean_text(raw.get("suits")), not_suits=clean_text(raw.get("not_suits")),
            language=language, method_number=method_number,
        )
        if errors:
            raise ValidationError(errors)
        return cls(**data)

    def row(self) -> dict[str, Any]:
        """The columns this input sets (JSON lists encoded by the store)."""
        return {
            "slug": self.slug, "title": self.title, "summary": self.summary, "body": self.body,
            "class": self.klass, "subclass": self.subclass, "tags": self.tags,
            "themes": self.themes, "risk": self.risk, "safety_notes": self.safety_notes,
            "cost": self.cost, "people": self.people, "preparation": self.preparation,
            "mode": self.mode, "suits": self.suits, "not_suits": self.not_suits,
            "language": self.language, "method_number": self.method_number,
        }


@dataclass(frozen=True, kw_only=True)
class StoryInput:
    """A case story as submitted: what happened, where, the outcome and what was learnt."""

    title: str
    happened_on: str
    place: str
    region: str
    country: str
    pseudonymous: bool
    what_happened: str
    outcome: str
    outcome_why: str
    lessons: str
    links: list[str]
    campaign_id: int | None
    language: str
    ideas: list[tuple[str, str, str]]  # (idea slug, one-line reason, phase)

    @classmethod
    def validated(cls, **raw: Any) -> StoryInput:
        errors: dict[str, str] = {}
        title = clean_text(raw.get("title"))
        if not title:
            errors["title"] = "A title is required."
        happened_on = clean_text(raw.get("happened_on"))
        try:
            date.fromisoformat(happened_on)
        except ValueError:
            errors["happened_on"] = "A date like 2025-03-08."
        pseudonymous = str(raw.get("pseudonymous", "")).lower() in {"1", "true", "yes", "on"}
        region = clean_text(raw.get("region"))[:120]
        if pseudonymous and not region:
            errors["region"] = "Give at least a region, since the place is hidden."
        country = clean_text(raw.get("country")).upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            errors["country"] = "Two letters, e.g. MZ."
        what = clean_text(raw.get("what_happened"))
        if not what:
            errors["what_happened"] = "Say what happened."
        outcome = _choice(errors, "outcome", clean_text(raw.get("outcome")), OUTCOMES,
                          required=True)
        links = [line for line in (clean_text(x) for x in
                                   clean_text(raw.get("links")).split("\n")) if line]
        bad = [link for link in links if not _URL.match(link)]
        if bad:
            errors["links"] = f"Not a web address: {bad[0]!r} (one http(s) address a line)."
        campaign = clean_text(raw.get("campaign_id"))
        if campaign and not campaign.isdigit():
            errors["campaign_id"] = "Choose one of the listed campaigns, or none."
        ideas = list(raw.get("ideas") or [])
        if not ideas:
            errors["ideas"] = "Link the story to at least one idea."
        if errors:
            raise ValidationError(errors)
        return cls(
            title=title, happened_on=happened_on,
            # A pseudonymous story keeps no precise place: only the region is stored.
            place="" if pseudonymous else clean_text(raw.get("place"))[:120],
            region=region, country=country, pseudonymous=pseudonymous,
            what_happened=what, outcome=outcome, outcome_why=clean_text(raw.get("outcome_why")),
            lessons=clean_text(raw.get("lessons")), links=links,
            campaign_id=int(campaign) if campaign else None,
            language=clean_text(raw.get("language")) or "en",
            ideas=[(clean_text(s), clean_text(r)[:200], p if p in PHASES else "")
                   for s, r, p in ideas],
        )
