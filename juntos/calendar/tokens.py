"""Per-user secret tokens for private feeds (``/calendar/feeds/{token}.ics``).

A token is 12 characters of selector (looked up through an index) followed by 128 random bits;
the whole token is then compared with ``hmac.compare_digest`` so a guess learns nothing from
timing. Regenerating replaces it; revoking removes it, and the old address answers 404.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from juntos.accounts.store import User
from juntos.clock import iso
from juntos.db import Database

SELECTOR_LENGTH = 12
SECRET_BYTES = 16  # 128 bits


def current(db: Database, user_id: int) -> str | None:
    rows = list(db.query("select token from calendar_feed_tokens where user_id = ?", [user_id]))
    return rows[0]["token"] if rows else None


def regenerate(db: Database, user_id: int, *, now: datetime) -> str:
    """A new token for the user; any earlier one stops working at once."""
    selector = secrets.token_hex(SELECTOR_LENGTH // 2)
    token = selector + secrets.token_urlsafe(SECRET_BYTES)
    db["calendar_feed_tokens"].upsert(
        {"user_id": user_id, "selector": selector, "token": token, "created_at": iso(now)},
        pk="user_id",
    )
    return token


def revoke(db: Database, user_id: int) -> None:
    db.execute("delete from calendar_feed_tokens where user_id = ?", [user_id])


def owner(db: Database, token: str) -> tuple[User, str] | None:
    """The active user a token belongs to and their organisation's time zone, in one query
    (feeds are polled constantly, so this path stays short); ``None`` for any bad token."""
    if len(token) < SELECTOR_LENGTH + 20 or len(token) > 100:
        return None
    row = db.execute(
        "select t.token, u.id, u.email, u.name, u.organisation_id, u.role, u.language,"
        " o.slug, o.name, o.timezone from calendar_feed_tokens t"
        " join users u on u.id = t.user_id and u.active = 1"
        " join organisations o on o.id = u.organisation_id where t.selector = ?",
        [token[:SELECTOR_LENGTH]]).fetchone()
    if row is None:
        hmac.compare_digest(token, token)
        return None
    if not hmac.compare_digest(row[0].encode(), token.encode()):
        return None
    user = User(id=row[1], email=row[2], name=row[3] or row[2], organisation_id=row[4],
                role=row[5], language=row[6] or "", organisation_slug=row[7],
                organisation_name=row[8])
    return user, row[9] or "UTC"
