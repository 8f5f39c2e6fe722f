"""Connecting an account: check the credentials with the platform once, then store them.

Nothing is stored unless the platform confirmed them, so a wrong token is caught while the
person is still at the form, not at 09:00 on the day of action. What the platform said (the
handle and display name) is recorded, so the page can say which account was connected; a
Bluesky login's session is kept with the app password (Bluesky allows few logins per hour).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.settings import Settings
from juntos.social import credentials
from juntos.social.accounts import Account
from juntos.social.counting import BLUESKY, MASTODON, X
from juntos.social.platforms.identity import Identity, VerificationFailed

__all__ = ["VerificationFailed", "connect", "verify"]


def verify(settings: Settings, account: Account, secret: dict[str, Any]) -> Identity:
    """Ask the account's platform whose credentials these are; raise VerificationFailed."""
    if account.platform == MASTODON:
        from juntos.social.platforms import mastodon

        return mastodon.verify(settings, account.instance_url, secret["access_token"])
    if account.platform == BLUESKY:
        from juntos.social.platforms import bluesky

        return bluesky.verify(settings, secret["identifier"], secret["app_password"])
    if account.platform == X:
        from juntos.social.platforms import x

        return x.verify(settings, secret)
    raise ValueError(f"{account.platform!r} accounts do not connect.")


def connect(db: Database, vault: credentials.Vault, settings: Settings, account: Account,
            secret: dict[str, Any], *, now: datetime) -> Identity:
    """Verify, then store the credentials (sealed) and what the platform said about them."""
    identity = verify(settings, account, secret)
    credentials.store(db, vault, account.id, {**secret, **identity.keep}, now=now)
    db.execute("update social_accounts set handle = ?, display_name = ?, updated_at = ?"
               " where id = ?", [identity.handle or account.handle,
                                 identity.display_name[:200], iso(now), account.id])
    return identity
