"""Credentials: sealed at rest, key file 0600, never in clear in the file, gone on disconnect."""

from __future__ import annotations

import stat

import pytest

from juntos.social import accounts, credentials
from tests.social.dispatch_support import SECRETS, connected


def test_tokens_are_never_in_clear_in_the_database_file(db, settings, org_b, clock) -> None:
    account = connected(db, settings, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
    connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = settings.db_path.read_bytes()
    for secret in ("abcd-efgh-SECRET-ijkl", "masto-token-SECRET-123"):
        assert secret.encode() not in raw
    vault = credentials.Vault.from_settings(settings)
    assert credentials.load(db, vault, account.id) == SECRETS["bluesky"]
    assert accounts.get(db, account.id).state == "connected"


def test_the_key_is_created_once_beside_the_database_with_mode_0600(settings) -> None:
    first = credentials.with_credentials_key(settings)
    mode = stat.S_IMODE(settings.credentials_key_path.stat().st_mode)
    assert mode == 0o600
    assert credentials.with_credentials_key(settings).credentials_key == first.credentials_key
    assert first.credentials_key not in repr(first)


def test_a_different_key_cannot_open_them(db, settings, org_b, clock) -> None:
    account = connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    from cryptography.fernet import Fernet

    other = credentials.Vault(Fernet.generate_key().decode())
    with pytest.raises(credentials.CredentialsUnreadable):
        credentials.load(db, other, account.id)


def test_disconnect_deletes_them_and_leaves_no_trace_in_the_file(db, settings, org_b,
                                                                  clock) -> None:
    account = connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    sealed = db.execute("select sealed from social_account_secrets").fetchone()[0]
    credentials.disconnect(db, account.id, now=clock())
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0
    assert accounts.get(db, account.id).state == "not_connected"
    assert sealed.encode() not in settings.db_path.read_bytes()


def test_changing_the_platform_deletes_the_credentials(db, settings, org_b, clock) -> None:
    from juntos.social.models import AccountInput

    account = connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    sealed = db.execute("select sealed from social_account_secrets").fetchone()[0]
    accounts.update(db, account.id, AccountInput.validated(platform="bluesky",
                    handle="ubuntu.bsky.social"), now=clock())
    assert db.execute("select count(*) from social_account_secrets where account_id = ?",
                      [account.id]).fetchone()[0] == 0
    assert accounts.get(db, account.id).state == "not_connected"
    assert sealed.encode() not in settings.db_path.read_bytes()


def test_moving_a_mastodon_account_to_another_instance_deletes_them_too(db, settings, org_b,
                                                                        clock) -> None:
    from juntos.social.models import AccountInput

    account = connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    accounts.update(db, account.id, AccountInput.validated(
        platform="mastodon", handle="ubuntu", instance_url="https://other.example.net"),
        now=clock())
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0
    assert accounts.get(db, account.id).state == "not_connected"


def test_editing_other_fields_keeps_them(db, settings, org_b, clock) -> None:
    from juntos.social.models import AccountInput

    account = connected(db, settings, org_b["id"], "mastodon", "ubuntu", clock())
    accounts.update(db, account.id, AccountInput.validated(
        platform="mastodon", handle="ubuntu", instance_url="https://masto.example.org",
        timezone="Africa/Johannesburg"), now=clock())
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 1
    assert accounts.get(db, account.id).state == "connected"
