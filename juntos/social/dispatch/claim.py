"""Claiming: in one ``BEGIN IMMEDIATE`` transaction, sweep what can no longer be sent, then move
due posts to ``sending`` with this worker's id and a lease."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound
from juntos.social import authority, credentials, platforms
from juntos.social.dispatch.common import (
    AUTO,
    RECONCILE,
    SEND,
    Claimed,
    Config,
    end,
    hours,
    immediate,
    move,
    parse,
)
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
from juntos.social.platforms.outcomes import Image, Job

# --- sweeping --------------------------------------------------------------------------------


def sweep(db: Database, now: datetime, config: Config) -> None:
    """Inside a claim: expired leases become needs check; posts too late become missed."""
    at = iso(now)
    for post_id, claimed_by, claimed_at in db.conn.execute(
            "select id, claimed_by, claimed_at from social_posts"
            " where status = ? and lease_until < ?", [SENDING, at]).fetchall():
        # Its request may still be running on the server: look once it cannot be.
        settled = max(now, (parse(claimed_at) or now) + config.settle)
        move(db, post_id, SENDING, NEEDS_CHECK, at,
             f"worker {claimed_by} stopped before recording the outcome: checking the platform"
             f" after {iso(settled)}",
             {"check_state": AUTO, "lease_until": None, "next_attempt_at": iso(settled)})
    _sweep_reposts(db, now, config)
    late = iso(now - config.missed_after)
    for post_id, old, scheduled in db.conn.execute(
            "select id, status, scheduled_at from social_posts"
            " where status in (?, ?) and scheduled_at < ?", [APPROVED, SCHEDULED, late]).fetchall():
        end(db, post_id, old, MISSED, at,
            f"missed: not sent by {hours(config.missed_after)} after its time"
            f" ({scheduled[:16].replace('T', ' ')} UTC); a late post can do harm")


class _Repost(NamedTuple):
    post_id: int
    status: str
    scheduled_at: str
    platform: str
    lead_id: int | None
    lead_status: str | None
    lead_platform_id: str | None
    lead_handle: str | None
    lead_platform: str | None


def _sweep_reposts(db: Database, now: datetime, config: Config) -> None:
    """A repost waits for its lead's post to be sent; when that can no longer happen (failed,
    cancelled, missed) or has not happened in the window (still sending or needs check), the
    repost ends too, with a reason that names the lead's post."""
    at, late = iso(now), iso(now - config.missed_after)
    for row in db.conn.execute(
            """select p.id, p.status, p.scheduled_at, p.platform, l.id, l.status,
                      l.platform_post_id, la.handle, l.platform
                 from social_posts p
                 left join social_posts l on l.id = p.repost_of
                 left join social_accounts la on la.id = l.account_id
                where p.status in (?, ?) and p.kind = 'repost'""",
            [APPROVED, SCHEDULED]).fetchall():
        repost = _Repost(*row)
        verdict = _repost_verdict(repost, late, config)
        if verdict is not None:
            new, reason = verdict
            end(db, repost.post_id, repost.status, new, at, reason)


def _repost_verdict(r: _Repost, late: str, config: Config) -> tuple[str, str] | None:
    """(new status, reason) for a repost whose lead's post will not be there, or None."""
    lead = (f"the lead's post #{r.lead_id} (@{r.lead_handle})" if r.lead_id is not None
            else "the lead's post")
    if (r.lead_id is None or r.platform != r.lead_platform
            or not platforms.get(r.platform).reposts):
        return FAILED, f"not reposted: {lead} is not an X post that can be reposted"
    if r.lead_status in (FAILED, CANCELLED):
        word = "failed" if r.lead_status == FAILED else "was cancelled"
        return FAILED, f"not reposted: {lead} {word}, so there is nothing to repost"
    if r.lead_status == MISSED:
        return MISSED, f"missed: {lead} was missed, so there is nothing to repost"
    if r.lead_status == SENT and not r.lead_platform_id:
        return FAILED, (f"not reposted: {lead} was marked sent without its address;"
                        " repost it by hand")
    if r.lead_status != SENT and r.scheduled_at < late:
        state = "still in needs check" if r.lead_status == NEEDS_CHECK else "not sent yet"
        return MISSED, (f"missed: {lead} was {state} {hours(config.missed_after)}"
                        f" after this repost's time")
    return None


# --- claiming --------------------------------------------------------------------------------

class _Due(NamedTuple):
    """A post that may be claimed now, with what its job needs."""

    post_id: int
    status: str
    platform: str
    text: str
    language: str | None
    key: str | None
    first_sent: str | None
    account_id: int
    wave_id: int | None
    scheduled_at: str
    attempts: int
    kit_id: int
    kind: str
    lead_id: str | None
    lead_url: str | None
    handle: str | None
    instance_url: str | None
    checks: int


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values)) or "null"


def _due(db: Database, at: str, capacity: int) -> list[_Due]:
    """Due posts (and posts to check) on connected accounts that are not rate-limited, oldest
    first; reposts only once their lead's post is sent. More than ``capacity``: some will be
    skipped (a busy account, a platform at its ceiling)."""
    posting = tuple(p.id for p in platforms.posting())
    reposting = tuple(p.id for p in platforms.posting() if p.reposts)
    rows = db.conn.execute(
        f"""select p.id, p.status, p.platform, p.text, p.language, p.dispatch_key,
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
                    or (p.kind = 'repost' and p.platform in ({_marks(reposting)})
                        and l.status = 'sent' and l.platform_post_id is not null))
               and p.platform in ({_marks(posting)})
               and a.state = 'connected' and coalesce(a.rate_limited_until, '') <= ?
               and {authority.CLAIMABLE}
             order by p.scheduled_at, p.id limit ?""",
        [APPROVED, SCHEDULED, at, NEEDS_CHECK, AUTO, at, *reposting, *posting, at,
         capacity * 4 + 20]).fetchall()
    return [_Due(*row) for row in rows]


@dataclass
class _Claim:
    """One claiming transaction: what is already in flight, and the images read so far."""

    db: Database
    worker: str
    now: datetime
    config: Config
    vault: credentials.Vault
    busy: set[int] = field(default_factory=set)  # accounts with a post in flight
    in_flight: dict[str, int] = field(default_factory=dict)  # per platform
    images: dict[int, tuple[Image, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.busy = {r[0] for r in self.db.conn.execute(
            "select distinct account_id from social_posts where status = ?", [SENDING])}
        self.in_flight = dict(self.db.conn.execute(
            "select platform, count(*) from social_posts where status = ? group by platform",
            [SENDING]).fetchall())

    def take(self, due: _Due) -> Claimed | None:
        """Claim one post, unless its account or platform is busy or it cannot be opened."""
        if due.account_id in self.busy or self.in_flight.get(
                due.platform, 0) >= self.config.platform_limits.get(due.platform, 10):
            return None
        try:
            secret = credentials.load(self.db, self.vault, due.account_id)
        except (NotFound, credentials.CredentialsUnreadable):
            return None
        at = iso(self.now)
        action = RECONCILE if due.status == NEEDS_CHECK else SEND
        key = due.key or platforms.get(due.platform).new_key()
        first = due.first_sent or (at if action == SEND else None)
        attempts = due.attempts + (1 if action == SEND else 0)
        comment = f"claimed by {self.worker}" if action == SEND else f"checking ({self.worker})"
        check_transition(due.status, SENDING)  # a refusal here is a bug: fail loudly
        if not move(self.db, due.post_id, due.status, SENDING, at, comment, {
                "claimed_by": self.worker, "lease_until": iso(self.now + self.config.lease),
                "dispatch_key": key, "first_sent_at": first, "attempts": attempts,
                "claimed_at": at}):
            return None
        self.busy.add(due.account_id)
        self.in_flight[due.platform] = self.in_flight.get(due.platform, 0) + 1
        return Claimed(job=self._job(due, key, secret, first), action=action,
                       account_id=due.account_id, wave_id=due.wave_id,
                       scheduled_at=due.scheduled_at, attempts=attempts, checks=due.checks,
                       claimed_at=self.now)

    def _job(self, due: _Due, key: str, secret: dict, first: str | None) -> Job:
        post = due.kind == "post"
        if post and due.kit_id not in self.images:
            self.images[due.kit_id] = kit_images(self.db, due.kit_id)
        return Job(post_id=due.post_id, platform=due.platform, text=due.text,
                   language=due.language or "", dispatch_key=key, handle=due.handle or "",
                   instance_url=due.instance_url or "", secret=secret,
                   first_sent_at=parse(first), now=self.now,
                   images=self.images[due.kit_id] if post else (), kind=due.kind,
                   repost_of_id=due.lead_id or "", repost_of_url=due.lead_url or "")


def claim(db: Database, worker: str, now: datetime, config: Config, capacity: int,
          vault: credentials.Vault) -> list[Claimed]:
    """Claim up to ``capacity`` due posts for ``worker`` in one IMMEDIATE transaction.

    SQLite lets one writer in at a time, so two workers never claim the same post; an account
    with a post in flight is skipped (one at a time per account), and each platform has a
    ceiling of posts in flight across all workers."""
    claimed: list[Claimed] = []
    with immediate(db):
        sweep(db, now, config)
        if capacity <= 0:
            return []
        state = _Claim(db=db, worker=worker, now=now, config=config, vault=vault)
        for due in _due(db, iso(now), capacity):
            if len(claimed) >= capacity:
                break
            one = state.take(due)
            if one is not None:
                claimed.append(one)
    return claimed


def kit_images(db: Database, kit_id: int) -> tuple[Image, ...]:
    """The kit's images with their alt text, in order: every post of the kit carries them.
    Read once per kit per claim, so a wave's posts share the same bytes in memory."""
    return tuple(Image(filename=r[0], content_type=r[1], data=r[2], alt=r[3])
                 for r in db.conn.execute(
                     "select filename, content_type, data, alt_text from social_kit_images"
                     " where kit_id = ? order by id", [kit_id]))
