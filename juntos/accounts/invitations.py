"""Invitations and password resets: single-use links that expire, sent by e-mail.

A coordinator invites anyone to any organisation; a member invites people to their own
organisation only, as members or viewers (nothing in an organisation's name without it). The
invited account exists at once but has no password: it is set through the link. A reset asked
for an unknown address answers exactly as for a known one (no account enumeration) and is
throttled like logging in. The message is written in the same transaction as the link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import field_validator

from juntos.accounts import passwords
from juntos.accounts.roles import COORDINATOR, MEMBER, VIEWER
from juntos.accounts.store import Throttle, User, _failures
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, Forbidden, Message, TooManyAttempts, ValidationError
from juntos.mail import outbox
from juntos.mail.i18n import gettext_for, language_of
from juntos.mail.kinds import Kind, Recipient
from juntos.validation import N_, Email, Input, Line, fail, validate

INVITATION = Kind(id="accounts.invitation", label=N_("Invitations"), always=True,
                  why=N_("You receive this because %(by)s invited you to Juntos."))
RESET = Kind(id="accounts.password_reset", label=N_("Password resets"), always=True,
             why=N_("You receive this because someone asked to reset the password of this "
                    "address on Juntos. If it was not you, ignore it: nothing changes."))

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
NO_PASSWORD = "!"  # not a hash: nobody can log in until the link sets one


class InviteInput(Input):
    email: Email
    name: Line = ""
    role: str = MEMBER
    language: str = ""

    @field_validator("email")
    @classmethod
    def _lowercase(cls, email: str) -> str:
        return email.lower()

    @field_validator("role")
    @classmethod
    def _role(cls, role: str) -> str:
        if role not in (COORDINATOR, MEMBER, VIEWER):
            raise fail(N_("Choose one of the offered roles."))
        return role


def may_invite(user: User, organisation_id: int, role: str) -> bool:
    """Coordinators: anyone anywhere. Members: their own organisation, members or viewers."""
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and user.organisation_id == organisation_id
            and role in (MEMBER, VIEWER))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(db: Database, user_id: int, purpose: str, lifetime: timedelta, *,
              now: datetime, by: int | None) -> str:
    token = secrets.token_urlsafe(32)
    db.execute("insert into account_links (token_hash, user_id, purpose, created_at,"
               " expires_at, created_by) values (?, ?, ?, ?, ?, ?)",
               [_hash(token), user_id, purpose, iso(now), iso(now + lifetime), by])
    return token


def invite(db: Database, *, by: User, organisation_id: int, form: dict[str, str],
           now: datetime) -> int:
    """Create the account and write its invitation; return the new user's id."""
    data = validate(InviteInput, {k: form.get(k, "") for k in ("email", "name", "role",
                                                                "language")})
    if not may_invite(by, organisation_id, data.role):
        raise Forbidden("You may invite people only to your own organisation.")
    with db.atomic():
        if list(db.query("select 1 from users where email = ?", [data.email])):
            raise Conflict(f"A user {data.email!r} already exists.")
        org = list(db.query("select name from organisations where id = ?", [organisation_id]))
        if not org:
            raise ValidationError({"organisation": Message(N_("Choose an organisation."))})
        last_pk = db["users"].insert({
            "email": data.email, "name": data.name, "password_hash": NO_PASSWORD,
            "organisation_id": organisation_id, "role": data.role,
            "language": data.language if data.language in ("en", "pt") else "",
            "active": 1, "created_at": iso(now)}).last_pk
        user_id = int(last_pk) if last_pk is not None else 0
        token = _new_link(db, user_id, "invitation", INVITATION_LIFETIME, now=now, by=by.id)
        language = language_of(data.language or by.language)
        _ = gettext_for(language)
        content = outbox.Content(
            subject=_("%(by)s invites you to Juntos", by=by.name),
            paragraphs=(
                _("%(by)s invites you to join %(org)s on Juntos, where partners plan "
                  "campaigns together.", by=by.name, org=org[0]["name"]),
                _("Choose your password with the link below. It works once, for 7 days."),
            ),
            action_label=_("Choose your password"), action_path=f"/password/set/{token}",
            why=_(INVITATION.why, by=by.name))
        outbox.write(db, to=Recipient(user_id, data.email, language, data.name),
                     kind=INVITATION.id, key=f"invitation:{user_id}:{iso(now)}",
                     content=content, now=now)
    return user_id


def request_reset(db: Database, email: str, *, address: str, throttle: Throttle,
                  now: datetime) -> None:
    """Write a reset link if the address has an account; the caller says the same either way."""
    email = email.strip().lower()
    since = now - throttle.window
    if (_failures(db, "reset-account", email, since) >= throttle.per_account
            or _failures(db, "reset-address", address, since) >= throttle.per_address):
        raise TooManyAttempts("Too many requests. Wait a few minutes and try again.")
    with db.atomic():
        db["login_failures"].insert_all([
            {"scope": "reset-account", "key": email, "at": iso(now)},
            {"scope": "reset-address", "key": address, "at": iso(now)}])
        rows = list(db.query("select id, name, language from users where email = ?"
                             " and active = 1", [email]))
        if not rows:
            return
        row = rows[0]
        token = _new_link(db, row["id"], "reset", RESET_LIFETIME, now=now, by=None)
        language = language_of(row["language"] or "")
        _ = gettext_for(language)
        content = outbox.Content(
            subject=_("Reset your Juntos password"),
            paragraphs=(_("Choose a new password with the link below. It works once, for one "
                          "hour."),),
            action_label=_("Choose a new password"), action_path=f"/password/set/{token}",
            why=_(RESET.why))
        outbox.write(db, to=Recipient(row["id"], email, language, row["name"] or ""),
                     kind=RESET.id, key=f"reset:{row['id']}:{token[:12]}", content=content,
                     now=now)


def link(db: Database, token: str, *, now: datetime) -> dict[str, Any]:
    """The unused, unexpired link of this token (with its user's e-mail), or a refusal."""
    rows = list(db.query(
        "select l.*, u.email from account_links l join users u on u.id = l.user_id"
        " where l.token_hash = ? and u.active = 1", [_hash(token)]))
    if not rows or rows[0]["used_at"] or rows[0]["expires_at"] <= iso(now):
        raise ValidationError({"token": Message(N_(
            "This link has been used already or has expired. Ask for a new one."))})
    return rows[0]


def use(db: Database, token: str, *, password: str, confirm: str, now: datetime) -> int:
    """Set the password through the link, once; return the user's id."""
    if password != confirm:
        raise ValidationError({"confirm": Message(N_("The two passwords differ."))})
    passwords.check_strength(password)
    with db.atomic():
        found = link(db, token, now=now)
        taken = db.execute("update account_links set used_at = ? where token_hash = ?"
                           " and used_at = ''", [iso(now), _hash(token)]).rowcount
        if taken != 1:
            raise ValidationError({"token": Message(N_(
                "This link has been used already or has expired. Ask for a new one."))})
        db.execute("update users set password_hash = ?, session_epoch = session_epoch + 1"
                   " where id = ?", [passwords.hash_password(password), found["user_id"]])
        # Every other link of this person ends too: one way in at a time.
        db.execute("update account_links set used_at = ? where user_id = ? and used_at = ''",
                   [iso(now), found["user_id"]])
    return int(found["user_id"])
