"""Values drawn from every organisation (counts, the countries and themes in use, the
networks), read once per change of organisations rather than on every page view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from juntos.db import Database
from juntos.organisations import store

T = TypeVar("T")


class OrganisationMemo:
    """One per app (``app.state.organisation_memo``): each value is read at most once per
    ``store.version`` (the change counter every write to organisations bumps, whoever
    writes). They are the same for every reader: nothing here depends on who asks."""

    def __init__(self) -> None:
        self._held: tuple[int, dict[Callable[[Database], Any], Any]] = (-1, {})

    def version(self, db: Database) -> int:
        """What keys anything drawn from these values (``fragment`` in templates)."""
        return store.version(db)

    def get(self, db: Database, read: Callable[[Database], T]) -> T:
        """``read(db)``, or what it returned at the current version."""
        version = store.version(db)
        held = self._held  # one read: another thread may replace it, never change it half-way
        if held[0] != version:
            held = (version, {})
            self._held = held
        if read not in held[1]:
            # Read after the version: at worst a value newer than its version, never older.
            held[1][read] = read(db)
        return held[1][read]
