"""Ideas in the database: rows, history, translations, and the search index kept beside them.

The full-text index and the facet table hold published ideas only (review copies and drafts
never appear in search); ``reindex`` is called after every change in the same transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from juntos.area import ExtensionPoint
from juntos.catalogue import facet_index, words
from juntos.catalogue.models import (
    LANGUAGES,
    SOURCES,
    TRANSLATABLE,
    IdeaInput,
    clean_text,
    completeness,
)
from juntos.clock import iso
from juntos.db import Database, change_counter
from juntos.errors import Conflict, Message, NotFound, ValidationError
from juntos.validation import N_

JSON_FIELDS = ("tags", "themes")


def decode(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its JSON list columns turned into lists."""
    out = dict(row)
    for key in JSON_FIELDS:
        if key in out:
            out[key] = json.loads(out[key] or "[]")
    return out


def version(db: Database) -> int:
    """The change counter every write to ideas, their translations, the campaigns' use of them
    and their case stories bumps (by trigger): what kept pages of results key on."""
    return change_counter(db, "catalogue_version")


def get(db: Database, slug: str) -> dict[str, Any]:
    rows = list(db.query("select * from ideas where slug = ?", [slug]))
    if not rows:
        raise NotFound("No such idea.")
    return decode(rows[0])


def get_by_id(db: Database, idea_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from ideas where id = ?", [idea_id]))
    if not rows:
        raise NotFound("No such idea.")
    return decode(rows[0])


def get_many(db: Database, idea_ids: list[int]) -> list[dict[str, Any]]:
    """The ideas with these ids, in the order given (absent ones left out)."""
    marks = ",".join("?" * len(idea_ids))
    rows = {r["id"]: decode(r) for r in db.query(
        f"select * from ideas where id in ({marks})", idea_ids)} if idea_ids else {}
    return [rows[i] for i in idea_ids if i in rows]


#: Words a slug may not be, because a page's address uses them where a slug would go
#: (``/{prefix}/new``): filled by the composition root from the routes themselves.
RESERVED_SLUGS: ExtensionPoint[str] = ExtensionPoint("catalogue.reserved_slugs")


def slug_taken(db: Database, slug: str, *, except_id: int | None = None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    return bool(list(db.query("select 1 from ideas where slug = ? and id is not ?",
                              [slug, except_id])))


def insert(db: Database, data: IdeaInput, *, status: str, now: datetime, by: int | None,
           organisation_id: int | None, revision_of: int | None = None,
           slug: str | None = None) -> dict[str, Any]:
    """Add an idea row (and index it when published). The slug must be free."""
    row = data.row()
    row["slug"] = slug or row["slug"]
    if slug_taken(db, row["slug"]):
        raise Conflict(f"An idea with the address {row['slug']!r} already exists.")
    if row["method_number"] is not None and list(
            db.query("select 1 from ideas where method_number = ?", [row["method_number"]])):
        raise ValidationError({"method_number": f"Method {row['method_number']} already exists."})
    stamp = iso(now)
    row.update(
        status=status, completeness=completeness(row), organisation_id=organisation_id,
        revision_of=revision_of, review_note="", created_at=stamp, created_by=by,
        updated_at=stamp, updated_by=by, published_at=stamp if status == "published" else None,
    )
    idea_id = inserted(db, "ideas", row)
    reindex(db, idea_id)
    return get_by_id(db, idea_id)


def inserted(db: Database, table: str, row: dict[str, Any]) -> int:
    """Add a row to ``table`` and return its id (sqlite-utils types ``last_pk`` as optional)."""
    pk = db[table].insert(row).last_pk
    if pk is None:
        raise RuntimeError(f"{table}: the new row has no id")
    return int(pk)


def update(db: Database, idea_id: int, data: IdeaInput, *, now: datetime, by: int | None,
           keep_slug: bool = True) -> list[str]:
    """Overwrite an idea's fields; return the names of the fields that changed."""
    current = get_by_id(db, idea_id)
    row = data.row()
    if keep_slug:
        row["slug"] = current["slug"]
    elif slug_taken(db, row["slug"], except_id=idea_id):
        raise Conflict(f"An idea with the address {row['slug']!r} already exists.")
    if current["method_number"] is not None:
        row["method_number"] = current["method_number"]
    changed = [k for k, v in row.items() if current.get(k) != v and not (
        current.get(k) in (None, "") and v in (None, ""))]
    row.update(completeness=completeness(row), updated_at=iso(now), updated_by=by)
    db["ideas"].update(idea_id, row)
    reindex(db, idea_id)
    return changed


def set_status(db: Database, idea_id: int, status: str, *, now: datetime, by: int | None,
               note: str = "") -> None:
    changes: dict[str, Any] = {"status": status, "review_note": note, "updated_at": iso(now),
                               "updated_by": by}
    if status == "published":
        current = get_by_id(db, idea_id)
        changes["published_at"] = current["published_at"] or iso(now)
    db["ideas"].update(idea_id, changes)
    reindex(db, idea_id)


def delete(db: Database, idea_id: int) -> None:
    """Remove an idea (used for merged review copies) with its index rows."""
    facet_index.bump(db)
    db.execute("delete from idea_facets where idea_id = ?", [idea_id])
    db.execute("delete from ideas_fts where rowid = ?", [idea_id])
    db.execute("delete from ideas_fts_stems where rowid = ?", [idea_id])
    db.execute("delete from idea_translations where idea_id = ?", [idea_id])
    db.execute("delete from idea_translation_proposals where idea_id = ?", [idea_id])
    db.execute("delete from idea_history where idea_id = ?", [idea_id])
    db.execute("delete from ideas where id = ?", [idea_id])


# -- history ---------------------------------------------------------------------------------

def record(db: Database, idea_id: int, action: str, *, by: int | None, now: datetime,
           note: str = "", fields: list[str] | None = None) -> None:
    """Keep who did what and when: the idea page shows this history."""
    record_in(db, "idea_history", "idea_id", idea_id, action, by=by, now=now, note=note,
              fields=fields)


def history(db: Database, idea_id: int) -> list[dict[str, Any]]:
    return history_in(db, "idea_history", "idea_id", idea_id)


def record_in(db: Database, table: str, column: str, row_id: int, action: str, *,
              by: int | None, now: datetime, note: str = "",
              fields: list[str] | None = None) -> None:
    """One step in a history table (``idea_history``, ``story_history``): who, when, what,
    the moderation note and the fields changed."""
    db[table].insert({column: row_id, "at": iso(now), "by": by, "action": action,
                      "note": note, "fields": json.dumps(fields or [])})


def history_in(db: Database, table: str, column: str, row_id: int) -> list[dict[str, Any]]:
    """The steps of one row's history, latest first, with the name of who took each."""
    rows = db.query(
        f"select h.*, coalesce(nullif(u.name, ''), u.email) as by_name from {table} h"
        f" left join users u on u.id = h.by where h.{column} = ?"
        " order by h.at desc, h.id desc", [row_id])
    return [{**r, "fields": json.loads(r["fields"] or "[]")} for r in rows]


# -- translations ----------------------------------------------------------------------------

def set_translation(db: Database, idea_id: int, language: str, values: dict[str, str], *,
                    source: str, now: datetime, by: int | None) -> list[str]:
    """Store translated fields (empty ones are removed); return the fields saved."""
    saved = []
    for name in TRANSLATABLE:
        text = values.get(name, "")
        if text:
            db["idea_translations"].upsert(
                {"idea_id": idea_id, "language": language, "field": name, "text": text,
                 "source": source, "updated_at": iso(now), "updated_by": by},
                pk=("idea_id", "language", "field"))
            saved.append(name)
        elif name in values:
            db.execute("delete from idea_translations where idea_id = ? and language = ?"
                       " and field = ?", [idea_id, language, name])
    reindex(db, idea_id)
    return saved


def check_translation(idea: dict[str, Any], language: str, source: str) -> None:
    """A translation is of a published idea (else ``NotFound``), into another language than
    the original's, by a person or a machine (else ``ValidationError``)."""
    if idea["status"] != "published" or idea["revision_of"]:
        raise NotFound("No such idea.")
    errors: dict[str, str] = {}
    if language not in LANGUAGES or language == idea["language"]:
        errors["language"] = Message(N_("Choose a language other than the original."))
    if source not in SOURCES:
        errors["source"] = Message(N_("Say whether a person or a machine translated it."))
    if errors:
        raise ValidationError(errors)


def translate(db: Database, idea: dict[str, Any], language: str, values: dict[str, str], *,
              source: str, now: datetime, by: int | None, note: str = "") -> list[str]:
    """Save a translation of a published idea and note it in the idea's history, in one
    transaction; return the fields saved (an empty field removes its translation).

    Drafts and review copies are not translated (``NotFound``); ``ValidationError`` names
    ``language`` (not offered, or the original's) and ``source`` (``SOURCES``). ``note`` is
    the history's note (the language's name as the translator reads it; else its code).
    """
    check_translation(idea, language, source)
    cleaned = {name: clean_text(values.get(name, "")) for name in TRANSLATABLE}
    with db.atomic():
        saved = set_translation(db, idea["id"], language, cleaned, source=source, now=now,
                                by=by)
        record(db, idea["id"], "translated", by=by, now=now, note=note or language,
               fields=saved)
    return saved


def translation_form(db: Database, idea: dict[str, Any], language: str
                     ) -> tuple[dict[str, str], str]:
    """The translated fields in ``language`` as a form shows them, and their source."""
    existing = translations(db, [idea["id"]])[idea["id"]].get(language, {})
    values = {name: existing.get(name, {}).get("text", "") for name in TRANSLATABLE}
    return values, next((v["source"] for v in existing.values()), "human")


def translations(db: Database, idea_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """{idea id: {language: {field: {"text", "source"}}}} for the given ideas."""
    out: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in idea_ids}
    if not idea_ids:
        return out
    marks = ",".join("?" * len(idea_ids))
    for r in db.query(f"select * from idea_translations where idea_id in ({marks})", idea_ids):
        out[r["idea_id"]].setdefault(r["language"], {})[r["field"]] = {
            "text": r["text"], "source": r["source"]}
    return out


# -- the search index ------------------------------------------------------------------------

def reindex(db: Database, idea_id: int) -> None:
    """Bring the full-text and facet rows of one idea in line with its row."""
    facet_index.bump(db)
    db.execute("delete from idea_facets where idea_id = ?", [idea_id])
    db.execute("delete from ideas_fts where rowid = ?", [idea_id])
    db.execute("delete from ideas_fts_stems where rowid = ?", [idea_id])
    rows = list(db.query("select * from ideas where id = ?", [idea_id]))
    if not rows:
        return
    idea = decode(rows[0])
    if idea["status"] != "published" or idea["revision_of"] is not None:
        return
    texts = list(db.query("select language, field, text from idea_translations"
                          " where idea_id = ?", [idea_id]))
    languages = sorted({idea["language"]} | {t["language"] for t in texts})
    has_stories = bool(list(db.query(
        "select 1 from case_story_ideas l cross join case_stories s on s.id = l.story_id"
        " where l.idea_id = ? and s.status = 'published' limit 1", [idea_id])))
    facets: list[tuple[str, str]] = [
        ("class", idea["class"]), ("subclass", idea["subclass"]), ("risk", idea["risk"]),
        ("cost", idea["cost"]), ("people", idea["people"]), ("mode", idea["mode"]),
        ("completeness", idea["completeness"]), ("stories", "yes" if has_stories else "no"),
        *(("theme", t) for t in idea["themes"]), *(("tag", t) for t in idea["tags"]),
        *(("language", lang) for lang in languages),
    ]
    db["idea_facets"].insert_all(
        [{"idea_id": idea_id, "facet": f, "value": v} for f, v in facets if v],
        ignore=True)
    db.execute(
        "insert into ideas_fts (rowid, title, summary, body, tags, translations)"
        " values (?, ?, ?, ?, ?, ?)",
        [idea_id, idea["title"], idea["summary"] or "", idea["body"] or "",
         " ".join(idea["tags"] + idea["themes"]), "\n".join(t["text"] for t in texts)])
    db.execute(f"insert into ideas_fts_stems (rowid, {', '.join(words.STEM_COLUMNS)})"
               " values (?, ?, ?, ?, ?, ?, ?, ?)", [idea_id, *words.stem_row(idea, texts)])


def reindex_all(db: Database) -> int:
    """Rebuild the whole index (after a bulk load); return how many ideas are searchable."""
    facet_index.bump(db)  # even when no idea is left to reindex
    db.execute("delete from idea_facets")
    db.execute("delete from ideas_fts")
    db.execute("delete from ideas_fts_stems")
    for row in list(db.query("select id from ideas where status = 'published'"
                             " and revision_of is null")):
        reindex(db, row["id"])
    return int(next(db.query("select count(*) as n from ideas_fts"))["n"])
