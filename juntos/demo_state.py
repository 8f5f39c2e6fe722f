"""Loading the demo step by step, each step all or nothing, so an interrupted load resumes.

Every step (the organisations, the users, one area's loader) runs in one transaction together
with the row that records it done in ``demo_steps``; a ``juntos demo`` killed at any moment
leaves the steps before it complete and nothing of the one it was in. The loaders are
idempotent, so the next ``juntos demo`` simply runs them all again and completes the load.
The table is created here, not by a migration: only databases that hold the demo have it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

from juntos.clock import iso
from juntos.db import Database

TABLE = "demo_steps"
STARTED = "started"

Step = tuple[str, Callable[[], object]]
Status = Literal["absent", "partial", "complete"]


def _ensure_table(db: Database) -> None:
    db.execute(f"create table if not exists {TABLE} (step text primary key, done_at text)")


def _mark(db: Database, step: str, now: datetime) -> None:
    db.execute(f"insert or replace into {TABLE} (step, done_at) values (?, ?)", [step, iso(now)])


def done(db: Database) -> set[str]:
    """The steps recorded as complete (with ``started`` once a load has begun)."""
    if not db[TABLE].exists():
        return set()
    return {row["step"] for row in db.query(f"select step from {TABLE}")}


def status(db: Database, steps: Sequence[str]) -> Status:
    """``absent``: no load ever began; ``partial``: one began and did not finish."""
    recorded = done(db)
    if not recorded:
        return "absent"
    return "complete" if set(steps) <= recorded else "partial"


def run(db: Database, steps: Sequence[Step], *, now: datetime,
        progress: Callable[[str], None] = lambda name: None) -> None:
    """Run every step in order, each in its own transaction with its marker."""
    with db.atomic():
        _ensure_table(db)
        _mark(db, STARTED, now)  # from here on, an interruption shows as "partial"
    for name, step in steps:
        progress(name)
        with db.atomic():
            step()
            _mark(db, name, now)
