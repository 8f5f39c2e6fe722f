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


def test_write_transactions_begin_immediate_and_wait_for_the_lock(tmp_path: Path) -> None:
    """A read-then-write in ``atomic()`` holds the write lock from its start, so another
    writer's commit cannot make it fail with "database is locked" (which no busy timeout
    waits out for a deferred transaction); sqlite-utils' inserts go through it too."""
    path = tmp_path / "w.db"
    one, two = database.connect(path), database.connect(path)
    one.execute("create table t (n integer)")
    one.conn.commit()
    traced: list[str] = []
    one.conn.set_trace_callback(traced.append)
    one["t"].insert({"n": 1})
    assert "BEGIN IMMEDIATE" in traced
    with one.atomic():
        one.execute("select count(*) from t").fetchone()
        # Meanwhile the other connection cannot even begin: it waits, then gives up.
        two.conn.execute("PRAGMA busy_timeout = 10")
        try:
            database.begin_immediate(two.conn, tries=2)
        except Exception as e:
            assert database.is_locked(e)
        else:
            raise AssertionError("two writers at once")
        one.execute("insert into t values (2)")
    with two.atomic():  # free again
        two.execute("insert into t values (3)")
    assert [r[0] for r in one.execute("select n from t order by n")] == [1, 2, 3]
    one.close()
    two.close()


def test_atomic_rolls_back_and_nests_as_savepoints(db: Database) -> None:
    db.execute("create table t (n integer)")
    db.conn.commit()
    with db.atomic():
        db.execute("insert into t values (1)")
        try:
            with db.write():
                db.execute("insert into t values (2)")
                raise ValueError("inner")
        except ValueError:
            pass
    assert [r[0] for r in db.execute("select n from t")] == [1]
    try:
        with db.atomic():
            db.execute("insert into t values (3)")
            raise ValueError("outer")
    except ValueError:
        pass
    assert [r[0] for r in db.execute("select n from t")] == [1]
