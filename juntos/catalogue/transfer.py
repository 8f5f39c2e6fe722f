"""Export and import of ideas as CSV or JSON, in one shape both ways.

Import is all-or-nothing: every row is validated first and every problem is reported with its
row number; only a file without problems is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from juntos import csvsafe
from juntos.catalogue import store
from juntos.catalogue.models import IdeaInput
from juntos.db import Database
from juntos.errors import ValidationError

COLUMNS = ("slug", "title", "summary", "body", "class", "subclass", "tags", "themes", "risk",
           "safety_notes", "cost", "people", "preparation", "mode", "suits", "not_suits",
           "language", "method_number")
LIST_COLUMNS = ("tags", "themes")


def rows(db: Database) -> list[dict[str, Any]]:
    """Every published idea in the export shape, by title."""
    out = []
    for r in db.query("select * from ideas where status = 'published' and revision_of is null"
                      " order by coalesce(method_number, 100000), title collate nocase"):
        idea = store.decode(r)
        out.append({c: idea.get(c) if idea.get(c) is not None else "" for c in COLUMNS})
    return out


def export(db: Database, fmt: str) -> str:
    data = rows(db)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow(csvsafe.record({**row, **{c: "; ".join(row[c]) for c in LIST_COLUMNS}}))
    return buffer.getvalue()


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def parse(text: str, fmt: str) -> list[dict[str, Any]]:
    """Rows from CSV or JSON text; a file that is not in the export's shape is refused."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValidationError({"file": f"not valid JSON (line {e.lineno}: {e.msg})"}) from e
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValidationError({"file": "expected a JSON list of objects"})
        return data
    reader = csv.DictReader(io.StringIO(text))
    missing = {"title", "class"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError({"file": "missing column(s): " + ", ".join(sorted(missing))})
    return [{k: csvsafe.unguard(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in reader]


def validate(db: Database, raw_rows: list[dict[str, Any]]) -> list[IdeaInput]:
    """Every row checked; raises one ``ValidationError`` naming each bad row."""
    errors: dict[str, str] = {}
    inputs: list[IdeaInput] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_rows, start=1):
        try:
            data = IdeaInput.validated(**{k: v for k, v in raw.items() if k in COLUMNS})
        except ValidationError as e:
            errors[f"row {number}"] = "; ".join(f"{k}: {v}" for k, v in e.errors.items())
            continue
        if data.slug in seen:
            errors[f"row {number}"] = f"slug: {data.slug!r} repeats row {seen[data.slug]}"
            continue
        seen[data.slug] = number
        if data.method_number is not None:
            other = list(db.query("select slug from ideas where method_number = ?",
                                  [data.method_number]))
            if other and other[0]["slug"] != data.slug:
                errors[f"row {number}"] = (f"method_number: {data.method_number} belongs to"
                                           f" {other[0]['slug']!r}")
                continue
        inputs.append(data)
    if not raw_rows:
        errors["file"] = "no rows"
    if errors:
        raise ValidationError(errors)
    return inputs


def import_rows(db: Database, raw_rows: list[dict[str, Any]], *, now: datetime,
                by: int | None = None) -> ImportReport:
    inputs = validate(db, raw_rows)
    created = updated = 0
    with db.atomic():
        for data in inputs:
            existing = list(db.query("select id from ideas where slug = ?", [data.slug]))
            if existing:
                changed = store.update(db, existing[0]["id"], data, now=now, by=by)
                store.record(db, existing[0]["id"], "imported", by=by, now=now, fields=changed)
                updated += 1
            else:
                idea = store.insert(db, data, status="published", now=now, by=by,
                                    organisation_id=None)
                store.record(db, idea["id"], "imported", by=by, now=now)
                created += 1
    return ImportReport(created, updated)


def import_file(db: Database, path: Path, *, now: datetime,
                by: int | None = None) -> ImportReport:
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValidationError({"file": "not UTF-8 text"}) from e
    return import_rows(db, parse(text, fmt), now=now, by=by)
