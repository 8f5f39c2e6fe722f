"""Backups and restores give back the same data; the database and its copies stay private."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from juntos import db as database
from juntos.cli import cli


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    db = Database(path)
    try:
        return {t: [tuple(r.values()) for r in db.query(f"select * from [{t}] order by rowid")]
                for t in db.table_names() if "_fts" not in t}
    finally:
        db.close()


def test_database_wal_and_backups_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "juntos.db"
    assert run("--db", str(path), "init").exit_code == 0
    db = database.connect(path)  # a connection open: the WAL and shared-memory files exist
    db["notes"].insert({"text": "private"})
    for name in ("juntos.db", "juntos.db-wal", "juntos.db-shm", "juntos.db.secret"):
        assert mode(tmp_path / name) == 0o600, name
    db.close()
    old = tmp_path / "old-backup.db"
    old.write_text("")
    old.chmod(0o644)
    for target in (tmp_path / "b" / "new.db", old):
        result = run("--db", str(path), "backup", str(target))
        assert result.exit_code == 0, result.output
        assert mode(target) == 0o600, target


def test_backup_then_restore_gives_back_the_same_data(tmp_path: Path) -> None:
    path = tmp_path / "juntos.db"
    assert run("--db", str(path), "init").exit_code == 0
    assert run("--db", str(path), "demo").exit_code == 0
    before = snapshot(path)
    backup = tmp_path / "backup.db"
    assert run("--db", str(path), "backup", str(backup)).exit_code == 0
    db = database.connect(path)  # changes after the backup, then a restore
    with db.atomic():
        db.execute("update organisations set name = 'Changed'")
        db["later"].insert({"text": "written after the backup"})
    db.close()
    assert snapshot(path) != before
    result = run("restore", str(backup), "--db", str(path), input="y\n")
    assert result.exit_code == 0, result.output
    after = snapshot(path)
    # E-mail waiting in the backup may have gone out since: it is "unsure", not resent
    # (docs/mail.md); everything else is as it was.
    assert {k: v for k, v in after.items() if k != "mail_outbox"} == {
        k: v for k, v in before.items() if k != "mail_outbox"}
    check = database.connect(path)
    assert {r["status"] for r in check.query("select status from mail_outbox")} <= {"unsure"}
    check.close()
    assert mode(path) == 0o600
    safety = tmp_path / "juntos.db.before-restore"
    assert mode(safety) == 0o600 and snapshot(safety)["organisations"][0][2] == "Changed"


def test_restore_refuses_what_is_not_a_juntos_backup(tmp_path: Path) -> None:
    path = tmp_path / "juntos.db"
    run("--db", str(path), "init")
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = run("--db", str(path), "restore", "--yes", str(junk))
    assert result.exit_code == 1 and "not a SQLite database" in result.output
    other = tmp_path / "other.db"
    Database(other)["t"].insert({"a": 1})
    result = run("--db", str(path), "restore", "--yes", str(other))
    assert result.exit_code == 1 and "not a Juntos database" in result.output
    result = run("--db", str(path), "restore", str(tmp_path / "juntos.db"), input="n\n")
    assert result.exit_code == 1  # not confirmed: nothing done
