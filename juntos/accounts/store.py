"""Users: creation, lookup and authentication with throttling."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from juntos.accounts import passwords
from juntos.accounts.inputs import NewUser, PasswordChange, RoleChange
from juntos.area import ExtensionPoint
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, Message, NotFound, TooManyAttempts, ValidationError
from juntos.validation import N_, validate

#: What else ends with a user's access (the calendar revokes their private feed token).
DEACTIVATED: ExtensionPoint[Callable[[Database, int], None]] = ExtensionPoint(
    "accounts.deactivated")

#: How long a session cookie lives (sliding); an ended session is remembered as long.
SESSION_MAX_AGE = timedelta(days=14)


@dataclass(frozen=True)
class User:
    """The signed-in person, as the policy and the templates see them."""

    id: int
    email: str
    name: str
    organisation_id: int
    organisation_slug: str
    organisation_name: str
    role: str
    language: str
    session_epoch: int = 0
    #: The organisation's time zone, read with the user: pages show times in it.
    organisation_timezone: str = "UTC"

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


def _user(row: dict[str, Any]) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"] or row["email"],
        organisation_id=row["organisation_id"],
        organisation_slug=row["org_slug"],
        organisation_name=row["org_name"],
        role=row["role"],
        language=row["language"] or "",
        session_epoch=row.get("session_epoch") or 0,
        organisation_timezone=row.get("org_timezone") or "UTC",
    )


_SELECT = (
    "select u.*, o.slug as org_slug, o.name as org_name, o.timezone as org_timezone"
    " from users u"
    " join organisations o on o.id = u.organisation_id"
)


def get(db: Database, user_id: int) -> User | None:
    rows = list(db.query(_SELECT + " where u.id = ? and u.active = 1", [user_id]))
    return _user(rows[0]) if rows else None


def for_session(db: Database, user_id: int, sid: str) -> User | None:
    """The active user of a session not ended by logging out, in one query (every page
    asks)."""
    rows = list(db.query(_SELECT + " where u.id = ? and u.active = 1 and not exists"
                         " (select 1 from ended_sessions where sid = ?)", [user_id, sid]))
    return _user(rows[0]) if rows else None


def get_any(db: Database, user_id: int) -> dict[str, Any] | None:
    """A user row whether active or not (for administration)."""
    rows = list(db.query("select id, email, role, active from users where id = ?", [user_id]))
    return rows[0] if rows else None


def get_by_email(db: Database, email: str) -> User:
    rows = list(db.query(_SELECT + " where u.email = ?", [email.strip().lower()]))
    if not rows:
        raise NotFound(f"No user {email!r}.")
    return _user(rows[0])


def create(
    db: Database,
    *,
    email: str,
    password: str,
    org_slug: str,
    role: str,
    name: str = "",
    language: str = "",
    now: datetime,
) -> User:
    user = validate(NewUser, {"email": email, "password": password, "role": role,
                              "name": name, "language": language})
    org = _organisation(db, org_slug)
    if list(db.query("select 1 from users where email = ?", [user.email])):
        raise Conflict(f"A user {user.email!r} already exists.")
    db["users"].insert(
        {
            "email": user.email,
            "name": user.name,
            "password_hash": passwords.hash_password(user.password),
            "organisation_id": org["id"],
            "role": user.role,
            "language": user.language,
            "active": 1,
            "created_at": iso(now),
        }
    )
    return get_by_email(db, user.email)


def _organisation(db: Database, slug: str) -> dict[str, Any]:
    """The user's organisation by slug. Users belong to organisations, whose table this layer
    reads (as its joins do) without depending on the organisations area's code."""
    rows = list(db.query("select id, name from organisations where slug = ?", [slug]))
    if not rows:
        raise NotFound(f"No organisation {slug!r}.")
    return rows[0]


def set_password(db: Database, user_id: int, password: str) -> None:
    """New password; every existing session of the user ends (the epoch rises)."""
    passwords.check_strength(password)
    db.execute(
        "update users set password_hash = ?, session_epoch = session_epoch + 1 where id = ?",
        [passwords.hash_password(password), user_id],
    )


def end_sessions(db: Database, user_id: int) -> None:
    """Log the user out everywhere: a lost phone, a seized laptop."""
    db.execute("update users set session_epoch = session_epoch + 1 where id = ?", [user_id])


def set_role(db: Database, user_id: int, role: str) -> None:
    change = validate(RoleChange, {"role": role})
    db.execute("update users set role = ? where id = ?", [change.role, user_id])


def set_active(db: Database, user_id: int, active: bool) -> None:
    """Deactivating takes effect at the user's next request: sessions need an active user, and
    every session and feed token the user had ends with it."""
    db.execute("update users set active = ?, session_epoch = session_epoch + 1 where id = ?",
               [int(active), user_id])
    if not active:
        for revoke in DEACTIVATED:
            revoke(db, user_id)


def new_session_id() -> str:
    """A random id for a session, given at login, so that logging out can end that one."""
    return secrets.token_urlsafe(18)


def end_session(db: Database, sid: str, *, now: datetime) -> None:
    """Logging out: the cookie carrying this session id no longer signs anyone in, even if it
    was copied before (sessions are signed cookies, so the server must remember the end)."""
    if sid:
        db["ended_sessions"].upsert({"sid": sid, "ended_at": iso(now)}, pk="sid")
    db.execute("delete from ended_sessions where ended_at < ?", [iso(now - SESSION_MAX_AGE)])


def set_language(db: Database, user_id: int, language: str) -> None:
    db["users"].update(user_id, {"language": language})


def list_users(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select u.id, u.email, u.name, u.role, u.active, u.last_login_at,"
            " o.slug as org_slug, o.name as org_name"
            " from users u join organisations o on o.id = u.organisation_id order by u.email"
        )
    )


def count(db: Database) -> int:
    return int(next(db.query("select count(*) as n from users"))["n"])


@dataclass(frozen=True, kw_only=True)
class Throttle:
    per_account: int
    per_address: int
    window: timedelta


def _failures(db: Database, scope: str, key: str, since: datetime) -> int:
    return int(
        next(
            db.query(
                "select count(*) as n from login_failures where scope = ? and key = ? and at > ?",
                [scope, key, iso(since)],
            )
        )["n"]
    )


def authenticate(
    db: Database,
    email: str,
    password: str,
    *,
    address: str,
    throttle: Throttle,
    now: datetime,
) -> User | None:
    """The user for these credentials, or ``None``.

    Raises ``TooManyAttempts`` once an account or an address has failed too often within the
    window, before checking the password, so guessing cannot continue at full speed.
    """
    email = email.strip().lower()
    since = now - throttle.window
    if (
        _failures(db, "account", email, since) >= throttle.per_account
        or _failures(db, "address", address, since) >= throttle.per_address
    ):
        raise TooManyAttempts("Too many failed logins. Wait a few minutes and try again.")
    rows = list(db.query("select * from users where email = ? and active = 1", [email]))
    if rows and passwords.verify(rows[0]["password_hash"], password):
        row = rows[0]
        updates: dict[str, Any] = {"last_login_at": iso(now)}
        if passwords.needs_rehash(row["password_hash"]):
            updates["password_hash"] = passwords.hash_password(password)
        db["users"].update(row["id"], updates)
        db.execute("delete from login_failures where scope = 'account' and key = ?", [email])
        return get(db, row["id"])
    if not rows:
        passwords.verify(passwords.DUMMY_HASH, password)
    db["login_failures"].insert_all(
        [
            {"scope": "account", "key": email, "at": iso(now)},
            {"scope": "address", "key": address, "at": iso(now)},
        ]
    )
    db.execute("delete from login_failures where at < ?", [iso(now - 4 * throttle.window)])
    return None


def change_password(
    db: Database, user_id: int, *, current: str, new: str, confirm: str,
    throttle: Throttle, now: datetime,
) -> None:
    """Change one's own password: the current one proves it is really them.

    The check is throttled like a login (per account): a stolen session must not become a way
    to guess the password at full speed. Raises ``TooManyAttempts`` once over the limit.
    """
    key = str(user_id)
    if _failures(db, "password", key, now - throttle.window) >= throttle.per_account:
        raise TooManyAttempts("Too many wrong passwords. Wait a few minutes and try again.")
    row = next(db.query("select password_hash from users where id = ?", [user_id]))
    if not passwords.verify(row["password_hash"], current):
        db["login_failures"].insert({"scope": "password", "key": key, "at": iso(now)})
        raise ValidationError({"current": Message(N_("The current password is not right."))})
    db.execute("delete from login_failures where scope = 'password' and key = ?", [key])
    change = validate(PasswordChange, {"current": current, "new": new, "confirm": confirm})
    set_password(db, user_id, change.new)


def password_matches(db: Database, email: str, password: str) -> bool:
    rows = list(db.query("select password_hash from users where email = ?", [email.lower()]))
    return bool(rows) and passwords.verify(rows[0]["password_hash"], password)
