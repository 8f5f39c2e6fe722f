"""Recording an outcome, in its own transaction: sent (platform id and URL), retry later
(backoff with jitter, or the platform's reset time), failed (the platform's reason), or needs
check. Every attempt is a row in ``social_post_attempts``."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.social import credentials
from juntos.social.dispatch.common import (
    AUTO,
    MAX_CHECKS,
    PERSON,
    RECONCILE,
    Claimed,
    Config,
    attempt,
    end,
    hours,
    immediate,
    move,
    parse,
)
from juntos.social.models import (
    APPROVED,
    FAILED,
    MISSED,
    NEEDS_CHECK,
    SCHEDULED,
    SENDING,
    SENT,
)
from juntos.social.platforms.outcomes import (
    OUT_OF_CREDIT,
    Absent,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
)


def backoff(attempt: int, config: Config, rand: Callable[[], float] = random.random) -> timedelta:
    """Exponential backoff with jitter (50-150 %), so a wave's retries do not all collide."""
    base = config.backoff_base * (2 ** max(0, attempt - 1))
    return min(base, config.backoff_max) * (0.5 + rand())


def record(db: Database, claimed: Claimed, outcome: Outcome, *, worker: str, now: datetime,
           config: Config, vault: credentials.Vault | None = None,
           new_secret: dict[str, Any] | None = None) -> str:
    """Record one outcome in its own transaction; return the post's new status."""
    at = iso(now)
    post_id = claimed.job.post_id
    detail = getattr(outcome, "reason", "") or getattr(outcome, "url", "")
    with immediate(db):
        attempt(db, post_id, at, worker, claimed.action, type(outcome).__name__.lower(),
                outcome.code, detail)
        if new_secret is not None and vault is not None:
            credentials.update_secret(db, vault, claimed.account_id, new_secret, now=now)
        row = db.conn.execute("select status, claimed_by from social_posts where id = ?",
                              [post_id]).fetchone()
        status, owner = row if row else ("", None)
        step = _Step(db=db, claimed=claimed, now=now, worker=worker, config=config)
        mine = status == SENDING and owner == worker
        if isinstance(outcome, Sent):
            # The truth wins even if our lease ran out and the post went to needs check.
            return step.sent(outcome, status) if mine or status == NEEDS_CHECK else status
        if not mine:
            return status  # our lease expired; whoever holds the post now decides
        if isinstance(outcome, Permanent):
            return step.permanent(outcome)
        if isinstance(outcome, Transient):
            return step.transient(outcome)
        if isinstance(outcome, Absent):
            return step.absent(outcome)
        return step.unknown(outcome)


@dataclass(frozen=True, kw_only=True)
class _Step:
    """Where one outcome takes a post this worker holds."""

    db: Database
    claimed: Claimed
    now: datetime
    worker: str
    config: Config

    @property
    def at(self) -> str:
        return iso(self.now)

    @property
    def late(self) -> datetime:
        """Past this moment the post is missed rather than sent."""
        return (parse(self.claimed.scheduled_at) or self.now) + self.config.missed_after

    def _to(self, new: str, comment: str, sets: dict[str, Any], old: str = SENDING) -> str:
        move(self.db, self.claimed.job.post_id, old, new, self.at, comment,
             {**sets, "lease_until": None}, None if old != SENDING else self.worker)
        return new

    def sent(self, outcome: Sent, status: str) -> str:
        return self._to(SENT, f"sent: {outcome.url}", {
            "platform_post_id": outcome.platform_id, "platform_url": outcome.url,
            "error": None, "check_state": "", "next_attempt_at": None}, old=status)

    def permanent(self, outcome: Permanent) -> str:
        if outcome.expired:
            credentials.mark_expired(self.db, self.claimed.account_id, now=self.now,
                                     detail=outcome.reason)
        if outcome.out_of_credit:
            self._fail_wave(outcome.reason)
        if self.claimed.action == RECONCILE:
            return self._to(NEEDS_CHECK, outcome.reason,
                            {"error": outcome.reason, "check_state": PERSON})
        return self._to(FAILED, outcome.reason, {"error": outcome.reason})

    def transient(self, outcome: Transient) -> str:
        claimed, now = self.claimed, self.now
        if outcome.rate_limited and outcome.retry_at:
            credentials.mark_rate_limited(self.db, claimed.account_id, until=outcome.retry_at,
                                          now=now)
        retry = max(now + backoff(claimed.attempts + claimed.checks, self.config),
                    outcome.retry_at or now)
        if claimed.action == RECONCILE:
            person = claimed.checks + 1 >= MAX_CHECKS
            return self._to(NEEDS_CHECK, f"could not check: {outcome.reason}", {
                "check_state": PERSON if person else AUTO, "next_attempt_at": iso(retry),
                "error": outcome.reason})
        if retry > self.late:
            return self._missed(outcome.reason)
        if claimed.attempts >= self.config.max_attempts:
            reason = f"gave up after {claimed.attempts} attempts: {outcome.reason}"
            return self._to(FAILED, reason, {"error": reason})
        return self._to(SCHEDULED, f"{outcome.reason}: retrying at {iso(retry)}",
                        {"next_attempt_at": iso(retry), "error": outcome.reason})

    def absent(self, outcome: Absent) -> str:
        if self.now > self.late:
            return self._missed(outcome.reason)
        return self._to(SCHEDULED, f"checked: {outcome.reason}; sending again",
                        {"next_attempt_at": None, "check_state": ""})

    def unknown(self, outcome: Unknown) -> str:
        """Never resend blindly: check the platform, or (after a check) ask a person."""
        claimed = self.claimed
        again = claimed.action != RECONCILE or (outcome.in_flight
                                                 and claimed.checks + 1 < MAX_CHECKS)
        if not again:
            reason = (f"cannot tell whether this post went out ({outcome.reason}): look at the "
                      "account, then choose resend or mark sent")
            return self._to(NEEDS_CHECK, reason, {"check_state": PERSON, "error": reason})
        # The request may still be running on the server: nobody looks (or resends with the
        # same key) until it cannot be.
        settled = max(self.now, (claimed.claimed_at or self.now) + self.config.settle)
        return self._to(NEEDS_CHECK, f"{outcome.reason}: checking after {iso(settled)}", {
            "check_state": AUTO, "error": outcome.reason, "next_attempt_at": iso(settled)})

    def _missed(self, reason: str) -> str:
        text = f"missed: no chance to send within {hours(self.config.missed_after)} ({reason})"
        return self._to(MISSED, text, {"error": text})

    def _fail_wave(self, reason: str) -> None:
        """Out of API credit: the wave's other posts on this platform would fail the same way,
        for hours."""
        claimed = self.claimed
        if claimed.wave_id is None:
            return
        text = f"{OUT_OF_CREDIT}: not sent (another post of this wave was refused: {reason})"
        for post_id, old in self.db.conn.execute(
                "select id, status from social_posts where wave_id = ? and platform = ?"
                " and status in (?, ?) and id != ?",
                [claimed.wave_id, claimed.job.platform, APPROVED, SCHEDULED,
                 claimed.job.post_id]).fetchall():
            end(self.db, post_id, old, FAILED, self.at, text)
