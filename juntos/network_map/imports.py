"""A network import, the same for the CLI and the web: read → plan → preview → commit.

``NetworkImport`` is one import: its files, their format, and (for the web) the folder it
staged the uploads in between the preview and the confirming request, beside the number of
rows the preview counted. The database may change between preview and commit, so an import is
planned again at every step and the person's choices are checked against the fresh plan.

``Imports`` is what the app keeps (one per app): where uploads are staged, and the large
imports committed in the background through the app's runner (a map of 5,000 actors takes
seconds to store), whose status the person follows. Jobs live in memory: after a restart the
status of a finished import is gone (its result is in the database; the page then says the
import has expired). A background commit opens its own connection and is still one
transaction, all-or-nothing.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from juntos import db as database
from juntos.db import Database
from juntos.errors import Message, NotFound, ValidationError
from juntos.network_map.interop import importer, limits
from juntos.network_map.interop.importer import Preview
from juntos.validation import N_

log = logging.getLogger(__name__)
#: Imports whose preview counted at least this many actors and ties are stored in the
#: background.
BACKGROUND_ROWS = 1000
WAIT_FOR_WRITER_MS = 60_000
#: Finished jobs kept for their status pages (oldest forgotten first).
KEEP = 50
#: Staged uploads not confirmed within this time are removed (at the next upload).
STAGED_SECONDS = 6 * 3600
EXPIRED = "This import has expired; upload the file again."
#: Runs a job off the request: the app's ``runner.submit``.
Submit = Callable[..., Future[Any]]


@dataclass(frozen=True, kw_only=True)
class Choices:
    """How conflicting rows are resolved: ``default`` for all, ``rows`` one by one (node key
    → ``"new"`` or ``"match:SLUG"``)."""

    default: str = "new"
    rows: dict[str, str] = field(default_factory=dict)
    #: The kind chosen for each type that names none for sure (folded type → kind).
    kinds: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Author:
    """Who imports through the web: their organisation, and whether they coordinate."""

    organisation_id: int
    coordinator: bool


@dataclass(frozen=True, kw_only=True)
class NetworkImport:
    """One import of one file (or a Kumu CSV pair)."""

    paths: list[Path]
    fmt: str = ""
    #: Staged uploads only: the token naming the folder that holds them.
    token: str = ""
    folder: Path | None = None

    @classmethod
    def of_files(cls, paths: Iterable[Path], fmt: str = "") -> NetworkImport:
        """Files read where they are (the CLI)."""
        return cls(paths=list(paths), fmt=fmt)

    def preview(self, db: Database, choices: Choices = Choices()) -> Preview:
        """Read and plan against the database now; nothing is written. A staged import
        remembers how many rows the preview counted."""
        if not self.paths:
            raise ValidationError({"files": Message(N_("Choose a file to import."))})
        preview = importer.prepare(db, self.paths, fmt=self.fmt, conflicts=choices.default,
                                   choices=choices.rows, kinds_chosen=choices.kinds)
        if self.folder is not None:
            self._rows_file.write_text(str(len(preview.actors) + len(preview.ties)))
        return preview

    def commit(self, db: Database, preview: Preview, *, now: datetime,
               by: int | None, author: Author | None = None) -> dict[str, int]:
        """Store a preview in one transaction; refused whole if any row is in error, or if a
        member's import changes another organisation's facts (``author``; none: the CLI)."""
        if author is None:
            return importer.commit(db, preview, now=now, by=by)
        return importer.commit(db, preview, now=now, by=by, own=author.organisation_id,
                               coordinator=author.coordinator)

    def run(self, db: Database, choices: Choices = Choices(), *, now: datetime,
            by: int | None, author: Author | None = None) -> tuple[Preview, dict[str, int]]:
        """Preview and commit in one go (a background commit)."""
        preview = self.preview(db, choices)
        return preview, self.commit(db, preview, now=now, by=by, author=author)

    @property
    def _rows_file(self) -> Path:
        assert self.folder is not None
        return self.folder.with_name(f"{self.folder.name}.rows")

    @property
    def previewed_rows(self) -> int:
        """Actors and ties the server counted when it showed the preview (kept beside the
        upload, never taken from the form)."""
        if self.folder is None:
            return 0
        try:
            return int(self._rows_file.read_text())
        except (OSError, ValueError):
            return 0

    @property
    def large(self) -> bool:
        """Whether its commit goes to the background."""
        return self.previewed_rows >= BACKGROUND_ROWS


@dataclass
class Job:
    token: str
    user_id: int
    started_at: datetime
    state: str = "running"  # running, done, failed
    result: dict[str, int] = field(default_factory=dict)
    error: str = ""
    future: Future[None] | None = field(default=None, repr=False)


def upload_name(filename: str, taken: set[str]) -> str:
    """A safe file name for an upload: its last part only (``..``, ``a/../b``, ``C:\\x``),
    letters, digits, dot, dash and underscore, no leading dot, unique in its folder; the
    suffix (which says the format) is kept."""
    last = re.split(r"[\\/]", filename)[-1]
    name = re.sub(r"[^\w.-]", "_", last, flags=re.ASCII).lstrip(".")[-100:] or "upload"
    stem, dot, suffix = name.rpartition(".")
    unique, n = name, 1
    while unique in taken:
        n += 1
        unique = f"{stem}-{n}.{suffix}" if dot and stem else f"{name}-{n}"
    taken.add(unique)
    return unique


class Imports:
    """Staged uploads and background imports of one app.

    Uploads are staged in a private folder (mode 0700, made by ``tempfile.mkdtemp`` unless
    one is given) that only the server's user can read: they are a network's membership. A
    folder is removed once its import is stored, and any left unconfirmed for
    ``STAGED_SECONDS`` at the next upload."""

    def __init__(self, folder: Path | None = None, *, keep: int = KEEP) -> None:
        self._folder = folder
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        with self._lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="juntos-network-imports-"))
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._folder.chmod(0o700)
            return self._folder

    def stage(self, files: Iterable[tuple[str, bytes]], fmt: str = "") -> NetworkImport:
        """Keep uploaded files (name, content) in a folder of their own, under a new token."""
        self.sweep()
        token = secrets.token_hex(16)
        folder = self.folder / token
        folder.mkdir(mode=0o700)
        taken: set[str] = set()
        for filename, data in files:
            (folder / upload_name(filename, taken)).write_bytes(data)
        return NetworkImport(paths=sorted(folder.iterdir()), fmt=fmt, token=token,
                             folder=folder)

    def staged(self, token: str, fmt: str = "") -> NetworkImport:
        """The upload a preview staged; NotFound once it is gone (or for a made-up token)."""
        if not (token.isascii() and token.isalnum()) or not (self.folder / token).is_dir():
            raise NotFound(EXPIRED)
        folder = self.folder / token
        return NetworkImport(paths=sorted(folder.iterdir()), fmt=fmt, token=token,
                             folder=folder)

    def discard(self, staged: NetworkImport) -> None:
        """Remove a staged upload (once stored): its token then answers "expired"."""
        if staged.folder is not None:
            shutil.rmtree(staged.folder, ignore_errors=True)
            staged.folder.with_name(f"{staged.folder.name}.rows").unlink(missing_ok=True)

    def sweep(self, now: float | None = None) -> None:
        """Remove staged uploads older than ``STAGED_SECONDS`` (their previews expired)."""
        limit = (time.time() if now is None else now) - STAGED_SECONDS
        for entry in self.folder.iterdir():
            try:
                old = entry.stat().st_mtime < limit
            except OSError:
                continue
            if old and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif old:
                entry.unlink(missing_ok=True)

    def start(self, job_import: NetworkImport, choices: Choices, *, path: str, submit: Submit,
              now: datetime, user_id: int, author: Author | None = None) -> Job:
        """Commit ``job_import`` to the database file ``path`` through ``submit`` (the app's
        runner), on its own connection, in one transaction."""
        job = Job(job_import.token, user_id, now)
        with self._lock:
            self._jobs[job.token] = job
            finished = [t for t, j in self._jobs.items() if j.state != "running"]
            for old in finished[:max(0, len(finished) - self.keep)]:
                self._jobs.pop(old, None)
        def work(conn: Database) -> dict[str, int]:
            with limits.allowing(limits.BACKGROUND_SECONDS):  # nobody waits at a page
                result = job_import.run(conn, choices, now=now, by=user_id, author=author)[1]
            self.discard(job_import)
            return result

        job.future = submit(_run, job, path, work)
        return job

    def job(self, token: str, user_id: int) -> Job | None:
        """The job, only for the person who started it."""
        with self._lock:
            job = self._jobs.get(token)
        return job if job is not None and job.user_id == user_id else None

    def wait(self, token: str, timeout: float = 120.0) -> Job | None:
        """Block until the job finishes (tests, the benchmark)."""
        with self._lock:
            job = self._jobs.get(token)
        if job is not None and job.future is not None:
            job.future.exception(timeout)
        return job


def _run(job: Job, path: str, work: Callable[[Database], dict[str, int]]) -> None:
    try:
        conn = database.connect(path)
        try:
            # Nobody waits on this job: it may wait longer than a request for another writer,
            # and takes the write lock first (a deferred transaction that reads, then writes,
            # would fail at once if another writer committed meanwhile).
            conn.execute(f"PRAGMA busy_timeout = {WAIT_FOR_WRITER_MS}")
            with conn.atomic():
                job.result = work(conn)
            job.state = "done"
        finally:
            conn.close()
    except ValidationError as e:
        job.error, job.state = "; ".join(str(m) for m in e.errors.values()), "failed"
    except Exception as e:  # reported on the status page; nothing was stored (one transaction)
        log.exception("network import %s failed", job.token)
        job.error, job.state = f"{type(e).__name__}: {e}", "failed"
