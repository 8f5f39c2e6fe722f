"""What an organisation is, and the rules its fields follow."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from dataclasses import MISSING, dataclass, field, fields
from functools import cache

from babel import Locale

from juntos.errors import ValidationError

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

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from Babel's CLDR data rather than a list we would keep."""
    return frozenset(k for k in Locale("en").territories if len(k) == 2 and k.isalpha())


@cache
def language_codes() -> frozenset[str]:
    return frozenset(k for k in Locale("en").languages if "_" not in k)


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def slugify(text: str) -> str:
    """A URL-safe slug: accents folded, lowercase, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:80] or "org"


def split_tags(value: str | list[str] | None) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, lowercase, unique, in order."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    seen: dict[str, None] = {}
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


@dataclass(frozen=True, kw_only=True)
class OrganisationInput:
    """An organisation as submitted by a form, the CLI or the demo, validated on creation."""

    name: str
    kind: str = "cso"
    slug: str = ""
    acronym: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    timezone: str = ""
    languages: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    website: str = ""
    description: str = ""
    is_public: bool = False

    @classmethod
    def from_form(cls, form: dict[str, str]) -> OrganisationInput:
        """Build from raw form values, collecting every problem before raising."""
        return cls.validated(
            name=form.get("name", ""),
            kind=form.get("kind", "cso"),
            slug=form.get("slug", ""),
            acronym=form.get("acronym", ""),
            country=form.get("country", ""),
            region=form.get("region", ""),
            city=form.get("city", ""),
            timezone=form.get("timezone", ""),
            languages=split_tags(form.get("languages", "")),
            themes=split_tags(form.get("themes", "")),
            website=form.get("website", ""),
            description=form.get("description", ""),
            is_public=form.get("is_public") in ("1", "on", "true"),
        )

    @classmethod
    def validated(cls, **given: object) -> OrganisationInput:
        unknown = set(given) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"Unknown organisation field(s): {', '.join(sorted(unknown))}")
        values: dict[str, object] = {
            f.name: f.default_factory() if f.default_factory is not MISSING else f.default
            for f in fields(cls)
        }
        values.update({k: v for k, v in given.items() if v is not None})
        values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        errors: dict[str, str] = {}
        name = str(values.get("name") or "")
        if not name:
            errors["name"] = "A name is required."
        elif len(name) > 200:
            errors["name"] = "A name is at most 200 characters."
        slug = str(values.get("slug") or "") or slugify(name)
        values["slug"] = slug
        if not SLUG_RE.match(slug):
            errors["slug"] = "Use lowercase letters, digits and single hyphens (e.g. 'forum-mz')."
        if values.get("kind") not in KINDS:
            errors["kind"] = f"Unknown kind {values.get('kind')!r}; one of {', '.join(KINDS)}."
        country = str(values.get("country") or "").upper()
        values["country"] = country
        if country and country not in country_codes():
            errors["country"] = f"{country!r} is not an ISO 3166 two-letter country code."
        tz = str(values.get("timezone") or "")
        if tz and tz not in timezones():
            errors["timezone"] = f"{tz!r} is not an IANA time zone (e.g. Africa/Maputo)."
        langs = [str(x).lower() for x in values.get("languages") or []]  # type: ignore[union-attr]
        values["languages"] = langs
        bad = [x for x in langs if x not in language_codes()]
        if bad:
            errors["languages"] = f"Unknown language code(s): {', '.join(bad)} (e.g. pt, en, sw)."
        website = str(values.get("website") or "")
        if website and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", website):
            errors["website"] = "A website starts with http:// or https://."
        if errors:
            raise ValidationError(errors)
        return cls(**values)  # type: ignore[arg-type]
