"""The database: connection settings, migrations, upgrades, backups."""

from __future__ import annotations

from pathlib import Path

from juntos import db as database
from juntos import house
from juntos.db import Database
from juntos.organisations import migrations as org_migrations


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = database.connect(tmp_path / "x.db")
    assert next(db.query("pragma journal_mode"))["journal_mode"] == "wal"
    assert next(db.query("pragma foreign_keys"))["foreign_keys"] == 1
    assert next(db.query("pragma busy_timeout"))["timeout"] == database.BUSY_TIMEOUT_MS


def test_migrate_applies_everything_once(tmp_path: Path) -> None:
    db = database.connect(tmp_path / "x.db")
    first = house.migrate(db)
    assert "juntos.organisations:m001_organisations" in first
    assert "juntos.accounts:m001_users" in first
    assert house.migrate(db) == []
    assert database.pending_migrations(db, house.migrations()) == []


def test_an_older_database_upgrades_without_losing_rows(tmp_path: Path) -> None:
    """A database made before later migrations existed keeps its rows after `juntos init`."""
    path = tmp_path / "old.db"
    old = database.connect(path)
    org_migrations.migrations.apply(old, stop_before="m002_memberships")
    old["organisations"].insert({"slug": "old-org", "name": "Old Org", "kind": "cso"})
    old.close()

    db = house.open_db(path)
    assert [r["slug"] for r in db.query("select slug from organisations")] == ["old-org"]
    assert db["memberships"].exists()
    assert db["users"].exists()
    assert database.pending_migrations(db, house.migrations()) == []


def test_foreign_keys_are_enforced(db: Database) -> None:
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        db["memberships"].insert({"member_id": 999, "network_id": 998})


def test_backup_is_a_consistent_readable_copy(db: Database, org_a: dict, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "backup.db"
    database.backup(db, target)
    copy = Database(target)
    assert [r["slug"] for r in copy.query("select slug from organisations")] == ["org-a"]
