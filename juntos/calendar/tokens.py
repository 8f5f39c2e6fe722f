"""Per-user secret tokens for private feeds (``/calendar/feeds/{token}.ics``).

A token is 12 characters of selector (looked up through an index) followed by 128 random bits;
the whole token is then compared with ``hmac.compare_digest`` so a guess learns nothing from
timing. Regenerating replaces it; revoking removes it, and the old address answers 404.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from sqlite_utils import Database

from juntos.clock import iso

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


def ensure(db: Database, user_id: int, *, now: datetime) -> str:
    return current(db, user_id) or regenerate(db, user_id, now=now)


def revoke(db: Database, user_id: int) -> None:
    db.execute("delete from calendar_feed_tokens where user_id = ?", [user_id])


def user_for(db: Database, token: str) -> int | None:
    """The user id a token belongs to, or ``None``; constant time in the secret part."""
    if len(token) < SELECTOR_LENGTH + 20 or len(token) > 100:
        return None
    rows = list(db.query("select user_id, token from calendar_feed_tokens where selector = ?",
                         [token[:SELECTOR_LENGTH]]))
    if not rows:
        hmac.compare_digest(token, token)  # same work whether or not the selector exists
        return None
    if hmac.compare_digest(rows[0]["token"].encode(), token.encode()):
        return int(rows[0]["user_id"])
    return None
