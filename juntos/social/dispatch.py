"""The dispatcher: posts every approved message once, at its time, or says why it could not.

The life of a post here:

1. **Claim** (one ``BEGIN IMMEDIATE`` transaction): due posts move to ``sending`` with this
   worker's id and a lease. SQLite lets one writer in at a time, so two workers can never claim
   the same post; an account that already has a post in flight is skipped (one at a time per
   account), and each platform has a ceiling of posts in flight across all workers.
2. **Send**, outside any transaction, concurrently (a thread per post in flight).
3. **Record** (a second transaction): sent (platform id and URL), retry later (backoff with
   jitter, or the platform's reset time), failed (the platform's reason), or needs check.

A worker that dies between 2 and 3 leaves a post in ``sending``; when its lease expires the post
becomes ``needs_check`` and is *reconciled* (Mastodon: resend with the same Idempotency-Key;
Bluesky: ``getRecord`` with the key stored before sending; X: the exact text among recent posts),
never resent blindly. When a platform cannot tell, a person decides (``resend`` / ``mark_sent``).

A post more than ``missed_after`` late is not sent but marked ``missed``. Every attempt is a row
in ``social_post_attempts``; every change of state a row in ``social_post_events``.
"""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from juntos import db as database
from juntos.clock import Clock, iso, system_clock
from juntos.db import Database
from juntos.errors import Conflict, NotFound
from juntos.settings import Settings
from juntos.social import credentials
from juntos.social.counting import BLUESKY, MASTODON, X
from juntos.social.models import (
    APPROVED,
    CANCELLED,
    FAILED,
    MISSED,
    NEEDS_CHECK,
    SCHEDULED,
    SENDING,
    SENT,
    check_transition,
)
from juntos.social.platforms import client_for
from juntos.social.platforms.keys import idempotency_key, new_record_key
from juntos.social.platforms.outcomes import (
    OUT_OF_CREDIT,
    Absent,
    Image,
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
)

log = logging.getLogger("juntos.dispatch")

#: Posts in flight per platform, across all workers (each account: one at a time).
PLATFORM_LIMITS = {X: 10, MASTODON: 100, BLUESKY: 50}
#: Automatic reconciliation attempts before a person is asked.
MAX_CHECKS = 5
AUTO, PERSON = "auto", "person"
SEND, RECONCILE = "send", "reconcile"


@dataclass(frozen=True)
class Config:
    missed_after: timedelta = timedelta(hours=2)
    lease: timedelta = timedelta(minutes=5)
    concurrency: int = 64
    max_attempts: int = 8
    backoff_base: timedelta = timedelta(seconds=15)
    backoff_max: timedelta = timedelta(minutes=15)
    platform_limits: dict[str, int] = field(default_factory=lambda: dict(PLATFORM_LIMITS))
    poll_seconds: float = 1.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Config:
        return cls(missed_after=timedelta(minutes=settings.dispatch_missed_after_minutes),
                   lease=timedelta(seconds=settings.dispatch_lease_seconds),
                   concurrency=max(1, settings.dispatch_concurrency))


@dataclass(frozen=True, kw_only=True)
class Claimed:
    """A post this worker now owns until ``lease_until``."""

    job: Job
    action: str  # send | reconcile
    account_id: int
    wave_id: int | None
    scheduled_at: str
    attempts: int
    checks: int


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """A write transaction that takes SQLite's write lock at BEGIN, not at the first write, so
    what we read inside it cannot change before we write."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def _event(db: Database, post_id: int, at: str, old: str, new: str, comment: str) -> None:
    db.conn.execute(
        "insert into social_post_events (post_id, at, from_status, to_status, user_id, comment)"
        " values (?, ?, ?, ?, null, ?)", [post_id, at, old, new, comment[:500]])


def _attempt(db: Database, post_id: int, at: str, worker: str, action: str, outcome: str,
             code: int | None, detail: str) -> None:
    db.conn.execute(
        "insert into social_post_attempts (post_id, at, worker, action, outcome, code, detail)"
        " values (?, ?, ?, ?, ?, ?, ?)", [post_id, at, worker, action, outcome, code,
                                          detail[:500]])


def _move(db: Database, post_id: int, old: str, new: str, at: str, comment: str,
          sets: dict[str, Any] | None = None, claimed_by: str | None = None) -> bool:
    """Compare-and-set a post's status; False if it was no longer ``old`` (someone else won)."""
    check_transition(old, new)
    sets = {"status": new, "updated_at": at, **(sets or {})}
    sql = (f"update social_posts set {', '.join(f'{k} = ?' for k in sets)},"
           " version = version + 1, sequence = sequence + 1 where id = ? and status = ?")
    params = [*sets.values(), post_id, old]
    if claimed_by is not None:
        sql += " and claimed_by = ?"
        params.append(claimed_by)
    if db.conn.execute(sql, params).rowcount != 1:
        return False
    _event(db, post_id, at, old, new, comment)
    return True


# --- sweeping --------------------------------------------------------------------------------

def sweep(db: Database, now: datetime, config: Config) -> None:
    """Inside a claim: expired leases become needs check; posts too late become missed."""
    at = iso(now)
    for post_id, claimed_by in db.conn.execute(
            "select id, claimed_by from social_posts where status = ? and lease_until < ?",
            [SENDING, at]).fetchall():
        _move(db, post_id, SENDING, NEEDS_CHECK, at,
              f"worker {claimed_by} stopped before recording the outcome: checking the platform",
              {"check_state": AUTO, "lease_until": None, "next_attempt_at": None})
    _sweep_reposts(db, now, config)
    late = iso(now - config.missed_after)
    for post_id, old, scheduled in db.conn.execute(
            "select id, status, scheduled_at from social_posts"
            " where status in (?, ?) and scheduled_at < ?", [APPROVED, SCHEDULED, late]).fetchall():
        reason = (f"missed: not sent by {_hours(config.missed_after)} after its time"
                  f" ({scheduled[:16].replace('T', ' ')} UTC); a late post can do harm")
        db.conn.execute(
            "update social_posts set status = ?, error = ?, updated_at = ?, version = version + 1,"
            " sequence = sequence + 1 where id = ? and status = ?", [MISSED, reason, at, post_id,
                                                                    old])
        _event(db, post_id, at, old, MISSED, reason)


def _sweep_reposts(db: Database, now: datetime, config: Config) -> None:
    """A repost waits for its lead's post to be sent; when that can no longer happen (failed,
    cancelled, missed) or has not happened in the window (still sending or needs check), the
    repost ends too, with a reason that names the lead's post."""
    at, late = iso(now), iso(now - config.missed_after)
    for (post_id, old, scheduled, platform, lead_id, lead_status, lead_platform_id, lead_handle,
         lead_platform) in db.conn.execute(
            """select p.id, p.status, p.scheduled_at, p.platform, l.id, l.status,
                      l.platform_post_id, la.handle, l.platform
                 from social_posts p
                 left join social_posts l on l.id = p.repost_of
                 left join social_accounts la on la.id = l.account_id
                where p.status in (?, ?) and p.kind = 'repost'""",
            [APPROVED, SCHEDULED]).fetchall():
        lead = (f"the lead's post #{lead_id} (@{lead_handle})" if lead_id is not None
                else "the lead's post")
        new = reason = None
        if lead_id is None or platform != X or lead_platform != X:
            new, reason = FAILED, f"not reposted: {lead} is not an X post that can be reposted"
        elif lead_status in (FAILED, CANCELLED):
            word = "failed" if lead_status == FAILED else "was cancelled"
            new, reason = FAILED, f"not reposted: {lead} {word}, so there is nothing to repost"
        elif lead_status == MISSED:
            new, reason = MISSED, f"missed: {lead} was missed, so there is nothing to repost"
        elif lead_status == SENT and not lead_platform_id:
            new, reason = FAILED, (f"not reposted: {lead} was marked sent without its address;"
                                   " repost it by hand")
        elif lead_status != SENT and scheduled < late:
            state = "still in needs check" if lead_status == NEEDS_CHECK else "not sent yet"
            new, reason = MISSED, (f"missed: {lead} was {state} {_hours(config.missed_after)}"
                                   f" after this repost's time")
        if new is None:
            continue
        db.conn.execute(
            "update social_posts set status = ?, error = ?, updated_at = ?, version = version + 1,"
            " sequence = sequence + 1 where id = ? and status = ?",
            [new, reason, at, post_id, old])
        _event(db, post_id, at, old, new, reason)


def _hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


# --- claiming --------------------------------------------------------------------------------

def claim(db: Database, worker: str, now: datetime, config: Config, capacity: int,
          vault: credentials.Vault) -> list[Claimed]:
    """Claim up to ``capacity`` due posts for ``worker`` in one IMMEDIATE transaction."""
    at = iso(now)
    claimed: list[Claimed] = []
    with immediate(db):
        sweep(db, now, config)
        if capacity <= 0:
            return []
        busy = {r[0] for r in db.conn.execute(
            "select distinct account_id from social_posts where status = ?", [SENDING])}
        in_flight = dict(db.conn.execute(
            "select platform, count(*) from social_posts where status = ? group by platform",
            [SENDING]).fetchall())
        rows = db.conn.execute(
            """select p.id, p.status, p.platform, p.text, p.language, p.dispatch_key,
                      p.first_sent_at, p.account_id, p.wave_id, p.scheduled_at, p.attempts,
                      p.kit_id, p.kind, l.platform_post_id, l.platform_url,
                      a.handle, a.instance_url,
                      (select count(*) from social_post_attempts t
                        where t.post_id = p.id and t.action = 'reconcile') as checks
                 from social_posts p join social_accounts a on a.id = p.account_id
                 left join social_posts l on l.id = p.repost_of
                where ((p.status in (?, ?) and p.scheduled_at <= ?)
                       or (p.status = ? and p.check_state = ?))
                  and coalesce(p.next_attempt_at, '') <= ?
                  and (p.kind = 'post'
                       or (p.kind = 'repost' and p.platform = 'x' and l.status = 'sent'
                           and l.platform_post_id is not null))
                  and p.platform in (?, ?, ?)
                  and a.state = 'connected' and coalesce(a.rate_limited_until, '') <= ?
                order by p.scheduled_at, p.id limit ?""",
            [APPROVED, SCHEDULED, at, NEEDS_CHECK, AUTO, at, X, MASTODON, BLUESKY, at,
             capacity * 4 + 20]).fetchall()
        lease_until = iso(now + config.lease)
        images: dict[int, tuple[Image, ...]] = {}
        for (post_id, status, platform, text, language, key, first_sent, account_id, wave_id,
             scheduled_at, attempts, kit_id, kind, lead_id, lead_url, handle, instance_url,
             checks) in rows:
            if len(claimed) >= capacity:
                break
            if account_id in busy:
                continue
            if in_flight.get(platform, 0) >= config.platform_limits.get(platform, 10):
                continue
            try:
                secret = credentials.load(db, vault, account_id)
            except (NotFound, credentials.CredentialsUnreadable):
                continue
            action = RECONCILE if status == NEEDS_CHECK else SEND
            key = key or _new_key(platform, post_id)
            first = first_sent or (at if action == SEND else None)
            comment = f"claimed by {worker}" if action == SEND else f"checking ({worker})"
            check_transition(status, SENDING)  # a refusal here is a bug: fail loudly
            if not _move(db, post_id, status, SENDING, at, comment, {
                    "claimed_by": worker, "lease_until": lease_until, "dispatch_key": key,
                    "first_sent_at": first,
                    "attempts": attempts + (1 if action == SEND else 0)}):
                continue
            busy.add(account_id)
            in_flight[platform] = in_flight.get(platform, 0) + 1
            if kind == "post" and kit_id not in images:
                images[kit_id] = kit_images(db, kit_id)
            claimed.append(Claimed(
                job=Job(post_id=post_id, platform=platform, text=text, language=language or "",
                        dispatch_key=key, handle=handle or "", instance_url=instance_url or "",
                        secret=secret, first_sent_at=_parse(first), now=now,
                        images=images.get(kit_id, ()) if kind == "post" else (), kind=kind,
                        repost_of_id=lead_id or "", repost_of_url=lead_url or ""),
                action=action, account_id=account_id, wave_id=wave_id,
                scheduled_at=scheduled_at, attempts=attempts + (1 if action == SEND else 0),
                checks=checks))
    return claimed


def kit_images(db: Database, kit_id: int) -> tuple[Image, ...]:
    """The kit's images with their alt text, in order: every post of the kit carries them.
    Read once per kit per claim, so a wave's posts share the same bytes in memory."""
    return tuple(Image(filename=r[0], content_type=r[1], data=r[2], alt=r[3])
                 for r in db.conn.execute(
                     "select filename, content_type, data, alt_text from social_kit_images"
                     " where kit_id = ? order by id", [kit_id]))


def _new_key(platform: str, post_id: int) -> str:
    if platform == BLUESKY:
        return new_record_key(post_id)
    if platform == MASTODON:
        return idempotency_key(post_id)
    return f"juntos-post-{post_id}"


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


# --- sending ---------------------------------------------------------------------------------

def execute(claimed: Claimed, settings: Settings) -> tuple[Outcome, dict[str, Any] | None]:
    """Call the platform. Any surprise of our own after the call may have left: Unknown."""
    client = None
    try:
        client = client_for(claimed.job, settings)
        outcome = client.send() if claimed.action == SEND else client.reconcile()
        return outcome, client.new_secret()
    except Exception as e:  # never let one post's surprise stop the worker
        log.exception("post %s: unexpected error", claimed.job.post_id)
        return Unknown(f"unexpected error: {type(e).__name__}"), None
    finally:
        if client is not None:
            client.close()


# --- recording -------------------------------------------------------------------------------

def record(db: Database, claimed: Claimed, outcome: Outcome, *, worker: str, now: datetime,
           config: Config, vault: credentials.Vault | None = None,
           new_secret: dict[str, Any] | None = None) -> str:
    """Record one outcome in its own transaction; return the post's new status."""
    at = iso(now)
    post_id = claimed.job.post_id
    code = getattr(outcome, "code", None)
    kind = type(outcome).__name__.lower()
    detail = getattr(outcome, "reason", "") or getattr(outcome, "url", "")
    with immediate(db):
        _attempt(db, post_id, at, worker, claimed.action, kind, code, detail)
        if new_secret is not None and vault is not None:
            credentials.update_secret(db, vault, claimed.account_id, new_secret, now=now)
        row = db.conn.execute("select status, claimed_by from social_posts where id = ?",
                              [post_id]).fetchone()
        status, owner = row if row else (None, None)
        mine = status == SENDING and owner == worker
        if isinstance(outcome, Sent):
            # The truth wins even if our lease ran out and the post went to needs check.
            if mine or status == NEEDS_CHECK:
                _move(db, post_id, status, SENT, at, f"sent: {outcome.url}", {
                    "platform_post_id": outcome.platform_id, "platform_url": outcome.url,
                    "error": None, "lease_until": None, "check_state": "",
                    "next_attempt_at": None})
                return SENT
            return status or ""
        if not mine:
            return status or ""  # our lease expired; whoever holds the post now decides
        late = now > (_parse(claimed.scheduled_at) or now) + config.missed_after
        if isinstance(outcome, Permanent):
            if outcome.expired:
                credentials.mark_expired(db, claimed.account_id, now=now, detail=outcome.reason)
            if outcome.out_of_credit:
                _fail_wave_x(db, claimed, at, outcome.reason)
            new = NEEDS_CHECK if claimed.action == RECONCILE else FAILED
            extra = {"check_state": PERSON} if new == NEEDS_CHECK else {}
            _move(db, post_id, SENDING, new, at, outcome.reason, {
                "error": outcome.reason, "lease_until": None, **extra}, worker)
            return new
        if isinstance(outcome, Transient):
            if outcome.rate_limited and outcome.retry_at:
                credentials.mark_rate_limited(db, claimed.account_id, until=outcome.retry_at,
                                              now=now)
            retry = max(now + backoff(claimed.attempts + claimed.checks, config),
                        outcome.retry_at or now)
            if claimed.action == RECONCILE:
                person = claimed.checks + 1 >= MAX_CHECKS
                _move(db, post_id, SENDING, NEEDS_CHECK, at, f"could not check: {outcome.reason}",
                      {"check_state": PERSON if person else AUTO, "next_attempt_at": iso(retry),
                       "error": outcome.reason, "lease_until": None}, worker)
                return NEEDS_CHECK
            if retry > (_parse(claimed.scheduled_at) or now) + config.missed_after:
                return _missed(db, post_id, at, config, outcome.reason, worker)
            if claimed.attempts >= config.max_attempts:
                reason = f"gave up after {claimed.attempts} attempts: {outcome.reason}"
                _move(db, post_id, SENDING, FAILED, at, reason,
                      {"error": reason, "lease_until": None}, worker)
                return FAILED
            _move(db, post_id, SENDING, SCHEDULED, at,
                  f"{outcome.reason}: retrying at {iso(retry)}",
                  {"next_attempt_at": iso(retry), "error": outcome.reason, "lease_until": None},
                  worker)
            return SCHEDULED
        if isinstance(outcome, Absent):
            if late:
                return _missed(db, post_id, at, config, outcome.reason, worker)
            _move(db, post_id, SENDING, SCHEDULED, at,
                  f"checked: {outcome.reason}; sending again",
                  {"next_attempt_at": None, "check_state": "", "lease_until": None}, worker)
            return SCHEDULED
        # Unknown: never resend blindly.
        assert isinstance(outcome, Unknown)
        if claimed.action == RECONCILE:
            reason = (f"cannot tell whether this post went out ({outcome.reason}): look at the "
                      "account, then choose resend or mark sent")
            _move(db, post_id, SENDING, NEEDS_CHECK, at, reason,
                  {"check_state": PERSON, "error": reason, "lease_until": None}, worker)
        else:
            _move(db, post_id, SENDING, NEEDS_CHECK, at, f"{outcome.reason}: checking",
                  {"check_state": AUTO, "error": outcome.reason, "lease_until": None,
                   "next_attempt_at": iso(now + config.backoff_base)}, worker)
        return NEEDS_CHECK


def _missed(db: Database, post_id: int, at: str, config: Config, reason: str,
            worker: str) -> str:
    text = f"missed: no chance to send within {_hours(config.missed_after)} ({reason})"
    _move(db, post_id, SENDING, MISSED, at, text, {"error": text, "lease_until": None}, worker)
    return MISSED


def _fail_wave_x(db: Database, claimed: Claimed, at: str, reason: str) -> None:
    """Out of API credit: the wave's other X posts would fail the same way, for hours."""
    if claimed.wave_id is None:
        return
    text = f"{OUT_OF_CREDIT}: not sent (another post of this wave was refused: {reason})"
    for post_id, old in db.conn.execute(
            "select id, status from social_posts where wave_id = ? and platform = ?"
            " and status in (?, ?) and id != ?",
            [claimed.wave_id, X, APPROVED, SCHEDULED, claimed.job.post_id]).fetchall():
        db.conn.execute(
            "update social_posts set status = ?, error = ?, updated_at = ?, version = version + 1,"
            " sequence = sequence + 1 where id = ? and status = ?",
            [FAILED, text, at, post_id, old])
        _event(db, post_id, at, old, FAILED, text)


def backoff(attempt: int, config: Config, rand: Callable[[], float] = random.random) -> timedelta:
    """Exponential backoff with jitter (50-150 %), so a wave's retries do not all collide."""
    base = config.backoff_base * (2 ** max(0, attempt - 1))
    return min(base, config.backoff_max) * (0.5 + rand())


# --- a person decides -------------------------------------------------------------------------

def resend(db: Database, post_id: int, *, now: datetime, by: int | None) -> None:
    """A person looked and the post is not on the platform: send it again."""
    _person(db, post_id, SCHEDULED, now, by, "checked by a person: not on the platform; resend",
            {"check_state": "", "next_attempt_at": None, "error": None})


def mark_sent(db: Database, post_id: int, *, url: str = "", now: datetime,
              by: int | None) -> None:
    """A person found the post on the platform."""
    url = url.strip()
    if url and not url.startswith("https://"):
        from juntos.errors import ValidationError

        raise ValidationError({"url": "The post's address starts with https://."})
    found = re.search(r"/status/(\d+)", url)  # an X address: reposts need the post's id
    _person(db, post_id, SENT, now, by, "checked by a person: it is on the platform",
            {"check_state": "", "error": None, "platform_url": url or None,
             **({"platform_post_id": found.group(1)} if found else {})})


def _person(db: Database, post_id: int, new: str, now: datetime, by: int | None, comment: str,
            sets: dict[str, Any]) -> None:
    at = iso(now)
    with immediate(db):
        row = db.conn.execute("select status from social_posts where id = ?",
                              [post_id]).fetchone()
        if row is None:
            raise NotFound(f"No post {post_id}.")
        if row[0] != NEEDS_CHECK:
            raise Conflict("Only a post that needs checking can be resent or marked sent here.")
        if not _move(db, post_id, NEEDS_CHECK, new, at, comment, sets):
            raise Conflict("This post changed meanwhile. Reload the page and try again.")
        db.conn.execute("update social_post_events set user_id = ? where id ="
                        " (select max(id) from social_post_events where post_id = ?)",
                        [by, post_id])


def attempts(db: Database, post_id: int) -> list[dict[str, Any]]:
    """Every attempt on a post, oldest first, for its history."""
    return list(db.query("select * from social_post_attempts where post_id = ? order by id",
                         [post_id]))


# --- the worker --------------------------------------------------------------------------------

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

    def run_once(self, db: Database) -> dict[str, str]:
        """Claim what is due now, send it all, record it all; return {post id: new status}.

        Used by tests with an injected clock, and by nothing that needs a loop."""
        batch = claim(db, self.worker, self.clock(), self.config, self.config.concurrency,
                      self.vault)
        results: dict[str, str] = {}
        if not batch:
            return results
        with ThreadPoolExecutor(max_workers=min(len(batch), self.config.concurrency)) as pool:
            futures = {pool.submit(execute, c, self.settings): c for c in batch}
            for future, c in futures.items():
                outcome, secret = future.result()
                results[str(c.job.post_id)] = record(
                    db, c, outcome, worker=self.worker, now=self.clock(), config=self.config,
                    vault=self.vault, new_secret=secret)
        return results

    def run(self) -> None:
        """Loop until ``stop`` is set: keep up to ``concurrency`` posts in flight."""
        db = database.connect(self.settings.db_path)
        inflight: dict[Future[tuple[Outcome, dict[str, Any] | None]], Claimed] = {}
        log.info("dispatcher %s started", self.worker)
        try:
            with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
                while not self.stop.is_set():
                    free = self.config.concurrency - len(inflight)
                    try:
                        batch = claim(db, self.worker, self.clock(), self.config, free,
                                      self.vault)
                    except Exception:
                        log.exception("claim failed; trying again")
                        batch = []
                    for c in batch:
                        inflight[pool.submit(execute, c, self.settings)] = c
                    if not inflight:
                        self.stop.wait(self.config.poll_seconds)
                        continue
                    done, _ = wait(inflight, timeout=self.config.poll_seconds,
                                   return_when=FIRST_COMPLETED)
                    for future in done:
                        c = inflight.pop(future)
                        outcome, secret = future.result()
                        try:
                            record(db, c, outcome, worker=self.worker, now=self.clock(),
                                   config=self.config, vault=self.vault, new_secret=secret)
                        except Exception:
                            # The lease will expire and the post will be checked: never lost.
                            log.exception("post %s: could not record", c.job.post_id)
        finally:
            db.close()
            log.info("dispatcher %s stopped", self.worker)


def start_in_thread(settings: Settings, *, clock: Clock = system_clock) -> Dispatcher:
    """Run a dispatcher in a daemon thread (``juntos serve``); call ``.stop.set()`` to end."""
    dispatcher = Dispatcher(settings, clock=clock)
    thread = threading.Thread(target=dispatcher.run, name="juntos-dispatch", daemon=True)
    thread.start()
    dispatcher.thread = thread  # type: ignore[attr-defined]
    return dispatcher
