"""Translations go through the same review as edits.

A coordinator's translation of a published idea is saved at once (as a coordinator's edit
is); anyone else's waits as a proposal, one per idea, language and translator (saving again
replaces it), until a coordinator accepts it (it then becomes the idea's translation) or sends
it back with a note. Every step is kept in the idea's history.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from juntos.accounts.store import User
from juntos.catalogue import store
from juntos.catalogue.models import TRANSLATABLE, clean_text
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Forbidden, NotFound, ValidationError


def submit(db: Database, idea: dict[str, Any], language: str, values: dict[str, str], *,
           source: str, user: User, now: datetime, note: str = "") -> str:
    """Save (a coordinator) or propose (anyone else) a translation: ``"saved"`` or
    ``"review"``. The same checks as ``store.translate`` apply before anything waits."""
    if user.role not in ("coordinator", "member"):
        raise Forbidden("Viewers cannot translate.")
    if user.is_coordinator:
        store.translate(db, idea, language, values, source=source, now=now, by=user.id,
                        note=note)
        return "saved"
    store.check_translation(idea, language, source)
    cleaned = {name: clean_text(values.get(name, "")) for name in TRANSLATABLE}
    with db.atomic():
        db["idea_translation_proposals"].upsert(
            {"idea_id": idea["id"], "language": language, "fields": json.dumps(cleaned),
             "source": source, "proposed_by": user.id, "proposed_at": iso(now)},
            pk=("idea_id", "language", "proposed_by"))
        store.record(db, idea["id"], "translation proposed", by=user.id, now=now,
                     note=note or language, fields=[k for k, v in cleaned.items() if v])
    return "review"


def pending(db: Database) -> list[dict[str, Any]]:
    """Proposed translations waiting for a coordinator, oldest first."""
    return [r | {"fields": json.loads(r["fields"])} for r in db.query(
        "select p.*, i.slug, i.title, coalesce(nullif(u.name, ''), u.email) as author"
        " from idea_translation_proposals p join ideas i on i.id = p.idea_id"
        " left join users u on u.id = p.proposed_by order by p.proposed_at, p.id")]


def _proposal(db: Database, proposal_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from idea_translation_proposals where id = ?",
                         [proposal_id]))
    if not rows:
        raise NotFound("No such translation waiting.")
    return rows[0] | {"fields": json.loads(rows[0]["fields"])}


def accept(db: Database, proposal_id: int, *, user: User, now: datetime) -> dict[str, Any]:
    """Make a proposal the idea's translation (coordinators only); returns the idea."""
    if not user.is_coordinator:
        raise Forbidden("Only coordinators accept translations.")
    proposal = _proposal(db, proposal_id)
    idea = store.get_by_id(db, proposal["idea_id"])
    with db.atomic():
        store.translate(db, idea, proposal["language"], proposal["fields"],
                        source=proposal["source"], now=now, by=proposal["proposed_by"],
                        note=proposal["language"])
        store.record(db, idea["id"], "translation accepted", by=user.id, now=now,
                     note=proposal["language"])
        db.execute("delete from idea_translation_proposals where id = ?", [proposal_id])
    return idea


def reject(db: Database, proposal_id: int, *, user: User, now: datetime,
           note: str) -> dict[str, Any]:
    """Send a proposal back with a note saying why (coordinators only); returns the idea."""
    if not user.is_coordinator:
        raise Forbidden("Only coordinators reject translations.")
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": "Say why, so the translator can improve it."})
    proposal = _proposal(db, proposal_id)
    with db.atomic():
        store.record(db, proposal["idea_id"], "translation rejected", by=user.id, now=now,
                     note=note)
        db.execute("delete from idea_translation_proposals where id = ?", [proposal_id])
    return store.get_by_id(db, proposal["idea_id"])
