"""Large imports committed in a background thread, so the request that confirms them returns
at once (a map of 5,000 actors takes seconds to store) and the person watches a status page.

Jobs live in this process's memory: after a restart the status of a finished import is gone
(its result is in the database; the page then says the import has expired). The thread opens
its own connection; the commit is still one transaction, all-or-nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from juntos import db as database
from juntos.db import Database
from juntos.errors import ValidationError

log = logging.getLogger(__name__)
#: Imports whose preview counted at least this many actors and ties are stored in the
#: background.
BACKGROUND_ROWS = 1000
WAIT_FOR_WRITER_MS = 60_000
#: Finished jobs kept for their status pages (oldest forgotten first).
KEEP = 50


@dataclass
class Job:
    token: str
    user_id: int
    started_at: datetime
    state: str = "running"  # running, done, failed
    result: dict[str, int] = field(default_factory=dict)
    error: str = ""
    thread: threading.Thread | None = field(default=None, repr=False)


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


Work = Callable[[Database], dict[str, int]]


def _run(job: Job, path: str, work: Work) -> None:
    try:
        conn = database.connect(path)
        try:
            # Nobody waits on this thread: it may wait longer than a request for another
            # writer, and takes the write lock first (a deferred transaction that reads, then
            # writes, would fail at once if another writer committed meanwhile).
            conn.execute(f"PRAGMA busy_timeout = {WAIT_FOR_WRITER_MS}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                job.result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.conn.rollback()
                raise
            job.state = "done"
        finally:
            conn.close()
    except ValidationError as e:
        job.error, job.state = "; ".join(str(m) for m in e.errors.values()), "failed"
    except Exception as e:  # reported on the status page; nothing was stored (one transaction)
        log.exception("network import %s failed", job.token)
        job.error, job.state = f"{type(e).__name__}: {e}", "failed"


def start(path: str, token: str, work: Work, *, now: datetime, user_id: int) -> Job:
    """Run ``work`` (read, plan, commit; raising ValidationError to refuse) on its own
    connection to the database file ``path``, in a background thread, in one transaction."""
    job = Job(token, user_id, now)
    job.thread = threading.Thread(target=_run, args=(job, path, work), daemon=True,
                                  name="network-import")
    with _lock:
        _jobs[token] = job
        finished = [t for t, j in _jobs.items() if j.state != "running"]
        for old in finished[:max(0, len(finished) - KEEP)]:
            _jobs.pop(old, None)
    job.thread.start()
    return job


def get(token: str, user_id: int) -> Job | None:
    """The job, only for the person who started it."""
    with _lock:
        job = _jobs.get(token)
    return job if job is not None and job.user_id == user_id else None


def wait(token: str, timeout: float = 120.0) -> Job | None:
    """Block until the job finishes (tests, the benchmark, shutdown)."""
    with _lock:
        job = _jobs.get(token)
    if job is not None and job.thread is not None:
        job.thread.join(timeout)
    return job

