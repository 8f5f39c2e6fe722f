"""Case stories: how an action went, kept apart from the reusable idea and linked to ideas.

A pseudonymous story (about activists at risk) stores no organisation and no precise place,
only a region: what is never stored cannot leak. Turning protection on in an edit erases both
at once; turning it off brings nothing back (there is nothing kept to bring back).

Editing follows the ideas' rules: the author (not their colleagues: a protected story has no
organisation to go by) and coordinators. A coordinator edits in place. An author's edit of a
published story sends it back to review unless the author is an established contributor; an
edit of a rejected story resubmits it. Every step is kept in ``story_history``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.catalogue import store, tactics
from juntos.catalogue.models import StoryInput, clean_text
from juntos.catalogue.moderation import is_established
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, Forbidden, Message, NotFound, ValidationError
from juntos.validation import N_


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


def _links(db: Database, data: StoryInput) -> list[dict[str, Any]]:
    """The idea links as rows; every idea must be a published one (named in the error)."""
    links: list[dict[str, Any]] = []
    for slug, reason, phase in data.ideas:
        rows = list(db.query("select id from ideas where slug = ? and status = 'published'"
                             " and revision_of is null", [slug]))
        if not rows:
            raise ValidationError({"ideas": f"No published idea {slug!r}."})
        if any(link["idea_id"] == rows[0]["id"] for link in links):
            raise ValidationError({"ideas": f"The idea {slug!r} is linked twice."})
        links.append({"idea_id": rows[0]["id"], "reason": reason, "phase": phase})
    return links


def check_campaign(db: Database, user: User, campaign_id: int | None, *,
                   keep: int | None = None) -> None:
    """A story may name only a campaign its editor may see (the campaigns area's rule).

    A hidden campaign and a missing one get the same answer, so the check reveals nothing.
    ``keep`` is the story's current campaign: leaving it as it is stays allowed.
    """
    if campaign_id is None or campaign_id == keep:
        return
    try:
        tactics.visible_campaign(db, user, campaign_id)
    except NotFound:
        raise ValidationError({"campaign_id": Message(N_(
            "Choose one of the campaigns you may see, or none. That campaign cannot be "
            "linked."))}) from None


def may_edit(user: User | None, story: dict[str, Any] | None) -> bool:
    """The author (still a member or coordinator) and coordinators; see the module note."""
    if user is None or story is None or user.role not in (COORDINATOR, MEMBER):
        return False
    return user.role == COORDINATOR or story.get("created_by") == user.id


def record(db: Database, story_id: int, action: str, *, by: int | None, now: datetime,
           note: str = "", fields: list[str] | None = None) -> None:
    """Keep who did what and when, with the moderation note (the page shows this history)."""
    store.record_in(db, "story_history", "story_id", story_id, action, by=by, now=now,
                    note=note, fields=fields)


def history(db: Database, story_id: int) -> list[dict[str, Any]]:
    return store.history_in(db, "story_history", "story_id", story_id)


def _columns(data: StoryInput, organisation_id: int | None) -> dict[str, Any]:
    """The columns a new or edited story sets; a protected story keeps no organisation."""
    return {
        "title": data.title, "happened_on": data.happened_on, "place": data.place,
        "region": data.region, "country": data.country,
        "organisation_id": None if data.pseudonymous else organisation_id,
        "pseudonymous": int(data.pseudonymous), "what_happened": data.what_happened,
        "outcome": data.outcome, "outcome_why": data.outcome_why, "lessons": data.lessons,
        "links": json.dumps(data.links), "campaign_id": data.campaign_id,
        "language": data.language,
    }


def _save_links(db: Database, story_id: int, links: list[dict[str, Any]]) -> None:
    for link in links:
        db["case_story_ideas"].insert({"story_id": story_id, **link})


def create(db: Database, data: StoryInput, *, user: User, now: datetime,
           status: str | None = None) -> dict[str, Any]:
    """Save a story; it waits for review unless its author is an established contributor."""
    if user.role not in ("coordinator", "member"):
        raise Forbidden("Viewers cannot add case stories.")
    links = _links(db, data)
    check_campaign(db, user, data.campaign_id)
    status = status or ("published" if is_established(db, user) else "draft")
    stamp = iso(now)
    with db.atomic():
        story_id = store.inserted(db, "case_stories", {
            **_columns(data, user.organisation_id),
            "status": status, "review_note": "", "created_at": stamp, "created_by": user.id,
            "updated_at": stamp, "updated_by": user.id,
            "published_at": stamp if status == "published" else None,
        })
        _save_links(db, story_id, links)
        if status == "published":
            for link in links:
                store.reindex(db, link["idea_id"])
        record(db, story_id, "published" if status == "published" else "proposed",
               by=user.id, now=now)
    return get(db, story_id)


#: Columns an edit may change, compared to list what changed in the history.
_EDITABLE = ("title", "happened_on", "place", "region", "country", "pseudonymous",
             "organisation_id", "what_happened", "outcome", "outcome_why", "lessons", "links",
             "campaign_id", "language")


def _changed(story: dict[str, Any], row: dict[str, Any], data: StoryInput) -> list[str]:
    """The names of the fields an edit changes (``ideas`` for the idea links)."""
    current = {**story, "links": json.dumps(story["links"])}
    changed = [k for k in _EDITABLE if (current.get(k) or None) != (row[k] or None)]
    old_links = {(i["slug"], i["reason"] or "", i["phase"] or "") for i in story["ideas"]}
    if old_links != set(data.ideas):
        changed.append("ideas")
    return changed


def _after_edit(db: Database, story: dict[str, Any], user: User) -> tuple[str, str]:
    """The status an edit leaves the story in, and the history's word for the edit."""
    if story["status"] == "rejected":
        return "draft", "resubmitted"
    if story["status"] == "published" and not is_established(db, user):
        return "draft", "edited, back to review"
    return story["status"], "edited"


def update(db: Database, story: dict[str, Any], data: StoryInput, *, user: User,
           now: datetime) -> tuple[dict[str, Any], str]:
    """Apply an edit with the same validation as a new story; return the story and what
    happened: ``"saved"`` (status unchanged), ``"review"`` (back to review: an author's edit
    of a published story, or a rejected story resubmitted) or ``"unchanged"``."""
    if not may_edit(user, story):
        raise Forbidden("Only the author or a coordinator may edit this story.")
    links = _links(db, data)
    check_campaign(db, user, data.campaign_id, keep=story["campaign_id"])
    # Protection erases the organisation at once; lifting it restores nothing.
    row = _columns(data, story["organisation_id"])
    changed = _changed(story, row, data)
    if not changed and story["status"] != "rejected":
        return story, "unchanged"
    status, action = _after_edit(db, story, user)
    old_ids = [r["idea_id"] for r in db.query(
        "select idea_id from case_story_ideas where story_id = ?", [story["id"]])]
    with db.atomic():
        db["case_stories"].update(story["id"], {
            **row, "status": status, "updated_at": iso(now), "updated_by": user.id,
            "review_note": "" if status != story["status"] else story["review_note"]})
        db.execute("delete from case_story_ideas where story_id = ?", [story["id"]])
        _save_links(db, story["id"], links)
        for idea_id in sorted(set(old_ids) | {link["idea_id"] for link in links}):
            store.reindex(db, idea_id)
        record(db, story["id"], action, by=user.id, now=now, fields=changed)
    return get(db, story["id"]), ("review" if status != story["status"] else "saved")


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
        record(db, story["id"], status, by=user.id, now=now, note=note)
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
