"""Bluesky: 300 grapheme clusters, a handle and an app password, atproto.

Counting: the text as written (links count in full unless a client shortens them in facets,
which we do not do). Posting chooses the record key (a TID) before sending, so after an unknown
outcome ``getRecord`` tells whether the post exists (see ``client``).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from juntos.settings import Settings
from juntos.social.platforms.base import ConnectField, Platform, graphemes
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient
from juntos.validation import N_

_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def new_record_key(micros: int | None = None, clock_id: int | None = None) -> str:
    """A TID (what app.bsky.feed.post records are keyed by): 53 bits of microseconds since the
    epoch and a 10-bit clock id, chosen at random (not from the post id, which repeats across
    databases), in sortable base32. Two keys collide only if made in the same microsecond with
    the same random clock id, for the same account."""
    micros = time.time_ns() // 1000 if micros is None else micros
    clock_id = secrets.randbelow(1024) if clock_id is None else clock_id
    value = (micros << 10) | clock_id
    chars = []
    for _ in range(13):
        chars.append(_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _client(job: Job, settings: Settings) -> PlatformClient:
    from juntos.social.platforms.bluesky.client import BlueskyClient

    return BlueskyClient(job, settings)


def _verify(settings: Settings, secret: dict[str, Any], instance_url: str) -> Identity:
    from juntos.social.platforms.bluesky.client import verify

    return verify(settings, secret["identifier"], secret["app_password"])


def _load() -> None:
    from juntos.social.platforms.bluesky import client  # noqa: F401


PLATFORM = Platform(
    id="bluesky", label=N_("Bluesky"), limit=300,
    rule="Bluesky allows 300 characters (grapheme clusters)",
    length=graphemes, handle_lowercase=True,
    verify=_verify,
    connect_help=N_(
        "In Bluesky, open Settings → Privacy and security → App passwords, add one named"
        " Juntos, and paste it here. Never use the account's main password."),
    connect_fields=(ConnectField(
        name="app_password", label=N_("App password for %(handle)s"), max_length=100,
        missing=N_("Paste an app password from Bluesky's Settings → Privacy and security.")),),
    handle_in_secret="identifier",
    refused=N_(
        "Bluesky refused this handle and app password (%(detail)s). Check the handle and paste"
        " the app password again."),
    address="bsky.social",
    client=_client, load=_load, new_key=new_record_key, ceiling=50,
)
