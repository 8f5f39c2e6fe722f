"""X: twitter-text's weighted count, sign-in with X (OAuth 1.0a), posting through tweepy.

- Counting: twitter-text v3 weighted length (Unicode NFC; most Latin text weighs 1, CJK and
  other scripts 2, every emoji sequence 2, every URL 23 whatever its length), limit 280. We use
  the ``twitter-text-parser`` package, a port of twitter-text that passes the conformance suite
  (tests run it against every case in ``shared/data/interop/x_conformance.jsonl``).
- X has no idempotency key: after an unknown outcome the account's recent posts are searched for
  the exact text (see ``client``). X's automation rules forbid many accounts posting the same
  text through one app: partners repost the lead's post instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import regex
from twitter_text import extract_urls_with_indices, parse_tweet
from twitter_text.has_invalid_characters import has_invalid_characters

from juntos.settings import Settings
from juntos.social.platforms.base import URL_WEIGHT, Platform, SignIn
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient
from juntos.validation import N_

# twitter-text's emoji pattern only matches from ©, ® or code points at U+2000 and above (the
# keycap U+20E3 and variation selector U+FE0F included), and its invalid characters are above
# U+FEFF. In text with none of these (NFC-normalised), the weighted length is simply: URLs 23,
# code points up to U+10FF weigh 1, the rest 2, exactly as parse_tweet computes it, without its
# emoji pass (about 1 ms a text). Waves fill texts per account, so they count thousands of
# distinct texts; a test checks this path against parse_tweet on random text.
_NO_EMOJI_POSSIBLE = regex.compile(r"^[^\u00a9\u00ae\u2000-\U0010ffff]*$")
_LINE_ENDINGS = regex.compile(r"\r\n|\r|\n")
_LIGHT_MAX = 4351  # twitter-text v3: weight 100 (one character) up to U+10FF
_STATUS_URL = re.compile(r"/status/(\d+)")


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


def _post_id(url: str) -> str:
    """An X address names the post's id: reposts need it."""
    found = _STATUS_URL.search(url)
    return found.group(1) if found else ""


def _client(job: Job, settings: Settings) -> PlatformClient:
    from juntos.social.platforms.x.client import XClient

    return XClient(job, settings)


def _verify(settings: Settings, secret: dict[str, Any], instance_url: str) -> Identity:
    from juntos.social.platforms.x.client import verify

    return verify(settings, secret)


def _ready(settings: Settings) -> bool:
    return bool(settings.x_consumer_key and settings.x_consumer_secret)


def _start(settings: Settings, callback: str) -> tuple[str, dict[str, str]]:
    from juntos.social.platforms.x.client import sign_in_url

    return sign_in_url(settings, callback)


def _finish(settings: Settings, request_token: dict[str, str], verifier: str) -> dict[str, Any]:
    from juntos.social.platforms.x.client import access_tokens

    return access_tokens(settings, request_token, verifier)


def _load() -> None:
    from juntos.social.platforms.x import client  # noqa: F401


PLATFORM = Platform(
    id="x", label=N_("X"), limit=280,
    rule="X allows 280 by its weighted count: URLs count 23, emoji and CJK characters count 2",
    length=x_length, invalid=has_invalid_characters,
    invalid_rule="X refuses text containing the invalid characters U+FFFE, U+FEFF or U+FFFF",
    count_style="weighted",
    verify=_verify, sign_in=SignIn(ready=_ready, start=_start, finish=_finish),
    refused=N_("X refused the new access token (%(detail)s). Try signing in again."),
    address="api.x.com",
    client=_client, load=_load, ceiling=10, reposts=True, forbids_duplicates=True,
    post_id_from_url=_post_id,
)
