"""Demo data of the campaigns area, loaded by `juntos demo` after organisations and users."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: running the demo twice must not duplicate anything."""
