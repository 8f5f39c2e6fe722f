"""Mastodon: 500 characters, an access token pasted from the instance, Mastodon.py.

Counting: grapheme clusters, after replacing every URL that has a scheme with 23 characters and
shortening ``@user@instance`` mentions to ``@user`` (Mastodon's ``StatusLengthValidator`` does
exactly this). Posting sends the post's random key as its Idempotency-Key; an unknown outcome is
settled by resending with it while Mastodon surely remembers it, else by looking (see
``client``).
"""

from __future__ import annotations

from typing import Any

import regex
from twitter_text import extract_urls_with_indices

from juntos.settings import Settings
from juntos.social.platforms.base import URL_WEIGHT, ConnectField, Platform, graphemes
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient
from juntos.validation import N_

# Mastodon's mention shape: @user@domain counts as @user.
_REMOTE_MENTION = regex.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+\w", regex.UNICODE)


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


def _client(job: Job, settings: Settings) -> PlatformClient:
    from juntos.social.platforms.mastodon.client import MastodonClient

    return MastodonClient(job, settings)


def _verify(settings: Settings, secret: dict[str, Any], instance_url: str) -> Identity:
    from juntos.social.platforms.mastodon.client import verify

    return verify(settings, instance_url, secret["access_token"])


def _load() -> None:
    from juntos.social.platforms.mastodon import client  # noqa: F401


PLATFORM = Platform(
    id="mastodon", label=N_("Mastodon"), limit=500,
    rule="Mastodon allows 500 characters, every link counting 23",
    length=mastodon_length, count_style="short-links",
    instance_example="https://mastodon.social",
    verify=_verify,
    connect_help=N_(
        "On %(instance)s, open Preferences → Development → New application, allow only"
        " write:statuses, write:media and read:accounts, save, and paste “Your access token”"
        " here."),
    connect_fields=(ConnectField(
        name="access_token", label=N_("Access token"), max_length=200, no_spaces=True,
        missing=N_("Paste the access token from your instance's Development settings.")),),
    refused=N_(
        "The instance refused this access token (%(detail)s). Check that it was copied whole, is"
        " not revoked, and has the scopes write:statuses, write:media and read:accounts."),
    client=_client, load=_load, ceiling=100,
)
