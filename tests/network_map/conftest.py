"""Fixtures of the network map tests: the demo coalition with its ties, in a fresh database."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from juntos import demo
from tests.support.clock import FrozenClock


@pytest.fixture
def demo_db(db: Database, clock: FrozenClock) -> Database:
    demo.load(db, now=clock())
    return db
