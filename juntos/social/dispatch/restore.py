"""After a restore from backup: posts that were due or in flight since the backup was taken may
have been sent by the database that was replaced. They are settled as unknown outcomes (looked
for on the platform, or handed to a person), never sent again blindly."""

from __future__ import annotations

from datetime import datetime

from juntos.clock import iso
from juntos.db import Database
from juntos.social.dispatch.common import AUTO, immediate, move
from juntos.social.models import APPROVED, NEEDS_CHECK, SCHEDULED, SENDING


def settle_after_restore(db: Database, now: datetime) -> int:
    """Move every post due by ``now`` (approved, scheduled) or in flight (sending) to an
    automatic check; return how many.

    The key window is counted from the post's time when it has no first attempt here: the
    replaced database cannot have sent it earlier, so a resend with its key inside the window
    is recognised by Mastodon if it was sent, and makes it once if it was not."""
    at = iso(now)
    reason = ("restored from a backup: this post may have been sent after the backup was"
              " taken; checking the platform before anything is sent")
    with immediate(db):
        rows = db.conn.execute(
            "select id, status, coalesce(first_sent_at, scheduled_at) from social_posts"
            " where (status in (?, ?) and scheduled_at <= ?) or status = ?",
            [APPROVED, SCHEDULED, at, SENDING]).fetchall()
        for post_id, status, first in rows:
            move(db, post_id, status, NEEDS_CHECK, at, reason, {
                "check_state": AUTO, "first_sent_at": first, "lease_until": None,
                "claimed_by": None, "next_attempt_at": at, "error": reason})
    return len(rows)
