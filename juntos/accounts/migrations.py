"""Schema of the accounts area."""

from __future__ import annotations

from juntos.db import Database, Migrations

migrations = Migrations("juntos.accounts")


@migrations()
def m001_users(db: Database) -> None:
    db["users"].create(
        {
            "id": int,
            "email": str,
            "name": str,
            "password_hash": str,
            "organisation_id": int,
            "role": str,
            "language": str,
            "active": int,
            "created_at": str,
            "last_login_at": str,
        },
        pk="id",
        not_null={"email", "password_hash", "organisation_id", "role"},
        defaults={"active": 1, "language": ""},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["users"].create_index(["email"], unique=True)
    db["users"].create_index(["organisation_id"])


@migrations()
def m002_login_failures(db: Database) -> None:
    # One row per failed attempt, keyed by account e-mail and by client address.
    db["login_failures"].create({"id": int, "scope": str, "key": str, "at": str}, pk="id")
    db["login_failures"].create_index(["scope", "key", "at"])


@migrations()
def m003_session_epoch(db: Database) -> None:
    # Sessions are signed cookies; raising the epoch invalidates every one issued before.
    db["users"].add_column("session_epoch", int, not_null_default=0)


@migrations()
def m004_ended_sessions(db: Database) -> None:
    # A session ended by logging out: its id is refused until the cookie could have expired.
    db["ended_sessions"].create({"sid": str, "ended_at": str}, pk="sid")
    db["ended_sessions"].create_index(["ended_at"])
