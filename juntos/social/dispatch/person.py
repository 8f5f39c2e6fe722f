"""When the platform cannot tell whether a post went out, a person looks and decides."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.social import platforms
from juntos.social.dispatch.common import immediate, move
from juntos.social.models import NEEDS_CHECK, SCHEDULED, SENT


def resend(db: Database, post_id: int, *, now: datetime, by: int | None) -> None:
    """A person looked and the post is not on the platform: send it again."""
    _person(db, post_id, SCHEDULED, now, by, "checked by a person: not on the platform; resend",
            {"check_state": "", "next_attempt_at": None, "error": None})


def mark_sent(db: Database, post_id: int, *, url: str = "", now: datetime,
              by: int | None) -> None:
    """A person found the post on the platform (its address, if given, must be https)."""
    url = url.strip()
    if url and not url.startswith("https://"):
        raise ValidationError({"url": "The post's address starts with https://."})
    row = db.conn.execute("select platform from social_posts where id = ?", [post_id]).fetchone()
    found = platforms.get(row[0]).post_id_from_url(url) if row and url else ""
    _person(db, post_id, SENT, now, by, "checked by a person: it is on the platform",
            {"check_state": "", "error": None, "platform_url": url or None,
             **({"platform_post_id": found} if found else {})})


def _person(db: Database, post_id: int, new: str, now: datetime, by: int | None, comment: str,
            sets: dict[str, Any]) -> None:
    at = iso(now)
    with immediate(db):
        row = db.conn.execute("select status from social_posts where id = ?",
                              [post_id]).fetchone()
        if row is None:
            raise NotFound(f"No post {post_id}.")
        if row[0] != NEEDS_CHECK:
            raise Conflict("Only a post that needs checking can be resent or marked sent here.")
        if not move(db, post_id, NEEDS_CHECK, new, at, comment, sets):
            raise Conflict("This post changed meanwhile. Reload the page and try again.")
        db.conn.execute("update social_post_events set user_id = ? where id ="
                        " (select max(id) from social_post_events where post_id = ?)",
                        [by, post_id])


def attempts(db: Database, post_id: int) -> list[dict[str, Any]]:
    """Every attempt on a post, oldest first, for its history."""
    return list(db.query("select * from social_post_attempts where post_id = ? order by id",
                         [post_id]))
