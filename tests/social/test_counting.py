"""Counting by each platform's rules: X's weighted length, Mastodon's and Bluesky's graphemes."""

from __future__ import annotations

import json

import pytest

from juntos.social.counting import UnknownPlatform, count, graphemes
from tests.support.interop import interop_path


def conformance_cases() -> list[dict]:
    with interop_path("x_conformance.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_every_twitter_text_conformance_case() -> None:
    cases = conformance_cases()
    assert len(cases) >= 26
    failures = []
    for case in cases:
        measured = count("x", case["text"])
        if measured.length != case["weighted"] or measured.ok != case["valid"]:
            failures.append((case["source"], measured.length, case["weighted"]))
    assert failures == []


def test_x_urls_count_23_whatever_their_length() -> None:
    short = count("x", "See https://a.co")
    long = count("x", "See https://example.org/" + "a" * 200)
    assert short.length == long.length == 4 + 23


def test_x_emoji_and_cjk_weigh_two() -> None:
    assert count("x", "😷").length == 2
    assert count("x", "👨‍👩‍👧‍👦").length == 2  # one ZWJ sequence
    assert count("x", "故人").length == 4
    assert count("x", "Olá").length == 3


def test_x_limit_is_280() -> None:
    assert count("x", "a" * 280).ok
    over = count("x", "a" * 281)
    assert not over.ok and over.over_by == 1 and "280" in over.rule


def test_mastodon_counts_urls_as_23_and_graphemes() -> None:
    url = "https://example.org/" + "a" * 300
    assert count("mastodon", f"Read {url}").length == 5 + 23
    assert count("mastodon", "👨‍👩‍👧‍👦").length == 1
    assert count("mastodon", "故人").length == 2
    # A bare domain without a scheme is not shortened on Mastodon.
    assert count("mastodon", "example.org").length == 11


def test_mastodon_remote_mentions_count_without_their_domain() -> None:
    assert count("mastodon", "@ana@mastodon.social hi").length == len("@ana hi")


def test_mastodon_limit_is_500() -> None:
    assert count("mastodon", "é" * 500).ok
    assert not count("mastodon", "é" * 501).ok


def test_bluesky_counts_graphemes_and_urls_in_full() -> None:
    assert count("bluesky", "🇲🇿🇩🇰").length == 2  # two flags
    assert count("bluesky", "e\u0301").length == 1  # e + combining accent
    assert count("bluesky", "https://example.org/abc").length == 23
    assert count("bluesky", "https://example.org/" + "a" * 100).length == 120
    assert count("bluesky", "a" * 300).ok and not count("bluesky", "a" * 301).ok


def test_graphemes_of_a_family_and_a_skin_tone() -> None:
    assert graphemes("👨‍👩‍👧‍👦🙋🏽") == 2


def test_manual_has_no_limit() -> None:
    assert count("manual", "a" * 5000).ok


def test_unknown_platform_is_named() -> None:
    with pytest.raises(UnknownPlatform, match="myspace"):
        count("myspace", "hi")


def test_fast_path_for_emoji_free_text_equals_twitter_text() -> None:
    """Our shortcut for text without emoji candidates counts exactly as parse_tweet does."""
    import random

    from twitter_text import parse_tweet

    from juntos.social.platforms.x import x_length

    rng = random.Random(7)
    pieces = [chr(c) for c in range(32, 0x250)] + [
        "\u0301", "\u0323", "\u1100", "\u1ec7", "\r\n", "\n", "ação", "http://a.co ",
        "example.com", "www.x.org/p ", "https://example.org/" + "a" * 40, " ", "故", "😷"]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        assert x_length(text) == parse_tweet(text).weightedLength, repr(text)


def test_facebook_allows_63206_characters_links_as_written() -> None:
    assert count("facebook", "a" * 63206).ok
    over = count("facebook", "a" * 63207)
    assert not over.ok and over.over_by == 1 and "63,206" in over.problem
    # No link shortening on Facebook: a link counts every character, an emoji sequence one.
    assert count("facebook", "See https://example.org/" + "a" * 100).length == 4 + 20 + 100
    assert count("facebook", "👨‍👩‍👧‍👦 Olá").length == 5


def test_telegram_allows_4096_utf16_units() -> None:
    assert count("telegram", "a" * 4096).ok
    assert not count("telegram", "a" * 4097).ok
    # UTF-16 code units, as the Bot API counts: an emoji outside the BMP is 2, Latin accents 1.
    assert count("telegram", "😷").length == 2
    assert count("telegram", "Olá ação").length == 8
    assert not count("telegram", "😷" * 2049).ok
    assert "1,024 in a photo's caption" in count("telegram", "a" * 5000).problem
