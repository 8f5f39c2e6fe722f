"""Reading every refreshable source again, then forgetting long-deleted events: what
``juntos calendar sync`` does at once and the server does every ``calendar_sync_minutes``
(a runner task declared in the manifest)."""

from __future__ import annotations

import logging
from datetime import datetime

from juntos import db as database
from juntos.calendar import kinds, store
from juntos.calendar.kinds import SyncResult
from juntos.db import Database
from juntos.runner import TaskContext

log = logging.getLogger("juntos.calendar")


def refresh(db: Database, *, now: datetime,
            allow_private: bool = False) -> tuple[list[SyncResult], int]:
    """Every source read again, and how many old deleted events were purged."""
    results = kinds.refresh_all(db, now=now, allow_private=allow_private)
    return results, store.purge(db, now=now)


def run(ctx: TaskContext) -> None:
    """One round of the server's periodic sync, on its own connection."""
    db = database.connect(ctx.settings.db_path)
    try:
        results, _ = refresh(db, now=ctx.clock(),
                             allow_private=ctx.settings.calendar_private_feeds)
    finally:
        db.close()
    failed = [r.label for r in results if r.error]
    log.info("Calendar: %d subscription(s) synced, %d failed.", len(results), len(failed))
