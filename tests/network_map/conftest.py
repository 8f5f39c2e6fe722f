"""Fixtures of the network map tests: the demo coalition with its ties, in a fresh database.

The demo (about 270 organisations, their ties and a layout) is built once per session and
copied into each test's own database file with SQLite's backup API: same data, no rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from juntos import db as database
from juntos import demo, house
from juntos.db import Database
from tests.support.clock import FrozenClock


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("network-demo") / "demo.db"
    conn = house.open_db(path)
    demo.load(conn, house.areas(), now=FrozenClock()())
    conn.close()
    return path


@pytest.fixture
def demo_db(db: Database, demo_template: Path) -> Database:
    source = database.connect(demo_template)
    try:
        source.conn.backup(db.conn)
    finally:
        source.close()
    return db
