"""Contribution and review: what happens when someone proposes, edits, publishes or rejects.

- A new contributor's ideas and case stories wait for review (status ``draft``).
- An established contributor (``ESTABLISHED_AFTER`` published entries) publishes new entries
  directly, but an edit to a published idea by anyone but a coordinator becomes a *review
  copy*: the published text stays until a coordinator accepts the copy.
- Coordinators publish, edit directly, or reject with a note the contributor sees.
Every step is kept in the idea's history (who, when, what).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.accounts.store import User
from juntos.catalogue import store
from juntos.catalogue.models import IdeaInput, clean_text
from juntos.db import Database
from juntos.errors import Conflict, Forbidden, ValidationError

#: Published entries after which a member's new entries no longer wait for review.
ESTABLISHED_AFTER = 3


def published_count(db: Database, user_id: int) -> int:
    ideas = next(db.query("select count(*) as n from ideas where created_by = ? and"
                          " status = 'published' and revision_of is null", [user_id]))["n"]
    stories = next(db.query("select count(*) as n from case_stories where created_by = ?"
                            " and status = 'published'", [user_id]))["n"]
    return int(ideas) + int(stories)


def is_established(db: Database, user: User) -> bool:
    return user.is_coordinator or published_count(db, user.id) >= ESTABLISHED_AFTER


def propose(db: Database, data: IdeaInput, *, user: User, now: datetime) -> dict[str, Any]:
    """A new idea: published at once for established contributors, else waiting for review."""
    if user.role not in ("coordinator", "member"):
        raise Forbidden("Viewers cannot propose ideas.")
    status = "published" if is_established(db, user) else "draft"
    with db.atomic():
        idea = store.insert(db, data, status=status, now=now, by=user.id,
                            organisation_id=user.organisation_id)
        store.record(db, idea["id"], "published" if status == "published" else "proposed",
                     by=user.id, now=now)
    return idea


def edit(db: Database, idea: dict[str, Any], data: IdeaInput, *, user: User,
         now: datetime) -> tuple[dict[str, Any], str]:
    """Apply an edit; return the idea that now holds it and what happened.

    Outcomes: ``"saved"`` (changed in place) or ``"review"`` (a review copy waits for a
    coordinator; the published idea is unchanged).
    """
    published = idea["status"] == "published" and idea["revision_of"] is None
    with db.atomic():
        if user.is_coordinator or not published:
            if not user.is_coordinator and idea["created_by"] != user.id:
                raise Forbidden("Only the contributor or a coordinator may edit this draft.")
            changed = store.update(db, idea["id"], data, now=now, by=user.id)
            if idea["status"] == "rejected":
                store.set_status(db, idea["id"], "draft", now=now, by=user.id)
                store.record(db, idea["id"], "resubmitted", by=user.id, now=now, fields=changed)
            else:
                store.record(db, idea["id"], "edited", by=user.id, now=now, fields=changed)
            return store.get_by_id(db, idea["id"]), "saved"
        existing = list(db.query(
            "select id from ideas where revision_of = ? and created_by = ? and status = 'draft'",
            [idea["id"], user.id]))
        if existing:
            copy_id = existing[0]["id"]
            changed = store.update(db, copy_id, data, now=now, by=user.id)
        else:
            count = next(db.query("select count(*) as n from ideas where revision_of = ?",
                                  [idea["id"]]))["n"]
            copy = store.insert(db, _without_number(data), status="draft", now=now,
                                by=user.id, organisation_id=user.organisation_id,
                                revision_of=idea["id"],
                                slug=f"{idea['slug']}-review-{int(count) + 1}-{user.id}")
            copy_id = copy["id"]
            changed = [k for k, v in data.row().items()
                       if k not in ("slug", "method_number") and idea.get(k) != v]
        store.record(db, idea["id"], "revision proposed", by=user.id, now=now, fields=changed)
        return store.get_by_id(db, copy_id), "review"


def _without_number(data: IdeaInput) -> IdeaInput:
    return data.model_copy(update={"method_number": None})


def publish(db: Database, idea: dict[str, Any], *, user: User, now: datetime,
            note: str = "") -> dict[str, Any]:
    """Publish a draft, or merge a review copy into the idea it revises. Coordinators only."""
    if not user.is_coordinator:
        raise Forbidden("Only coordinators publish.")
    if idea["status"] == "published" and idea["revision_of"] is None:
        raise Conflict("This idea is already published.")
    note = clean_text(note)
    with db.atomic():
        if idea["revision_of"] is not None:
            original = store.get_by_id(db, idea["revision_of"])
            data = IdeaInput.validated(**{**idea, "slug": original["slug"],
                                          "method_number": original["method_number"]})
            changed = store.update(db, original["id"], data, now=now, by=user.id)
            author = idea["created_by"]
            store.delete(db, idea["id"])
            store.record(db, original["id"], "revision accepted", by=user.id, now=now,
                         note=note, fields=changed)
            if author is not None:
                store.record(db, original["id"], "revised", by=author, now=now,
                             fields=changed)
            return store.get_by_id(db, original["id"])
        store.set_status(db, idea["id"], "published", now=now, by=user.id, note=note)
        store.record(db, idea["id"], "published", by=user.id, now=now, note=note)
        return store.get_by_id(db, idea["id"])


def reject(db: Database, idea: dict[str, Any], *, user: User, now: datetime,
           note: str) -> dict[str, Any]:
    """Send an entry back with a note saying why (required: the contributor needs to know)."""
    if not user.is_coordinator:
        raise Forbidden("Only coordinators reject.")
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": "Say why, so the contributor can improve it."})
    with db.atomic():
        store.set_status(db, idea["id"], "rejected", now=now, by=user.id, note=note)
        target = idea["revision_of"] or idea["id"]
        store.record(db, target, "revision rejected" if idea["revision_of"] else "rejected",
                     by=user.id, now=now, note=note)
    return store.get_by_id(db, idea["id"])


def review_queue(db: Database) -> list[dict[str, Any]]:
    """Entries waiting for a coordinator: new ideas and review copies, oldest first."""
    return [store.decode(r) for r in db.query(
        "select i.*, o.slug as original_slug, o.title as original_title,"
        " coalesce(nullif(u.name, ''), u.email) as author"
        " from ideas i left join ideas o on o.id = i.revision_of"
        " left join users u on u.id = i.created_by"
        " where i.status = 'draft' order by i.created_at, i.id")]


def contributions(db: Database, user_id: int) -> list[dict[str, Any]]:
    """A contributor's own entries with their status and any review note."""
    return [store.decode(r) for r in db.query(
        "select i.*, o.slug as original_slug, o.title as original_title from ideas i"
        " left join ideas o on o.id = i.revision_of where i.created_by = ?"
        " order by i.updated_at desc, i.id desc", [user_id])]
