"""Case stories: how an action went, kept apart from the reusable idea and linked to ideas.

A pseudonymous story (about activists at risk) stores no organisation and no precise place,
only a region: what is never stored cannot leak.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from juntos.accounts.store import User
from juntos.catalogue import store
from juntos.catalogue.models import StoryInput, clean_text
from juntos.catalogue.moderation import is_established
from juntos.clock import iso
from juntos.errors import Conflict, Forbidden, NotFound, ValidationError


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "links": json.loads(row.get("links") or "[]")}


def get(db: Database, story_id: int) -> dict[str, Any]:
    rows = list(db.query(
        "select s.*, o.name as organisation_name, o.slug as organisation_slug"
        " from case_stories s left join organisations o on o.id = s.organisation_id"
        " where s.id = ?", [story_id]))
    if not rows:
        raise NotFound("No such case story.")
    story = _decode(rows[0])
    story["ideas"] = list(db.query(
        "select i.slug, i.title, l.reason, l.phase, i.status, i.revision_of from case_story_ideas l"
        " join ideas i on i.id = l.idea_id where l.story_id = ? order by i.title", [story_id]))
    return story


def create(db: Database, data: StoryInput, *, user: User, now: datetime,
           status: str | None = None) -> dict[str, Any]:
    """Save a story; it waits for review unless its author is an established contributor."""
    if user.role not in ("coordinator", "member"):
        raise Forbidden("Viewers cannot add case stories.")
    links = []
    for slug, reason, phase in data.ideas:
        rows = list(db.query("select id from ideas where slug = ? and status = 'published'"
                             " and revision_of is null", [slug]))
        if not rows:
            raise ValidationError({"ideas": f"No published idea {slug!r}."})
        links.append({"idea_id": rows[0]["id"], "reason": reason, "phase": phase})
    status = status or ("published" if is_established(db, user) else "draft")
    stamp = iso(now)
    with db.atomic():
        story_id = db["case_stories"].insert({
            "title": data.title, "happened_on": data.happened_on, "place": data.place,
            "region": data.region, "country": data.country,
            "organisation_id": None if data.pseudonymous else user.organisation_id,
            "pseudonymous": int(data.pseudonymous), "what_happened": data.what_happened,
            "outcome": data.outcome, "outcome_why": data.outcome_why, "lessons": data.lessons,
            "links": data.links, "campaign_id": data.campaign_id, "language": data.language,
            "status": status, "review_note": "", "created_at": stamp, "created_by": user.id,
            "updated_at": stamp, "updated_by": user.id,
            "published_at": stamp if status == "published" else None,
        }).last_pk
        for link in links:
            db["case_story_ideas"].insert({"story_id": story_id, **link})
            if status == "published":
                store.reindex(db, link["idea_id"])
    return get(db, story_id)


def set_status(db: Database, story: dict[str, Any], status: str, *, user: User,
               now: datetime, note: str = "") -> dict[str, Any]:
    """Publish or reject a story (coordinators); a rejection needs a note."""
    if not user.is_coordinator:
        raise Forbidden("Only coordinators publish or reject.")
    note = clean_text(note)
    if status == "rejected" and not note:
        raise ValidationError({"note": "Say why, so the contributor can improve it."})
    if status == "published" and story["status"] == "published":
        raise Conflict("This story is already published.")
    with db.atomic():
        db["case_stories"].update(story["id"], {
            "status": status, "review_note": note, "updated_at": iso(now),
            "updated_by": user.id,
            "published_at": story["published_at"] or (iso(now) if status == "published"
                                                      else None)})
        for link in db.query("select idea_id from case_story_ideas where story_id = ?",
                             [story["id"]]):
            store.reindex(db, link["idea_id"])
    return get(db, story["id"])


def for_idea(db: Database, idea_id: int) -> list[dict[str, Any]]:
    """Published stories linked to an idea, most recent first, with the link's reason."""
    return [_decode(r) for r in db.query(
        "select s.id, s.title, s.happened_on, s.place, s.region, s.country, s.pseudonymous,"
        " s.outcome, s.outcome_why, s.lessons, s.links, l.reason, l.phase,"
        " o.name as organisation_name from case_story_ideas l"
        " cross join case_stories s on s.id = l.story_id"
        " left join organisations o on o.id = s.organisation_id"
        " where l.idea_id = ? and s.status = 'published' order by s.happened_on desc", [idea_id])]


def pending(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "select s.id, s.title, s.created_at, coalesce(nullif(u.name, ''), u.email) as author"
        " from case_stories s left join users u on u.id = s.created_by"
        " where s.status = 'draft' order by s.created_at, s.id"))


def by_author(db: Database, user_id: int) -> list[dict[str, Any]]:
    return list(db.query("select id, title, status, review_note, updated_at from case_stories"
                         " where created_by = ? order by updated_at desc", [user_id]))
