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


@migrations()
def m005_account_links(db: Database) -> None:
    # Single-use links of invitations and password resets. Only a hash of the token is kept,
    # so a copy of the database cannot be used to take over an account.
    db.execute(
        """create table account_links (
            token_hash text primary key,
            user_id integer not null references users(id),
            purpose text not null,
            created_at text not null,
            expires_at text not null,
            used_at text not null default '',
            created_by integer
        )""")
    db.execute("create index idx_account_links_user on account_links(user_id, purpose)")
