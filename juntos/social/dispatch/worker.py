"""The worker: claims, sends concurrently (a thread per post in flight), records."""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from juntos import db as database
from juntos.clock import Clock, iso, system_clock
from juntos.db import Database
from juntos.settings import Settings
from juntos.social import appkeys, credentials, platforms
from juntos.social.dispatch.claim import claim
from juntos.social.dispatch.common import (
    SEND,
    Claimed,
    Config,
    immediate,
    log,
    new_worker_id,
)
from juntos.social.dispatch.record import record
from juntos.social.models import SENDING
from juntos.social.platforms.outcomes import Outcome, PlatformClient, Unknown

Result = tuple[Outcome, dict[str, Any] | None]


def execute(claimed: Claimed, settings: Settings) -> Result:
    """Call the platform. Any surprise of our own after the call may have left: Unknown."""
    client: PlatformClient | None = None
    try:
        make = platforms.get(claimed.job.platform).client
        if make is None:
            raise ValueError(f"No client posts to {claimed.job.platform!r}.")
        client = make(claimed.job, settings)
        outcome = client.send() if claimed.action == SEND else client.reconcile()
        return outcome, client.new_secret()
    except Exception as e:  # never let one post's surprise stop the worker
        log.exception("post %s: unexpected error", claimed.job.post_id)
        return Unknown(f"unexpected error: {type(e).__name__}"), None
    finally:
        if client is not None:
            client.close()


class Dispatcher:
    """One worker: claims, sends concurrently, records. Run several against one database."""

    def __init__(self, settings: Settings, *, clock: Clock = system_clock,
                 config: Config | None = None, worker: str | None = None) -> None:
        self.settings = credentials.with_credentials_key(settings)
        self.vault = credentials.Vault(self.settings.credentials_key)
        self.clock = clock
        self.config = config or Config.from_settings(settings)
        self.worker = worker or new_worker_id()
        self.stop = threading.Event()

    def _settings(self, db: Database) -> Settings:
        """The settings with the app keys a coordinator set on the web (``appkeys``): read at
        each claim, so keys set while the dispatcher runs are used at once."""
        return appkeys.effective(db, self.vault, self.settings)

    def _record(self, db: Database, claimed: Claimed, result: Result) -> str:
        outcome, secret = result
        return record(db, claimed, outcome, worker=self.worker, now=self.clock(),
                      config=self.config, vault=self.vault, new_secret=secret)

    def run_once(self, db: Database) -> dict[str, str]:
        """Claim what is due now, send it all, record it all; return {post id: new status}.

        Used by tests with an injected clock, and by nothing that needs a loop."""
        batch = claim(db, self.worker, self.clock(), self.config, self.config.concurrency,
                      self.vault)
        results: dict[str, str] = {}
        if not batch:
            return results
        with ThreadPoolExecutor(max_workers=min(len(batch), self.config.concurrency)) as pool:
            settings = self._settings(db)
            futures = {pool.submit(execute, c, settings): c for c in batch}
            for future, c in futures.items():
                results[str(c.job.post_id)] = self._record(db, c, future.result())
        return results

    def renew(self, db: Database) -> int:
        """Push the lease of every post this worker has in flight one lease ahead."""
        with immediate(db):
            return db.conn.execute(
                "update social_posts set lease_until = ? where claimed_by = ? and status = ?",
                [iso(self.clock() + self.config.lease), self.worker, SENDING]).rowcount

    def _heartbeat(self, done: threading.Event) -> None:
        """Renew leases every third of a lease, on a connection of its own, until ``done``:
        the lease can be short, so a dead worker's posts are checked within a minute."""
        db = database.connect(self.settings.db_path)
        try:
            while not done.wait(self.config.heartbeat):
                try:
                    self.renew(db)
                except Exception:
                    log.exception("could not renew leases; trying again")
        finally:
            db.close()

    def run(self) -> None:
        """Loop until ``stop`` is set: keep up to ``concurrency`` posts in flight."""
        db = database.connect(self.settings.db_path)
        inflight: dict[Future[Result], Claimed] = {}
        log.info("dispatcher %s started", self.worker)
        stopped = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(stopped,), daemon=True,
                                name=f"lease-{self.worker}")
        beat.start()
        try:
            with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
                while not self.stop.is_set():
                    claimed = self._claim(db, self.config.concurrency - len(inflight))
                    settings = self._settings(db) if claimed else self.settings
                    for c in claimed:
                        inflight[pool.submit(execute, c, settings)] = c
                    if not inflight:
                        self.stop.wait(self.config.poll_seconds)
                        continue
                    done, _ = wait(inflight, timeout=self.config.poll_seconds,
                                   return_when=FIRST_COMPLETED)
                    for future in done:
                        self._finish(db, inflight.pop(future), future.result())
        finally:
            stopped.set()
            beat.join()
            db.close()
            log.info("dispatcher %s stopped", self.worker)

    def _claim(self, db: Database, free: int) -> list[Claimed]:
        try:
            return claim(db, self.worker, self.clock(), self.config, free, self.vault)
        except Exception:
            log.exception("claim failed; trying again")
            return []

    def _finish(self, db: Database, claimed: Claimed, result: Result) -> None:
        try:
            self._record(db, claimed, result)
        except Exception:
            # The lease will expire and the post will be checked: never lost.
            log.exception("post %s: could not record", claimed.job.post_id)
