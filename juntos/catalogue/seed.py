"""The starter catalogue: the 198 classic methods (``data/methods/*.md``) and contemporary
tactics (``data/tactics/*.md``), all written by us and shipped in the package.

A method's number, title, class and subclass follow Gene Sharp's classification (facts); every
text is ours. Loading is idempotent and never overwrites an entry that already exists (methods
are matched by number, tactics by slug), so edits made by the network survive a second seed.

Both kinds of file are a header of ``key: value`` lines, a line ``---``, the Markdown body, then
optional sections opened by ``+++ field`` (``safety_notes``, ``suits``, ``not_suits``) or
``+++ pt:field`` (a human translation of that field). A method's header has ``number`` (its
stable key) and ``class`` as an internal key (``protest``, ``noncooperation-economic``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from juntos.catalogue import store
from juntos.catalogue.models import IdeaInput, split_list
from juntos.db import Database
from juntos.errors import ValidationError

DATA = Path(__file__).resolve().parent / "data"
CLASSIC_TAG = "classic method"


@dataclass(frozen=True)
class SeedReport:
    methods_added: int
    tactics_added: int
    skipped: int


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


def read_methods(folder: Path | None = None) -> list[Tactic]:
    """The classic methods, by number; each tagged ``classic method``."""
    folder = folder or DATA / "methods"
    methods = []
    for path in sorted(folder.glob("*.md")):
        fields, translated = parse_tactic(path.read_text(encoding="utf-8"), name=path.name)
        number = fields.pop("number", "")
        if not number.isdigit():
            raise ValidationError({path.name: "the header needs 'number: N'"})
        fields["method_number"] = int(number)
        fields["tags"] = [CLASSIC_TAG, *split_list(fields.get("tags"))]
        methods.append((fields, translated))
    return sorted(methods, key=lambda m: m[0]["method_number"])


def _insert(db: Database, data: IdeaInput, translated: dict[str, dict[str, str]], *,
            slug: str | None, now: datetime) -> None:
    idea = store.insert(db, data, status="published", now=now, by=None, organisation_id=None,
                        slug=slug)
    for language, values in translated.items():
        store.set_translation(db, idea["id"], language, values, source="human", now=now,
                              by=None)
    store.record(db, idea["id"], "seeded", by=None, now=now)


def seed(db: Database, *, now: datetime) -> SeedReport:
    """Load the starter catalogue; entries that already exist are left as they are."""
    methods = read_methods()
    tactics = read_tactics()
    added_methods = added_tactics = skipped = 0
    with db.atomic():
        for fields, translated in methods:
            if list(db.query("select 1 from ideas where method_number = ?",
                             [fields["method_number"]])):
                skipped += 1
                continue
            data = IdeaInput.validated(**fields)
            slug = data.slug if not store.slug_taken(db, data.slug) else (
                f"{data.slug}-{data.method_number}")
            _insert(db, data, translated, slug=slug, now=now)
            added_methods += 1
        for fields, translated in tactics:
            data = IdeaInput.validated(**fields)
            if store.slug_taken(db, data.slug):
                skipped += 1
                continue
            _insert(db, data, translated, slug=None, now=now)
            added_tactics += 1
    return SeedReport(added_methods, added_tactics, skipped)
