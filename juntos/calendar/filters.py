"""Filters that combine (campaign, organisation, country/region, category, theme).

The same object filters pages, feeds and the CLI export, and turns back into the query string
so every page can offer the feed of exactly what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from juntos.calendar.models import CATEGORIES
from juntos.calendar.visibility import campaign_ids
from juntos.db import Database
from juntos.errors import ValidationError

FIELDS = ("campaign", "org", "country", "category", "theme")
#: Each filter as SQL on an event row (``{e}``: its alias), with its value as the parameter.
_SQL = {
    # The slug in the URL, resolved to an id by the campaigns area's index (``sql`` below).
    "campaign": "{e}.campaign_id = ?",
    "org": "{e}.organiser_id = (select id from organisations where slug = ?)",
    "country": "exists (select 1 from json_each({e}.countries) where lower(value) = lower(?))",
    "category": "{e}.category = ?",
    "theme": "exists (select 1 from json_each({e}.themes) where lower(value) = ?)",
}


@dataclass(frozen=True)
class Filters:
    campaign: str = ""
    org: str = ""  # organiser organisation slug
    country: str = ""  # ISO code or region name
    category: str = ""
    theme: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        values = {f: str(query.get(f, "") or "").strip()[:100] for f in FIELDS}
        if values["country"] and len(values["country"]) == 2:
            values["country"] = values["country"].upper()
        values["theme"] = values["theme"].lower()
        if values["category"] and values["category"] not in CATEGORIES:
            raise ValidationError({"category": f"Unknown category {values['category']!r}."})
        return cls(**values)

    def items(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in FIELDS if getattr(self, k)}

    def query_string(self) -> str:
        return urlencode(self.items())

    @property
    def key(self) -> str:
        return self.query_string()

    def sql(self, db: Database, alias: str = "e") -> tuple[str, list[Any]]:
        """A WHERE fragment (``1`` when empty) and its parameters. A campaign filter names the
        campaign by slug and matches its id: a slug that names no campaign matches nothing."""
        items: dict[str, Any] = self.items()
        if self.campaign:
            items["campaign"] = campaign_ids(db, [self.campaign]).get(self.campaign, -1)
        parts = [_SQL[name].format(e=alias) for name in items]
        return (" and ".join(parts) or "1"), list(items.values())

    def matches(self, event: Any, organiser_slug: str = "") -> bool:
        """The same test in Python, for events that other areas provide (not stored here)."""
        return ((not self.campaign or event.campaign == self.campaign)
                and (not self.org or organiser_slug == self.org)
                and (not self.country or self.country.lower() in
                     {c.lower() for c in event.countries})
                and (not self.category or event.category == self.category)
                and (not self.theme or self.theme in {t.lower() for t in event.themes}))
