"""Social accounts: validation, defaults from the organisation, "not connected" until connected."""

from __future__ import annotations

import pytest

from juntos.errors import ValidationError
from juntos.social import accounts
from juntos.social.models import AccountInput


def test_mastodon_account_needs_instance_and_handle() -> None:
    with pytest.raises(ValidationError) as e:
        AccountInput.validated(platform="mastodon", handle="", instance_url="mastodon.social")
    assert set(e.value.errors) == {"handle", "instance_url"}


def test_unknown_platform_timezone_and_language_are_named() -> None:
    with pytest.raises(ValidationError) as e:
        AccountInput.validated(platform="myspace", handle="a", timezone="Mars/Base",
                               languages=["xx-yy"])
    assert set(e.value.errors) == {"platform", "timezone", "languages"}


def test_account_defaults_to_organisation_timezone_and_languages(db, org_a, clock) -> None:
    db["organisations"].update(org_a["id"], {"languages": '["pt", "en"]'})
    made = accounts.create(db, org_a["id"],
                           AccountInput.validated(platform="x", handle="@accao"), now=clock())
    assert made.timezone == "Africa/Maputo"
    assert made.languages == ("pt", "en")
    assert made.handle == "accao"
    assert made.state == "not_connected" and not made.connected
    assert made.display == "@accao"


def test_own_timezone_wins_and_manual_accounts_need_no_connection(db, org_a, clock) -> None:
    made = accounts.create(
        db, org_a["id"],
        AccountInput.validated(platform="manual", label="Facebook page",
                               timezone="Europe/Copenhagen", languages=["da"]),
        now=clock(),
    )
    assert made.timezone == "Europe/Copenhagen" and made.languages == ("da",)
    assert made.connected and made.display == "Facebook page"


def test_mastodon_display_and_listing(db, org_a, org_b, clock) -> None:
    accounts.create(db, org_a["id"], AccountInput.validated(
        platform="mastodon", handle="accao", instance_url="https://Masto.pt/"), now=clock())
    accounts.create(db, org_b["id"], AccountInput.validated(
        platform="bluesky", handle="Ubuntu.bsky.social"), now=clock())
    listed = accounts.for_organisations(db, [org_a["id"], org_b["id"]])
    assert [a.display for a in listed] == ["@accao@masto.pt", "@ubuntu.bsky.social"]
    assert accounts.for_organisations(db, []) == []
