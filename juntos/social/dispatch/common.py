"""What claiming, recording and the worker share: settings, the claimed post, and the one way a
post's state changes here (compare-and-set, with a history row)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from juntos.db import Database
from juntos.settings import Settings
from juntos.social import platforms
from juntos.social.models import check_transition
from juntos.social.platforms.outcomes import Job

log = logging.getLogger("juntos.dispatch")

#: Automatic reconciliation attempts before a person is asked.
MAX_CHECKS = 5
AUTO, PERSON = "auto", "person"
SEND, RECONCILE = "send", "reconcile"


def _ceilings() -> dict[str, int]:
    """Posts in flight per platform, across all workers (each account: one at a time)."""
    return {p.id: p.ceiling for p in platforms.posting()}


@dataclass(frozen=True)
class Config:
    missed_after: timedelta = timedelta(hours=2)
    #: Renewed by the worker's heartbeat every third of it, so it can be short: a dead
    #: worker's posts are checked within a minute.
    lease: timedelta = timedelta(seconds=30)
    #: The client's timeout on every platform call.
    timeout: timedelta = timedelta(seconds=30)
    settle_after: timedelta | None = None  # None: see ``settle``
    concurrency: int = 64
    max_attempts: int = 8
    backoff_base: timedelta = timedelta(seconds=15)
    backoff_max: timedelta = timedelta(minutes=15)
    platform_limits: dict[str, int] = field(default_factory=_ceilings)
    poll_seconds: float = 1.0

    @property
    def settle(self) -> timedelta:
        """After an unknown outcome, how long from the start of its request before anyone
        looks or resends: by then the request can no longer be running on the server (twice
        the client timeout, at least a minute; servers and their proxies give up sooner)."""
        if self.settle_after is not None:
            return self.settle_after
        return max(timedelta(seconds=60), 2 * self.timeout)

    @property
    def heartbeat(self) -> float:
        """Seconds between lease renewals of the posts a worker has in flight."""
        return max(0.5, self.lease.total_seconds() / 3)

    @classmethod
    def from_settings(cls, settings: Settings) -> Config:
        return cls(missed_after=timedelta(minutes=settings.dispatch_missed_after_minutes),
                   lease=timedelta(seconds=settings.dispatch_lease_seconds),
                   timeout=timedelta(seconds=settings.dispatch_timeout_seconds),
                   settle_after=(timedelta(seconds=settings.dispatch_settle_seconds)
                                 if settings.dispatch_settle_seconds > 0 else None),
                   concurrency=max(1, settings.dispatch_concurrency))


@dataclass(frozen=True, kw_only=True)
class Claimed:
    """A post this worker now owns until ``lease_until``."""

    job: Job
    action: str  # send | reconcile
    account_id: int
    wave_id: int | None
    scheduled_at: str
    attempts: int
    checks: int
    claimed_at: datetime | None = None  # when this attempt's request could first have left


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """A write transaction that takes SQLite's write lock at BEGIN, not at the first write, so
    what we read inside it cannot change before we write (the database's one helper)."""
    with db.atomic():
        yield


def event(db: Database, post_id: int, at: str, old: str, new: str, comment: str) -> None:
    db.conn.execute(
        "insert into social_post_events (post_id, at, from_status, to_status, user_id, comment)"
        " values (?, ?, ?, ?, null, ?)", [post_id, at, old, new, comment[:500]])


def attempt(db: Database, post_id: int, at: str, worker: str, action: str, outcome: str,
            code: int | None, detail: str) -> None:
    db.conn.execute(
        "insert into social_post_attempts (post_id, at, worker, action, outcome, code, detail)"
        " values (?, ?, ?, ?, ?, ?, ?)", [post_id, at, worker, action, outcome, code,
                                          detail[:500]])


def move(db: Database, post_id: int, old: str, new: str, at: str, comment: str,
         sets: dict[str, Any] | None = None, claimed_by: str | None = None) -> bool:
    """Compare-and-set a post's status; False if it was no longer ``old`` (someone else won)."""
    check_transition(old, new)
    sets = {"status": new, "updated_at": at, **(sets or {})}
    sql = (f"update social_posts set {', '.join(f'{k} = ?' for k in sets)},"
           " version = version + 1, sequence = sequence + 1 where id = ? and status = ?")
    params = [*sets.values(), post_id, old]
    if claimed_by is not None:
        sql += " and claimed_by = ?"
        params.append(claimed_by)
    if db.conn.execute(sql, params).rowcount != 1:
        return False
    event(db, post_id, at, old, new, comment)
    return True


def end(db: Database, post_id: int, old: str, new: str, at: str, reason: str) -> None:
    """A waiting post that ends without being sent (missed, or failed because of another
    post): its status and reason, with a history row; nothing if it changed meanwhile."""
    db.conn.execute(
        "update social_posts set status = ?, error = ?, updated_at = ?, version = version + 1,"
        " sequence = sequence + 1 where id = ? and status = ?", [new, reason, at, post_id, old])
    event(db, post_id, at, old, new, reason)


def hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
