"""Who gets e-mail: users as mail recipients (their address, language, organisation)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from juntos.db import Database
from juntos.mail import outbox
from juntos.mail.kinds import Recipient

_SELECT = "select id, email, name, language, organisation_id from users where active = 1"


def _recipient(row: dict[str, object]) -> Recipient:
    return Recipient(user_id=int(row["id"]), email=str(row["email"]),  # type: ignore[call-overload]
                     language=str(row["language"] or "en"), name=str(row["name"] or ""),
                     organisation_id=int(row["organisation_id"]))  # type: ignore[call-overload]


def members_of(db: Database, organisation_id: int, *, roles: tuple[str, ...] = (
        "member", "coordinator")) -> list[Recipient]:
    """The active members of an organisation who may act for it (viewers only read)."""
    marks = ",".join("?" * len(roles))
    return [_recipient(r) for r in db.query(
        _SELECT + f" and organisation_id = ? and role in ({marks}) order by id",
        [organisation_id, *roles])]


def coordinators(db: Database) -> list[Recipient]:
    return [_recipient(r) for r in db.query(_SELECT + " and role = 'coordinator' order by id")]


def everyone(db: Database) -> list[Recipient]:
    """Every active user (the weekly digest's readers)."""
    return [_recipient(r) for r in db.query(_SELECT + " order by id")]


Row = dict[str, Any]


def tell_members(db: Database, rows: Iterable[Row], *, kind: str,
                 key: Callable[[Row, Recipient], str],
                 content: Callable[[Row, Recipient], outbox.Content], now: datetime) -> int:
    """Each row's message to every member of its ``organisation_id``, once per ``key`` (the
    outbox keeps it exactly once); returns how many were queued or kept for a digest. Each
    organisation's members are read once, however many of its rows there are."""
    written = 0
    members: dict[int, list[Recipient]] = {}
    for row in rows:
        org_id = row["organisation_id"]
        if org_id not in members:
            members[org_id] = members_of(db, org_id)
        for person in members[org_id]:
            done = outbox.write(db, to=person, kind=kind, key=key(row, person),
                                content=content(row, person), now=now)
            written += done.outcome in ("queued", "digest")
    return written
