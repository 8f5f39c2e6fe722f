"""The platform registry: every platform declared once, complete, and the only place that
knows a platform's limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juntos.social import platforms
from juntos.social.counting import count

ROOT = Path(__file__).resolve().parents[2] / "juntos"


def test_ids_are_unique_and_manual_is_last() -> None:
    assert len(set(platforms.IDS)) == len(platforms.IDS)
    assert platforms.IDS == ("x", "mastodon", "bluesky", "manual")
    with pytest.raises(platforms.UnknownPlatform):
        platforms.get("myspace")


@pytest.mark.parametrize("platform", platforms.posting(), ids=lambda p: p.id)
def test_a_platform_juntos_posts_to_is_complete(platform: platforms.Platform) -> None:
    assert platform.client is not None and platform.verify is not None
    assert platform.load is not None and platform.limit and platform.ceiling > 0
    assert platform.connect_fields or platform.sign_in  # a way to connect
    assert platform.refused and platform.count_style in ("weighted", "short-links", "graphemes")
    # A post's key is random (chosen once, when the post is created), never derived from its id.
    assert platform.new_key() != platform.new_key()


def test_counts_follow_the_declaration() -> None:
    for platform in platforms.ALL:
        measured = count(platform.id, "a" * 301)
        assert measured.limit == platform.limit
        assert measured.ok == (platform.limit is None or platform.limit >= 301)


def test_the_editor_script_keeps_no_limits_of_its_own() -> None:
    script = (ROOT / "web" / "static" / "social.js").read_text(encoding="utf-8")
    for platform in platforms.ALL:
        if platform.limit:
            assert not re.search(rf"\b{platform.limit}\b", script)
    assert not re.search(r'(===|:)\s*"(x|mastodon|bluesky)"', script)  # no platform names


def test_the_clients_load_for_forked_workers() -> None:
    platforms.load_clients()
    client = platforms.get("mastodon").client
    assert client is not None
