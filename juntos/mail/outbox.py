"""Writing messages: one outbox row per person, in the transaction of the change causing it.

A caller builds the ``Content`` in the reader's language (``i18n.gettext_for``) and calls
``write``. The row's key makes writing idempotent; its Message-ID is fixed here; the reader's
preference decides whether it is queued now, kept for a digest, or not written at all.
"""

from __future__ import annotations

import json
import secrets
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.mail import kinds
from juntos.mail.kinds import Recipient

STATUSES = ("queued", "sending", "sent", "failed", "unsure")


@dataclass(frozen=True, kw_only=True)
class Content:
    """What a message says, already in its reader's language.

    ``action``: the one thing to do, a label and a path on the site (made absolute when sent,
    with ``base_url``); ``links``: further links before it, label and absolute address (one
    off the site, as WhatsApp's ``wa.me``); ``why``: why this person got it (every message
    says so); ``digest_line``: the line it becomes in a digest (the subject when empty).
    """

    subject: str
    paragraphs: tuple[str, ...] = ()
    action_label: str = ""
    action_path: str = ""
    why: str = ""
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    digest_line: str = ""
    links: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Content:
        data: dict[str, Any] = json.loads(text)
        data["paragraphs"] = tuple(data.get("paragraphs", ()))
        data["sections"] = tuple((h, tuple(lines)) for h, lines in data.get("sections", ()))
        data["links"] = tuple((label, url) for label, url in data.get("links", ()))
        return cls(**data)


@dataclass(frozen=True)
class Written:
    """What ``write`` did: ``queued`` (an outbox row), ``digest`` (kept for one), ``skipped``
    (the reader said never), ``exists`` (the key was written before)."""

    outcome: str
    outbox_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@cache
def _domain() -> str:
    return socket.getfqdn() or "localhost"


def new_message_id() -> str:
    """A globally unique Message-ID (RFC 5322 3.6.4), fixed when the row is written."""
    return f"<{uuid.uuid4().hex}@{_domain()}>"


def delivery(db: Database, user_id: int | None, kind_id: str) -> str:
    """How this person wants this kind: their choice, else the kind's default."""
    kind = kinds.kind(kind_id)
    if kind.always or user_id is None:
        return "immediately"
    rows = list(db.query("select delivery from mail_preferences where user_id = ? and kind = ?",
                         [user_id, kind_id]))
    chosen = rows[0]["delivery"] if rows else kind.default
    if chosen in ("daily", "weekly") and not kind.digest:
        return "immediately"
    return str(chosen)


def unsubscribe_token(db: Database, user_id: int, kind_id: str) -> str:
    """The person's one-click unsubscribe token for this kind (made once, kept)."""
    rows = list(db.query("select token from mail_unsubscribe where user_id = ? and kind = ?",
                         [user_id, kind_id]))
    if rows:
        return str(rows[0]["token"])
    token = secrets.token_urlsafe(24)
    db.execute("insert into mail_unsubscribe (token, user_id, kind) values (?, ?, ?)",
               [token, user_id, kind_id])
    return token


def write(db: Database, *, to: Recipient, kind: str, key: str, content: Content,
          now: datetime) -> Written:
    """Write one message for ``to`` (idempotent by ``key``), in the caller's transaction."""
    with db.atomic():
        if list(db.query("select 1 from mail_outbox where key = ? union all "
                         "select 1 from mail_digest_items where key = ?", [key, key])):
            return Written("exists")
        how = delivery(db, to.user_id, kind)
        if how == "never":
            return Written("skipped")
        if how in ("daily", "weekly") and to.user_id is not None:
            db.execute(
                "insert into mail_digest_items (key, user_id, kind, delivery, line, created_at)"
                " values (?, ?, ?, ?, ?, ?)",
                [key, to.user_id, kind, how, content.digest_line or content.subject, iso(now)])
            return Written("digest")
        return Written("queued", _queue(db, to=to, kind=kind, key=key, content=content, now=now))


def _queue(db: Database, *, to: Recipient, kind: str, key: str, content: Content,
           now: datetime) -> int:
    token = ""
    if to.user_id is not None and not kinds.kind(kind).always:
        token = unsubscribe_token(db, to.user_id, kind)
    cursor = db.execute(
        "insert into mail_outbox (key, message_id, kind, user_id, to_addr, language, content,"
        " unsubscribe_token, status, next_attempt_at, created_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
        [key, new_message_id(), kind, to.user_id, to.email, to.language or "en",
         content.to_json(), token, iso(now), iso(now)])
    return int(cursor.lastrowid or 0)


def counts(db: Database) -> dict[str, int]:
    found = {status: 0 for status in STATUSES}
    for row in db.query("select status, count(*) as n from mail_outbox group by status"):
        found[row["status"]] = row["n"]
    return found


def listing(db: Database, *, status: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """The outbox for coordinators: newest first, with subject and reason."""
    where, params = ("where status = ?", [status]) if status in STATUSES else ("", [])
    rows = list(db.query(
        f"select id, kind, to_addr, status, attempts, next_attempt_at, sent_at, reason,"
        f" created_at, content, message_id from mail_outbox {where}"
        f" order by id desc limit ?", [*params, limit]))
    for row in rows:
        row["subject"] = json.loads(row.pop("content")).get("subject", "")
    return rows


def resolve(db: Database, outbox_id: int, decision: str, *, now: datetime) -> bool:
    """A person's answer for an unsure message: ``sent`` (it arrived) or ``again``."""
    with db.atomic():
        if decision == "sent":
            changed = db.execute(
                "update mail_outbox set status = 'sent', sent_at = ?, claimed_by = '',"
                " reason = 'Marked sent by a person.' where id = ? and status = 'unsure'",
                [iso(now), outbox_id]).rowcount
        else:
            changed = db.execute(
                "update mail_outbox set status = 'queued', next_attempt_at = ?, data_at = '',"
                " claimed_by = '', lease_until = '', reason = '' where id = ?"
                " and status = 'unsure'", [iso(now), outbox_id]).rowcount
    return bool(changed)


def settle_after_restore(db: Database, now: datetime) -> int:
    """After a restore from backup, messages waiting or in flight may have been sent by the
    replaced database since the backup: they become *unsure* (a person decides), never resent
    by themselves. Messages written after the restore are not touched."""
    with db.atomic():
        return int(db.execute(
            "update mail_outbox set status = 'unsure', claimed_by = '', lease_until = '',"
            " reason = ? where status in ('queued', 'sending')",
            [f"Restored from a backup on {iso(now)}: the replaced database may have sent it."]
        ).rowcount)
