"""An idea in the reader's language: each field from a translation where one exists, else
the original, with a note of which language and source (human or machine) each field came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juntos.catalogue import store
from juntos.catalogue.models import TRANSLATABLE
from juntos.db import Database


@dataclass(frozen=True)
class Field:
    text: str
    language: str
    source: str  # "original", "human" or "machine"

    @property
    def translated(self) -> bool:
        return self.source != "original"


def localise(idea: dict[str, Any], translations: dict[str, dict[str, Any]], language: str,
             *, fallback: str = "en") -> dict[str, Field]:
    """Each translatable field in ``language``, else ``fallback``, else the original."""
    out: dict[str, Field] = {}
    original = idea.get("language") or "en"
    for name in TRANSLATABLE:
        text = idea.get(name) or ""
        chosen = Field(text, original, "original")
        if language != original:
            for lang in (language, fallback):
                if lang == original:
                    break
                found = translations.get(lang, {}).get(name)
                if found and found["text"]:
                    chosen = Field(found["text"], lang, found["source"])
                    break
        out[name] = chosen
    return out


def fell_back(fields: dict[str, Field], language: str) -> bool:
    """True when some written field is not in the reader's language."""
    return any(f.text and f.language != language for f in fields.values())


def localised(db: Database, ideas: list[dict[str, Any]], language: str
              ) -> list[dict[str, Field]]:
    """Each idea's fields in ``language``, with one query for all their translations."""
    found = store.translations(db, [idea["id"] for idea in ideas])
    return [localise(idea, found[idea["id"]], language) for idea in ideas]
