"""How long a text is on each platform, by that platform's own rules.

- X: twitter-text v3 weighted length (Unicode NFC; most Latin text weighs 1, CJK and other
  scripts 2, every emoji sequence 2, every URL 23 whatever its length), limit 280. We use the
  ``twitter-text-parser`` package, a port of twitter-text that passes the conformance suite
  (tests run it against every case in ``shared/data/interop/x_conformance.jsonl``).
- Mastodon: 500 characters counted as grapheme clusters, after replacing every URL that has a
  scheme with 23 characters and shortening ``@user@instance`` mentions to ``@user`` (Mastodon's
  ``StatusLengthValidator`` does exactly this).
- Bluesky: 300 grapheme clusters of the text as written (links count in full unless a client
  shortens them in facets, which we do not do).
- Manual: posted by hand wherever the organisation likes; no limit is enforced.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex
from twitter_text import extract_urls_with_indices, parse_tweet
from twitter_text.has_invalid_characters import has_invalid_characters

X, MASTODON, BLUESKY, MANUAL = "x", "mastodon", "bluesky", "manual"
PLATFORMS = (X, MASTODON, BLUESKY, MANUAL)
COUNTED_PLATFORMS = (X, MASTODON, BLUESKY)
LIMITS = {X: 280, MASTODON: 500, BLUESKY: 300}
URL_WEIGHT = 23

# The rule each platform applies, named in messages so a writer knows what to fix.
RULES = {
    X: "X allows 280 by its weighted count: URLs count 23, emoji and CJK characters count 2",
    MASTODON: "Mastodon allows 500 characters, every link counting 23",
    BLUESKY: "Bluesky allows 300 characters (grapheme clusters)",
    MANUAL: "posted by hand: no limit",
}

INVALID_RULE = "X refuses text containing the invalid characters U+FFFE, U+FEFF or U+FFFF"

_GRAPHEME = regex.compile(r"\X")
# Mastodon's mention shape: @user@domain counts as @user.
_REMOTE_MENTION = regex.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+\w", regex.UNICODE)


class UnknownPlatform(ValueError):
    """A platform name that is not one of ``PLATFORMS``."""


@dataclass(frozen=True)
class Count:
    """A text's length on one platform, against that platform's limit."""

    platform: str
    length: int
    limit: int | None
    invalid_characters: bool = False

    @property
    def ok(self) -> bool:
        within = self.limit is None or self.length <= self.limit
        return within and not self.invalid_characters

    @property
    def over_by(self) -> int:
        return 0 if self.limit is None else max(0, self.length - self.limit)

    @property
    def rule(self) -> str:
        if self.invalid_characters:
            return INVALID_RULE
        return RULES[self.platform]


def graphemes(text: str) -> int:
    """User-perceived characters: a family emoji or a flag is one."""
    return len(_GRAPHEME.findall(text))


# twitter-text's emoji pattern only matches from ©, ® or code points at U+2000 and above (the
# keycap U+20E3 and variation selector U+FE0F included), and its invalid characters are above
# U+FEFF. In text with none of these (NFC-normalised), the weighted length is simply: URLs 23,
# code points up to U+10FF weigh 1, the rest 2, exactly as parse_tweet computes it, without its
# emoji pass (about 1 ms a text). Waves fill texts per account, so they count thousands of
# distinct texts; a test checks this path against parse_tweet on random text.
_NO_EMOJI_POSSIBLE = regex.compile(r"^[^\u00a9\u00ae\u2000-\U0010ffff]*$")
_LINE_ENDINGS = regex.compile(r"\r\n|\r|\n")
_LIGHT_MAX = 4351  # twitter-text v3: weight 100 (one character) up to U+10FF


def _plain_weight(text: str) -> int:
    return sum(1 if ord(c) <= _LIGHT_MAX else 2 for c in text)


def x_length(text: str) -> int:
    normalized = _LINE_ENDINGS.sub("\n", unicodedata.normalize("NFC", text))
    if not _NO_EMOJI_POSSIBLE.match(normalized):
        return parse_tweet(text).weightedLength
    total, position = 0, 0
    for url in extract_urls_with_indices(normalized):
        start = url["indices"][0]
        total += _plain_weight(normalized[position:start]) + URL_WEIGHT
        position = start + len(url["url"])
    return total + _plain_weight(normalized[position:])


def mastodon_length(text: str) -> int:
    pieces: list[str] = []
    last = 0
    for url in extract_urls_with_indices(text, extract_urls_without_protocol=False):
        start, end = url["indices"]
        pieces.append(text[last:start])
        pieces.append("x" * URL_WEIGHT)
        last = end
    pieces.append(text[last:])
    countable = _REMOTE_MENTION.sub(r"@\1", "".join(pieces))
    return graphemes(countable)


def bluesky_length(text: str) -> int:
    return graphemes(text)


_COUNTERS = {X: x_length, MASTODON: mastodon_length, BLUESKY: bluesky_length, MANUAL: graphemes}


@lru_cache(maxsize=4096)
def count(platform: str, text: str) -> Count:
    """The text's length on ``platform`` and that platform's limit (cached: waves repeat texts)."""
    try:
        counter = _COUNTERS[platform]
    except KeyError:
        raise UnknownPlatform(
            f"Unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}."
        ) from None
    invalid = platform == X and has_invalid_characters(text)
    return Count(platform=platform, length=counter(text), limit=LIMITS.get(platform),
                 invalid_characters=invalid)
