"""Opening the SQLite database, and its schema as ordered, named migrations.

Each area owns its tables in a ``sqlite_utils.Migrations`` set of its own, named in its
manifest; the composition root (``juntos.house``) hands the sets here in dependency order.
This module knows no area.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils
from sqlite_utils import migrations as _migrations
from sqlite_utils.db import Table
from sqlite_utils.utils import dedupe_keys

BUSY_TIMEOUT_MS = 5000
#: How many times a write transaction tries for the write lock, each waiting the busy timeout.
LOCK_TRIES = 4


def is_locked(error: BaseException) -> bool:
    """SQLite gave up waiting for another writer (``database is locked`` / ``busy``)."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error))


def begin_immediate(conn: sqlite3.Connection, *, tries: int = LOCK_TRIES) -> None:
    """``BEGIN IMMEDIATE``: take the write lock now, waiting the busy timeout, and try again
    while another writer still holds it; raise the last ``database is locked`` after ``tries``.

    A deferred ``BEGIN`` that reads and then writes cannot be upgraded while another writer
    has written since its read (SQLite answers ``database is locked`` at once, whatever the busy
    timeout), so every write transaction in Juntos takes the lock at its start instead."""
    for n in range(tries):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if not is_locked(e) or n == tries - 1:
                raise
            time.sleep(0.05 * (n + 1))


class Database(sqlite_utils.Database):
    """sqlite-utils' database whose ``db["name"]`` is typed as a table, and whose write
    transactions all begin IMMEDIATE.

    Juntos never addresses views by subscript, so ``Table`` (not ``Table | View``) lets every
    area's ``db["ideas"].insert(...)`` type-check without a cast at each call.

    ``atomic()`` (and ``write()``, its name for readers of this module) is the one way a write
    transaction starts: every area's stores, the web views, the CLI, the dispatcher and imports
    go through it, and so does every sqlite-utils ``insert``/``update``. A statement written
    outside it begins IMMEDIATE too (the connection's ``isolation_level``).
    """

    def __getitem__(self, table_name: str) -> Table:
        return self.table(table_name)

    @functools.cached_property
    def file_key(self) -> str:
        """The file behind this connection (an in-memory database is its own): what caches
        serving several databases key on. Read once: a connection's file never changes."""
        row = self.conn.execute("PRAGMA database_list").fetchone()
        return str(row[2]) if row and row[2] else f":memory:{id(self.conn)}"

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
              ) -> Generator[dict[str, Any], None, None]:
        """Rows as dicts. sqlite-utils wraps every query in a savepoint (three statements for
        one, in case it writes); a SELECT writes nothing, so it runs alone: pages make dozens
        of reads, and each statement gives up the interpreter lock to other threads."""
        if sql.lstrip()[:6].lower() != "select":
            return super().query(sql, params)
        if self._tracer:
            self._tracer(sql, params)
        cursor = self.conn.execute(sql, () if params is None else params)
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A write transaction (``BEGIN IMMEDIATE``, retried on lock timeout); nested blocks
        are savepoints. Commits at the end, rolls back on any exception."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        begin_immediate(self.conn)
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    write = atomic

    def begin(self) -> None:
        begin_immediate(self.conn)


Step = TypeVar("Step", bound=Callable[[Database], None])


class Migrations(_migrations.Migrations):
    """sqlite-utils' named migrations, whose steps take our ``Database``.

    sqlite-utils types a step as taking its own ``Database``; ``migrate`` only ever applies a
    set to ours, so a step may rely on ``db["t"]`` being a ``Table``.
    """

    def __call__(self, *, name: str | None = None,
                 transactional: bool = True) -> Callable[[Step], Step]:
        register = super().__call__(name=name, transactional=transactional)

        def inner(step: Step) -> Step:
            register(cast(Any, step))  # called with our Database only (see above)
            return step

        return inner


def connect(path: Path | str) -> Database:
    """Open the database with the settings every connection needs.

    WAL lets readers proceed while one writer writes (the web app and a CLI import at once);
    the busy timeout makes a second writer wait instead of failing at once.
    A new database file is created readable by its owner only (see ``create_private``).
    """
    if str(path) != ":memory:":
        create_private(Path(path))
    # isolation_level: a write statement outside ``Database.atomic`` begins IMMEDIATE too.
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level="IMMEDIATE")
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def pending_migrations(db: Database, sets: Sequence[_migrations.Migrations]) -> list[str]:
    return [f"{s.name}:{m.name}" for s in sets for m in s.pending(db)]


def create_private(path: Path) -> None:
    """Create an empty file with mode 0600 unless it exists, before SQLite opens it.

    The database holds password hashes, feed tokens and private campaigns. SQLite creates the
    ``-wal``, ``-shm`` and ``-journal`` files with the database file's own mode, so making the
    file private from the start covers them too (a chmod afterwards would leave a window).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def migrate(db: Database, sets: Sequence[_migrations.Migrations]) -> list[str]:
    """Apply the pending migrations of ``sets``, in order; return the names of those applied."""
    applied = pending_migrations(db, sets)
    for migration_set in sets:
        migration_set.apply(db)
    return applied


def open_db(path: Path | str, sets: Sequence[_migrations.Migrations]) -> Database:
    """Open the database and bring its schema up to date."""
    db = connect(path)
    migrate(db, sets)
    return db


def add_change_counter(db: Database, name: str, tables: tuple[str, ...]) -> None:
    """A one-row counter that every write to ``tables`` bumps, by trigger, for migrations.

    Caches (calendar feeds) key on it: whoever writes (web, CLI, demo, a future module), they
    notice, at the cost of one read.
    """
    db[name].create({"id": int, "version": int}, pk="id")
    db[name].insert({"id": 1, "version": 0})
    count_changes_of(db, name, tables)


def count_changes_of(db: Database, name: str, tables: tuple[str, ...]) -> None:
    """Let writes to more ``tables`` bump an existing change counter (for migrations)."""
    for table in tables:
        for op in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {name}_{table}_{op.lower()} AFTER {op} ON {table}"
                f" BEGIN UPDATE {name} SET version = version + 1 WHERE id = 1; END"
            )


def change_counter(db: Database, name: str) -> int:
    row = db.execute(f"select version from {name} where id = 1").fetchone()
    return int(row[0])


def backup(db: Database, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, safe while the app writes.

    The copy is readable by its owner only, like the database."""
    target.parent.mkdir(parents=True, exist_ok=True)
    create_private(target)
    os.chmod(target, 0o600)  # an older file being overwritten may have been readable by others
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def check_backup(source: Path) -> None:
    """Refuse a file that is not a sound Juntos database before it replaces the live one."""
    from juntos.errors import ValidationError

    if not source.is_file():
        raise ValidationError({"backup": f"No file at {source}."})
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise ValidationError({"backup": f"{source} is not a SQLite database ({e})."}) from e
    if result != "ok":
        raise ValidationError({"backup": f"{source} is damaged: {result}"})
    if not {"_sqlite_migrations", "users", "organisations"} <= tables:
        raise ValidationError({"backup": f"{source} is not a Juntos database."})


def restore(source: Path, target: Path, sets: Sequence[_migrations.Migrations],
            after: Callable[[Database], object] | None = None) -> None:
    """Replace the database at ``target`` with the backup ``source``, page by page.

    SQLite's backup API writes into the live database in one transaction, so every other
    connection sees the old data or the new, never a mix. The schema is then brought up to date
    (a backup from an older version gains the newer migrations), and ``after`` runs on it.
    """
    check_backup(source)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = connect(target)
    try:
        src.backup(dest.conn)
        migrate(dest, sets)
        if after is not None:  # the areas' own consequences (the dispatcher's posts)
            after(dest)
    finally:
        src.close()
        dest.close()
