"""Platform credentials of social accounts: sealed with Fernet, stored apart, never shown back.

A token in the database is as good as a password to a partner's public voice, and some partners'
staff are at risk. So tokens are encrypted at rest with a key kept outside the database (in
settings, or ``<db>.credentials-key`` with mode 0600), live in their own table so a page can
never select them by accident, and are deleted (with SQLite's secure_delete) on disconnect.

Account connection states live here too: connected, expired (a 401: token expired or revoked),
rate-limited until a time.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, JuntosError, NotFound
from juntos.settings import Settings, load_or_create_secret
from juntos.social.models import CONNECTED, EXPIRED, NOT_CONNECTED


class CredentialsUnreadable(JuntosError):
    """The stored credentials cannot be decrypted (the key changed): reconnect the account."""


def with_credentials_key(settings: Settings) -> Settings:
    """Settings whose credentials key is set, creating ``<db>.credentials-key`` if needed."""
    if settings.credentials_key:
        return settings
    key = load_or_create_secret(settings.credentials_key_path,
                                make=lambda: Fernet.generate_key().decode())
    return replace(settings, credentials_key=key)


class Vault:
    """Seals and opens credential dicts with one Fernet key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        return cls(with_credentials_key(settings).credentials_key)

    def seal(self, secret: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(secret).encode()).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            return json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken:
            raise CredentialsUnreadable(
                "The stored credentials cannot be read with the current key: reconnect the "
                "account.") from None

    def __repr__(self) -> str:  # never print the key
        return "Vault(<key hidden>)"


def store(db: Database, vault: Vault, account_id: int, secret: dict[str, Any], *, now: datetime,
          detail: str = "") -> None:
    """Save an account's credentials and mark it connected."""
    with db.atomic():
        db.execute(
            "insert into social_account_secrets (account_id, sealed, updated_at) values (?, ?, ?)"
            " on conflict(account_id) do update set sealed = excluded.sealed,"
            " updated_at = excluded.updated_at", [account_id, vault.seal(secret), iso(now)])
        db.execute(
            "update social_accounts set state = ?, state_detail = ?, rate_limited_until = null,"
            " connected_at = ?, updated_at = ? where id = ?",
            [CONNECTED, detail, iso(now), iso(now), account_id])


def update_secret(db: Database, vault: Vault, account_id: int, secret: dict[str, Any], *,
                  now: datetime) -> None:
    """Replace the sealed credentials only (e.g. a refreshed Bluesky session), if still there."""
    db.execute("update social_account_secrets set sealed = ?, updated_at = ? where account_id = ?",
               [vault.seal(secret), iso(now), account_id])


def load(db: Database, vault: Vault, account_id: int) -> dict[str, Any]:
    row = db.execute("select sealed from social_account_secrets where account_id = ?",
                     [account_id]).fetchone()
    if row is None:
        raise NotFound("This account is not connected.")
    return vault.open(row[0])


def disconnect(db: Database, account_id: int, *, now: datetime) -> None:
    """Forget the credentials (overwritten on disk, not just unlinked) and mark not connected."""
    if db.conn.in_transaction:
        raise Conflict("disconnect must not run inside another transaction")
    db.execute("PRAGMA secure_delete = ON")
    try:
        with db.atomic():
            db.execute("delete from social_account_secrets where account_id = ?", [account_id])
            db.execute(
                "update social_accounts set state = ?, state_detail = '', display_name = '',"
                " rate_limited_until = null, connected_at = null, updated_at = ? where id = ?",
                [NOT_CONNECTED, iso(now), account_id])
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    # WAL frames still hold the old page until a checkpoint: fold them in now.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def mark_expired(db: Database, account_id: int, *, now: datetime, detail: str) -> None:
    """A 401: the token expired or was revoked. Posting stops until someone reconnects."""
    db.execute("update social_accounts set state = ?, state_detail = ?, updated_at = ?"
               " where id = ? and state = ?", [EXPIRED, detail[:300], iso(now), account_id,
                                               CONNECTED])


def mark_rate_limited(db: Database, account_id: int, *, until: datetime, now: datetime) -> None:
    db.execute("update social_accounts set rate_limited_until = ?, updated_at = ? where id = ?",
               [iso(until), iso(now), account_id])


def state_of(db: Database, account_id: int, *, now: datetime) -> dict[str, Any]:
    """What a page shows: state, its detail, and the rate-limit end if still in the future."""
    row = db.execute("select state, state_detail, rate_limited_until, connected_at"
                     " from social_accounts where id = ?", [account_id]).fetchone()
    if row is None:
        raise NotFound(f"No social account with id {account_id}.")
    limited = row[2] if row[2] and row[2] > iso(now) else None
    return {"state": row[0], "detail": row[1], "rate_limited_until": limited,
            "connected_at": row[3]}
