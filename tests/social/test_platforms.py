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
    assert platforms.IDS == ("x", "mastodon", "bluesky", "facebook", "telegram", "manual")
    with pytest.raises(platforms.UnknownPlatform):
        platforms.get("myspace")


@pytest.mark.parametrize("platform", platforms.posting(), ids=lambda p: p.id)
def test_a_platform_juntos_posts_to_is_complete(platform: platforms.Platform) -> None:
    assert platform.client is not None and platform.verify is not None
    assert platform.load is not None and platform.limit and platform.ceiling > 0
    assert platform.connect_fields or platform.sign_in  # a way to connect
    assert platform.refused and platform.count_style in ("weighted", "short-links", "utf16",
                                                      "graphemes")
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


def test_rate_limit_resets_read_retry_after_and_x_ratelimit_reset() -> None:
    from datetime import UTC, datetime

    from juntos.social.platforms.outcomes import reset_time, retry_after

    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert retry_after("120", now) == datetime(2026, 11, 23, 9, 2, tzinfo=UTC)
    assert retry_after("Mon, 23 Nov 2026 09:05:00 GMT", now) == datetime(
        2026, 11, 23, 9, 5, tzinfo=UTC)
    assert retry_after("soon", now) is None and retry_after("", now) is None
    # Mastodon's ISO reset, epoch seconds, and whichever is later when both are sent.
    assert reset_time({"X-RateLimit-Reset": "2026-11-23T10:05:00.000Z"}, now) == datetime(
        2026, 11, 23, 10, 5, tzinfo=UTC)
    assert reset_time({"x-rate-limit-reset": "1795424400"}, now) == datetime.fromtimestamp(
        1795424400, UTC)
    assert reset_time({"Retry-After": "60", "X-RateLimit-Reset": "2026-11-23T09:00:30Z"},
                      now) == datetime(2026, 11, 23, 9, 1, tzinfo=UTC)
    assert reset_time({}, now) is None
