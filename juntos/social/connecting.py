"""Connecting an account: check the credentials with the platform once, then store them.

Nothing is stored unless the platform confirmed them, so a wrong token is caught while the
person is still at the form, not at 09:00 on the day of action. What the platform said (the
handle and display name) is recorded, so the page can say which account was connected; a
Bluesky login's session is kept with the app password (Bluesky allows few logins per hour).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from juntos import netpolicy
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Message, ValidationError
from juntos.organisations import audit
from juntos.settings import Settings
from juntos.social import credentials, platforms, posts
from juntos.social.accounts import Account
from juntos.social.platforms.identity import (
    INSIDE,
    Identity,
    SignInFailed,
    VerificationFailed,
)
from juntos.validation import N_

__all__ = ["SignInFailed", "VerificationFailed", "connect", "disconnect", "secret_from", "verify"]


#: Seconds a person at the connect form waits for the platform, at most (the dispatcher's
#: own timeout may be longer).
CONNECT_TIMEOUT = 10


def verify(settings: Settings, account: Account, secret: dict[str, Any]) -> Identity:
    """Ask the account's platform whose credentials these are; raise VerificationFailed.
    Blocking (DNS, then the platform): the web calls it from a worker thread."""
    check = platforms.get(account.platform).verify
    if check is None:
        raise ValueError(f"{account.platform!r} accounts do not connect.")
    check_address(settings, account.instance_url)
    short = replace(settings, dispatch_timeout_seconds=min(settings.dispatch_timeout_seconds,
                                                           CONNECT_TIMEOUT))
    return check(short, secret, account.instance_url)


def check_address(settings: Settings, instance_url: str) -> None:
    """Refuse an instance inside the server's network (loopback, private, link-local...), the
    policy of calendar subscriptions, unless ``social_private_instances`` allows it or every
    call goes to ``social_api_base`` (set by the operator)."""
    if not instance_url or settings.social_private_instances or settings.social_api_base:
        return
    try:
        host = urlsplit(instance_url if "//" in instance_url else f"//{instance_url}").hostname
    except ValueError:
        host = None
    if not host or netpolicy.points_inside(host):
        raise VerificationFailed(INSIDE)


def secret_from(account: Account, form: dict[str, str]) -> dict[str, Any]:
    """The credentials pasted into the connect form, checked for shape (the platform checks
    them for real); ValidationError names each missing one."""
    platform = platforms.get(account.platform)
    if not platform.connect_fields:
        raise ValidationError({"platform": Message(
            N_("%(platform)s accounts connect through Sign in with %(platform)s."),
            platform=platform.label)})
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in platform.connect_fields:
        value = form.get(field.name, "").strip()
        if (not value or len(value) > field.max_length
                or (field.no_spaces and any(c.isspace() for c in value))):
            errors[field.name] = Message(field.missing)
        values[field.name] = value
    if errors:
        raise ValidationError(errors)
    return platform.secret_from(values, account.handle)


def connect(db: Database, vault: credentials.Vault, settings: Settings, account: Account,
            secret: dict[str, Any], *, now: datetime, by: int | None = None) -> Identity:
    """Verify, then store the credentials (sealed) and what the platform said about them;
    the organisation's audit trail records who connected it. Posts approved while the account
    was not connected are scheduled now."""
    identity = verify(settings, account, secret)
    credentials.store(db, vault, account.id, {**secret, **identity.keep}, now=now)
    with db.atomic():
        db.execute("update social_accounts set handle = ?, display_name = ?, updated_at = ?"
                   " where id = ?", [identity.handle or account.handle,
                                     identity.display_name[:200], iso(now), account.id])
        audit.record(db, account.organisation_id, "account_connected",
                     f"{account.platform} @{identity.handle or account.handle}", now=now, by=by)
    posts.schedule_waiting(db, account.id, now=now, by=by)
    return identity


def disconnect(db: Database, account: Account, *, now: datetime, by: int | None) -> None:
    """Delete the account's credentials, and say so in its organisation's trail."""
    credentials.disconnect(db, account.id, now=now)
    with db.atomic():
        audit.record(db, account.organisation_id, "account_disconnected",
                     f"{account.platform} @{account.handle}", now=now, by=by)
