"""Helpers for dispatcher tests: connected accounts and scheduled posts in a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from juntos.clock import iso
from juntos.db import Database
from juntos.settings import Settings
from juntos.social import accounts, credentials, platforms
from juntos.social.models import AccountInput

SECRETS = {
    "mastodon": {"access_token": "masto-token-SECRET-123"},
    "bluesky": {"identifier": "ubuntu.bsky.social", "app_password": "abcd-efgh-SECRET-ijkl"},
    "x": {"access_token": "4242-x-token-SECRET", "access_token_secret": "x-secret-SECRET"},
    # Fake Page tokens name their Page (tests/support/fake_pages.py).
    "facebook": {"page": "4321", "page_token": "page-4321-SECRET", "page_id": "4321"},
    "telegram": {"channel": "ubuntuchannel", "bot_token": "777:SECRET-bot", "chat_id": "-1001"},
}


def dispatch_settings(settings: Settings, base: str = "") -> Settings:
    return replace(settings, social_api_base=base, x_consumer_key="ck", x_consumer_secret="cs",
                   dispatch_timeout_seconds=2)


def connected(db: Database, settings: Settings, org_id: int, platform: str, handle: str,
              now: datetime) -> accounts.Account:
    account = accounts.create(db, org_id, AccountInput.validated(
        platform=platform, handle=handle,
        instance_url="https://masto.example.org" if platform == "mastodon" else ""), now=now)
    credentials.store(db, credentials.Vault.from_settings(settings), account.id,
                      SECRETS[platform], now=now)
    return account


def scheduled(db: Database, campaign_id: int, kit_id: int, account: accounts.Account, text: str,
              at: datetime, *, wave_id: int | None = None, language: str = "en",
              status: str = "scheduled", authorised: bool = True) -> int:
    # The key is chosen when the post is created, as ``posts.create_wave`` does.
    post_id = db.execute(
        """insert into social_posts (campaign_id, kit_id, wave_id, account_id, organisation_id,
               platform, language, text, scheduled_at, status, created_at, updated_at,
               dispatch_key)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [campaign_id, kit_id, wave_id, account.id, account.organisation_id, account.platform,
         language, text, iso(at), status, iso(at), iso(at),
         platforms.get(account.platform).new_key()]).lastrowid
    if authorised:
        # As if a member of the account's organisation had approved it (juntos.social.authority).
        db.execute("insert into social_post_authority (post_id, organisation_id, at)"
                   " values (?, ?, ?)", [post_id, account.organisation_id, iso(at)])
    db.conn.commit()
    return int(post_id)


def post_row(db: Database, post_id: int) -> dict:
    return next(db.query("select * from social_posts where id = ?", [post_id]))


def approve_as_owners(db: Database, post_ids: list[int], *, now: datetime) -> int:
    """Approve posts as each account's own organisation would (one of its members)."""
    from juntos.social import posts

    done = 0
    for org in {p["organisation_id"] for p in posts.by_ids(db, post_ids)}:
        done += posts.approve(db, post_ids, now=now, by=None, organisation_id=org)
    return done
