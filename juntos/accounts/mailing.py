"""Who gets e-mail: users as mail recipients (their address, language, organisation)."""

from __future__ import annotations

from juntos.db import Database
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
