"""Per person and per kind: immediately, in the daily or weekly digest, or never."""

from __future__ import annotations

from dataclasses import dataclass

from juntos.db import Database
from juntos.errors import Message, NotFound, ValidationError
from juntos.mail import kinds
from juntos.mail.outbox import delivery
from juntos.validation import N_


@dataclass(frozen=True)
class Choice:
    """One row of the preferences form."""

    kind: kinds.Kind
    delivery: str
    choices: tuple[str, ...]


def choices(db: Database, user_id: int) -> list[Choice]:
    """What this person may choose, kind by kind (invitations and resets are not listed)."""
    found = []
    for kind in kinds.all_kinds():
        if kind.always:
            continue
        allowed = kinds.DELIVERIES if kind.digest else ("immediately", "never")
        found.append(Choice(kind, delivery(db, user_id, kind.id), allowed))
    return found


def save(db: Database, user_id: int, form: dict[str, str]) -> None:
    """Store the choices posted (``kind id → delivery``); unknown kinds and values refused."""
    known = {c.kind.id: c for c in choices(db, user_id)}
    errors: dict[str, str] = {}
    updates = {}
    for kind_id, value in form.items():
        if kind_id not in known:
            continue
        if value not in known[kind_id].choices:
            errors[kind_id] = Message(N_("Choose one of the options."))
            continue
        updates[kind_id] = value
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        for kind_id, value in updates.items():
            set_delivery(db, user_id, kind_id, value)


def set_delivery(db: Database, user_id: int, kind_id: str, value: str) -> None:
    db.execute("insert into mail_preferences (user_id, kind, delivery) values (?, ?, ?)"
               " on conflict (user_id, kind) do update set delivery = excluded.delivery",
               [user_id, kind_id, value])


def unsubscribe_target(db: Database, token: str) -> kinds.Kind:
    """The kind an unsubscribe link is for (404 for an unknown token)."""
    rows = list(db.query("select kind from mail_unsubscribe where token = ?", [token]))
    if not rows:
        raise NotFound("No such unsubscribe link.")
    return kinds.kind(rows[0]["kind"])


def unsubscribe(db: Database, token: str) -> kinds.Kind:
    """One click (RFC 8058): this person gets no more messages of this kind."""
    with db.atomic():
        rows = list(db.query("select user_id, kind from mail_unsubscribe where token = ?",
                             [token]))
        if not rows:
            raise NotFound("No such unsubscribe link.")
        set_delivery(db, rows[0]["user_id"], rows[0]["kind"], "never")
    return kinds.kind(rows[0]["kind"])
