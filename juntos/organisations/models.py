"""What an organisation is, and the rules its fields follow."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any

from babel import Locale
from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from juntos import validation
from juntos.validation import N_, Input, Line, Slug, Text, WebUrl, fail, validate

KINDS = (
    "cso",
    "network",
    "university",
    "foundation",
    "funder",
    "government",
    "international",
    "media",
    "business",
    "public_role",  # a post such as "Minister of Health" (never a private person): network map
    "other",
)

#: Kept for the areas that still import it from here; the rule lives in ``juntos.validation``.
SLUG_RE = validation.SLUG_RE
MAX_NAME = 200
MAX_SHORT_NAME = 24
MAX_TERRITORY = 80


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from Babel's CLDR data rather than a list we would keep."""
    return frozenset(k for k in map(str, Locale("en").territories) if len(k) == 2 and k.isalpha())


@cache
def language_codes() -> frozenset[str]:
    return frozenset(k for k in map(str, Locale("en").languages) if "_" not in k)


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def slugify(text: str) -> str:
    """``juntos.validation.slugify`` with this area's fallback; other areas still import it
    from here (use ``juntos.validation.slugify`` in new code)."""
    return validation.slugify(text, fallback="org")


def split_tags(value: str | list[str] | None) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, lowercase, unique, in order."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    seen: dict[str, None] = {}
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _strings(value: Any) -> list[str]:
    """A list as given (tags already split), or split from comma-separated text."""
    if isinstance(value, str):
        return split_tags(value)
    return [str(item).strip() for item in value or []]


Strings = Annotated[list[str], BeforeValidator(_strings)]


class OrganisationInput(Input):
    """An organisation as submitted by a form, the CLI or the demo, validated on creation."""

    name: Line
    kind: str = "cso"
    slug: Slug = Field("", validate_default=True)  # empty: made from the name
    acronym: Line = ""
    short_name: Line = ""  # for tables and narrow places; empty: the acronym, else the name
    country: Line = ""
    territory: Line = ""  # the name it gives its country or territory (Somaliland for SO)
    region: Line = ""
    city: Line = ""
    timezone: Line = ""
    languages: Strings = []
    themes: Strings = []
    website: WebUrl = ""
    description: Text = ""
    is_public: bool = False

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> OrganisationInput:
        """Build from raw form values, collecting every problem before raising."""
        fields = ("name", "kind", "slug", "acronym", "short_name", "country", "territory",
                  "region", "city", "timezone", "website", "description")
        return cls.validated(
            **{name: form[name] for name in fields if name in form},
            languages=split_tags(form.get("languages", "")),
            themes=split_tags(form.get("themes", "")),
            is_public=form.get("is_public") in ("1", "on", "true"),
        )

    @classmethod
    def validated(cls, **given: Any) -> OrganisationInput:
        """The input from keyword values (``None`` means "not given"), or a
        ``ValidationError`` naming every bad field."""
        return validate(cls, {k: v for k, v in given.items() if v is not None})

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not name:
            raise fail(N_("A name is required."))
        if len(name) > MAX_NAME:
            raise fail(N_("A name is at most %(max)s characters."), max=MAX_NAME)
        return name

    @field_validator("short_name")
    @classmethod
    def _short_name(cls, short: str) -> str:
        if len(short) > MAX_SHORT_NAME:
            raise fail(N_("A short name is at most %(max)s characters."), max=MAX_SHORT_NAME)
        return short

    @field_validator("territory")
    @classmethod
    def _territory(cls, territory: str) -> str:
        if len(territory) > MAX_TERRITORY:
            raise fail(N_("A territory's name is at most %(max)s characters."),
                       max=MAX_TERRITORY)
        return territory

    @field_validator("slug")
    @classmethod
    def _slug(cls, slug: str, info: ValidationInfo) -> str:
        return slug or slugify(str(info.data.get("name") or ""))

    @field_validator("kind")
    @classmethod
    def _kind(cls, kind: str) -> str:
        if kind not in KINDS:
            raise fail(N_("Unknown kind '%(kind)s'; one of %(kinds)s."), kind=kind,
                       kinds=", ".join(KINDS))
        return kind

    @field_validator("country")
    @classmethod
    def _country(cls, country: str) -> str:
        country = country.upper()
        if country and country not in country_codes():
            raise fail(N_("'%(country)s' is not an ISO 3166 two-letter country code."),
                       country=country)
        return country

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, tz: str) -> str:
        if tz and tz not in timezones():
            raise fail(N_("'%(timezone)s' is not an IANA time zone (e.g. Africa/Maputo)."),
                       timezone=tz)
        return tz

    @field_validator("languages")
    @classmethod
    def _languages(cls, languages: list[str]) -> list[str]:
        languages = [code.lower() for code in languages]
        bad = [code for code in languages if code not in language_codes()]
        if bad:
            raise fail(N_("Unknown language code(s): %(codes)s (e.g. pt, en, sw)."),
                       codes=", ".join(bad))
        return languages
