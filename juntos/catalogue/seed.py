"""The starter catalogue: the 198 classic methods as stubs, and contemporary tactics written
by us (``data/tactics/*.md``).

The methods file (``sharp_198.csv`` in the shared data folder) gives number, title, class and
subclass: facts. The book's descriptions are not ours, so a method gets a summary only where we
wrote one (``data/classic_summaries.json``); the rest are stubs inviting a partner to write
them up. Loading is idempotent and never overwrites an entry that already exists, so edits made
by the network survive a second seed.

A tactic file is a header of ``key: value`` lines, a line ``---``, the Markdown body, then
optional sections opened by ``+++ field`` (``safety_notes``, ``suits``, ``not_suits``) or
``+++ pt:field`` (a human translation of that field).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from juntos.catalogue import store
from juntos.catalogue.models import SHARP_CLASSES, IdeaInput
from juntos.db import Database
from juntos.errors import NotFound, ValidationError

DATA = Path(__file__).resolve().parent / "data"
METHODS_FILE = "sharp_198.csv"


@dataclass(frozen=True)
class SeedReport:
    methods_added: int
    tactics_added: int
    skipped: int


def read_methods(path: Path) -> list[dict[str, Any]]:
    """The classic methods as idea fields; a bad row is named by its line."""
    summaries = json.loads((DATA / "classic_summaries.json").read_text(encoding="utf-8"))
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            klass = SHARP_CLASSES.get((row.get("class") or "").strip())
            if klass is None or not (row.get("number") or "").strip().isdigit():
                raise ValidationError({f"line {line}": f"unexpected row {row!r}"})
            number = int(row["number"])
            out.append({
                "title": row["title"].strip(), "class": klass,
                "subclass": row["subclass"].strip(), "method_number": number,
                "summary": summaries.get(str(number), ""), "language": "en",
                "tags": ["classic method"],
            })
    return out


def parse_tactic(text: str, *, name: str = "") -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """One tactic file → (idea fields, {language: {field: text}} human translations)."""
    header, sep, rest = text.partition("\n---\n")
    if not sep:
        raise ValidationError({name or "file": "no '---' line after the header"})
    fields: dict[str, Any] = {}
    for number, line in enumerate(header.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise ValidationError({f"{name} line {number}": "expected 'key: value'"})
        fields[key.strip()] = value.strip()
    translations: dict[str, dict[str, str]] = {}
    chunks = rest.split("\n+++ ")
    fields["body"] = chunks[0].strip()
    for chunk in chunks[1:]:
        label, _, content = chunk.partition("\n")
        label = label.strip()
        if ":" in label:
            language, field = label.split(":", 1)
            translations.setdefault(language, {})[field] = content.strip()
        else:
            fields[label] = content.strip()
    return fields, translations


Tactic = tuple[dict[str, Any], dict[str, dict[str, str]]]


def read_tactics(folder: Path | None = None) -> list[Tactic]:
    folder = folder or DATA / "tactics"
    return [parse_tactic(p.read_text(encoding="utf-8"), name=p.name)
            for p in sorted(folder.glob("*.md"))]


def seed(db: Database, *, shared_data: Path | None, now: datetime) -> SeedReport:
    """Load the starter catalogue; entries that already exist are left as they are."""
    if shared_data is None or not (shared_data / METHODS_FILE).exists():
        raise NotFound(f"The shared data folder with {METHODS_FILE} was not found "
                       "(set JUNTOS_SHARED_DATA).")
    methods = read_methods(shared_data / METHODS_FILE)
    tactics = read_tactics()
    added_methods = added_tactics = skipped = 0
    with db.atomic():
        for fields in methods:
            if list(db.query("select 1 from ideas where method_number = ?",
                             [fields["method_number"]])):
                skipped += 1
                continue
            data = IdeaInput.validated(**fields)
            slug = data.slug if not store.slug_taken(db, data.slug) else (
                f"{data.slug}-{data.method_number}")
            idea = store.insert(db, data, status="published", now=now, by=None,
                                organisation_id=None, slug=slug)
            store.record(db, idea["id"], "seeded", by=None, now=now)
            added_methods += 1
        for fields, translated in tactics:
            data = IdeaInput.validated(**fields)
            if store.slug_taken(db, data.slug):
                skipped += 1
                continue
            idea = store.insert(db, data, status="published", now=now, by=None,
                                organisation_id=None)
            for language, values in translated.items():
                store.set_translation(db, idea["id"], language, values, source="human",
                                      now=now, by=None)
            store.record(db, idea["id"], "seeded", by=None, now=now)
            added_tactics += 1
    return SeedReport(added_methods, added_tactics, skipped)
