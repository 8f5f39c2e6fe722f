"""The sender: claims due messages with a lease and hands each to the SMTP server once.

Exactly once, as far as SMTP allows (docs/mail.md): a message is resent only when the server
cannot have accepted it. Just before the end of DATA (the final ``.``), the sender records
``data_at`` in a compare-and-set that also proves it still holds the claim; only after the
server's answer does it record the outcome. A message whose sender vanished after ``data_at``
(a kill, a lost connection, a timeout waiting for the answer) is never resent by itself: it
becomes *unsure*, shown to coordinators. Before ``data_at`` the server holds at most an
unfinished DATA, which it discards: the message simply goes back to the queue.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.utils import parseaddr
from typing import Any

from juntos.clock import Clock, iso, system_clock
from juntos.db import Database
from juntos.db import connect as connect_db
from juntos.mail import compose
from juntos.settings import Settings

log = logging.getLogger("juntos.mail")

MAX_ATTEMPTS = 8
BATCH = 50


class _Lost(Exception):
    """The claim was taken back while sending (the lease ran out): stop, send nothing more."""


@dataclass
class Report:
    """What one run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsure: int = 0
    requeued: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        for name in ("sent", "retried", "failed", "unsure", "requeued"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reasons += other.reasons

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed + self.unsure


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 ... minutes, at most six hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _reason(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {words}".strip()[:500]


class Sender:
    """One worker. ``lease_seconds`` must exceed a message's worst case (each SMTP step waits
    ``timeout`` at most, five steps) so a live sender never loses its claim."""

    def __init__(self, settings: Settings, *, clock: Clock = system_clock,
                 lease_seconds: float = 300, timeout: float = 30,
                 connect: Callable[[], Database] | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self.timeout = timeout
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stop = threading.Event()
        self._connect = connect or (lambda: connect_db(settings.db_path))

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    # -- claiming -------------------------------------------------------------------------
    def sweep(self, db: Database) -> int:
        """Messages whose sender vanished: back to the queue if the server cannot have them,
        else *unsure* (never resent blindly)."""
        now = iso(self.clock())
        with db.atomic():
            back = db.execute(
                "update mail_outbox set status = 'queued', claimed_by = '', lease_until = ''"
                " where status = 'sending' and lease_until < ? and data_at = ''", [now]).rowcount
            db.execute(
                "update mail_outbox set status = 'unsure', reason = ? where status = 'sending'"
                " and lease_until < ? and data_at != ''",
                ["The sender stopped after handing the message over, before the server's "
                 "answer: it may have been delivered.", now])
        return int(back)

    def claim(self, db: Database, limit: int = BATCH) -> list[dict[str, Any]]:
        now = self.clock()
        with db.atomic():
            ids = [r["id"] for r in db.query(
                "select id from mail_outbox where status = 'queued' and next_attempt_at <= ?"
                " order by next_attempt_at, id limit ?", [iso(now), limit])]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            db.execute(
                f"update mail_outbox set status = 'sending', claimed_by = ?, lease_until = ?,"
                f" data_at = '' where id in ({marks}) and status = 'queued'",
                [self.worker, iso(now + self.lease), *ids])
            return list(db.query(
                f"select * from mail_outbox where id in ({marks}) and claimed_by = ?"
                f" and status = 'sending' order by id", [*ids, self.worker]))

    # -- recording --------------------------------------------------------------------------
    def _mark_data(self, db: Database, message_id: int) -> None:
        """Compare-and-set just before the final dot: we still hold it, and say so."""
        now = self.clock()
        with db.atomic():
            owned = db.execute(
                "update mail_outbox set data_at = ? where id = ?"
                " and claimed_by = ? and status = 'sending'",
                [iso(now), message_id, self.worker]).rowcount
            if owned != 1:
                raise _Lost()
            db.execute("update mail_outbox set lease_until = ? where claimed_by = ? and"
                       " status = 'sending'", [iso(now + self.lease), self.worker])

    def _settle(self, db: Database, row: dict[str, Any], status: str, reason: str = "",
                *, count: bool = True) -> None:
        now = self.clock()
        attempts = row["attempts"] + (1 if count else 0)
        values: dict[str, Any] = {"status": status, "reason": reason, "claimed_by": "",
                                  "lease_until": ""}
        if status == "sent":
            values["sent_at"] = iso(now)
        elif status == "queued":
            if attempts >= MAX_ATTEMPTS:
                values["status"] = "failed"
                values["reason"] = f"{MAX_ATTEMPTS} attempts; last: {reason}"
            values["next_attempt_at"] = iso(now + backoff(attempts))
            values["data_at"] = ""
        if count:
            values["attempts"] = attempts
        sets = ", ".join(f"{k} = ?" for k in values)
        with db.atomic():
            db.execute(f"update mail_outbox set {sets} where id = ? and claimed_by = ?"
                       f" and status in ('sending', 'unsure')",
                       [*values.values(), row["id"], self.worker])

    # -- sending ------------------------------------------------------------------------------
    def _smtp(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout)
        # The body and the final dot are two writes: without this, Nagle's algorithm holds the
        # dot until the body's ACK (delayed up to 40 ms), for every message.
        if smtp.sock is not None:
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp.ehlo_or_helo_if_needed()
        if s.smtp_starttls:
            smtp.starttls()
            smtp.ehlo()
        if s.smtp_username:
            smtp.login(s.smtp_username, s.smtp_password)
        return smtp

    def send_batch(self, db: Database) -> Report:
        """Claim up to one batch and send it over one connection."""
        report = Report()
        self.sweep(db)
        rows = self.claim(db)
        if not rows:
            return report
        try:
            smtp = self._smtp()
        except (OSError, smtplib.SMTPException) as e:
            for row in rows:
                self._settle(db, row, "queued", f"Could not reach the mail server: {e}")
                report.retried += 1
            report.reasons.append(str(e))
            return report
        try:
            self._send_rows(db, smtp, rows, report)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        return report

    def _send_rows(self, db: Database, smtp: smtplib.SMTP, rows: list[dict[str, Any]],
                   report: Report) -> None:
        envelope_from = parseaddr(compose.sender_address(self.settings))[1]
        for n, row in enumerate(rows):
            if self.stop.is_set():
                self._release(db, rows[n:], report)
                return
            try:
                self._send_one(db, smtp, row, envelope_from, report)
            except _Lost:
                smtp.close()
                return
            except (OSError, smtplib.SMTPException) as e:
                smtp.close()  # the connection is in an unknown state: end the batch
                self._after_error(db, row, e, report)
                self._release(db, rows[n + 1:], report)
                return

    def _release(self, db: Database, rows: list[dict[str, Any]], report: Report) -> None:
        for row in rows:
            self._settle(db, row, "queued", count=False)
            report.requeued += 1

    def _after_error(self, db: Database, row: dict[str, Any], error: Exception,
                     report: Report) -> None:
        handed_over = next(iter(db.query("select data_at from mail_outbox where id = ?",
                                    [row["id"]])))["data_at"]
        if handed_over:
            self._settle(db, row, "unsure", f"No answer from the mail server after the "
                         f"message was handed over ({error}): it may have been delivered.")
            report.unsure += 1
        else:
            self._settle(db, row, "queued", f"Connection to the mail server lost: {error}")
            report.retried += 1

    def _send_one(self, db: Database, smtp: smtplib.SMTP, row: dict[str, Any],
                  envelope_from: str, report: Report) -> None:
        try:
            message = compose.build(row, self.settings, now=self.clock())
            data = message.as_bytes(policy=policy.SMTP)
        except (ValueError, TypeError, UnicodeError) as e:  # an address no server would take
            self._settle(db, row, "failed", f"Could not write this message: {e}")
            report.failed += 1
            return
        to = parseaddr(row["to_addr"])[1]
        code, text = smtp.mail(envelope_from)
        if code == 250:
            code, text = smtp.rcpt(to)
        if code not in (250, 251):
            smtp.rset()
            self._refused(db, row, code, text, report)
            return
        code, text = self._data(db, smtp, row, data)
        if code == 250:
            self._settle(db, row, "sent")
            report.sent += 1
        else:  # the server answered: it did not take the message
            self._refused(db, row, code, text, report)

    def _refused(self, db: Database, row: dict[str, Any], code: int, text: bytes | str,
                 report: Report) -> None:
        reason = _reason(code, text)
        if 400 <= code < 500:
            self._settle(db, row, "queued", reason)
            report.retried += 1
        else:
            self._settle(db, row, "failed", reason)
            report.failed += 1
            report.reasons.append(reason)

    def _data(self, db: Database, smtp: smtplib.SMTP, row: dict[str, Any],
              data: bytes) -> tuple[int, bytes]:
        """DATA, the message, then (only once recorded) the final dot and the answer."""
        code, text = smtp.docmd("data")
        if code != 354:
            return code, text
        body = re.sub(rb"(?m)^\.", b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        try:
            self._mark_data(db, row["id"])
        except _Lost:
            smtp.close()  # an unfinished DATA: the server discards it
            raise
        smtp.send(b".\r\n")
        return smtp.getreply()

    # -- running ------------------------------------------------------------------------------
    def run_once(self) -> Report:
        """Send everything due now (batch after batch), then return."""
        report = Report()
        db = self._connect()
        try:
            while not self.stop.is_set():
                batch = self.send_batch(db)
                report.add(batch)
                if batch.total + batch.requeued == 0 or batch.sent == 0:
                    break
        finally:
            db.close()
        return report

    def run(self, idle_seconds: float = 10) -> None:
        """Send until ``stop`` is set, waiting ``idle_seconds`` when nothing is due."""
        while not self.stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # one bad round must not end the sender
                log.exception("Mail sender round failed")
                report = Report()
            if report.sent == 0 and self.stop.wait(idle_seconds):
                return
