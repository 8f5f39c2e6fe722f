"""The platforms Juntos knows, in the order pages list them: the one registry.

Each platform is one package (``x``, ``mastodon``, ``bluesky``, ``facebook``, ``telegram``)
declaring a ``Platform`` (see ``base``) next to its client; ``manual`` is posting by hand.
Adding a platform is one line in ``ALL`` (docs/developing.md, "How to add a social platform").

Clients hold no database handle: the dispatcher claims posts, hands each client a ``Job`` (the
post, the account and its opened credentials), and records the outcome (see ``outcomes``).
"""

from __future__ import annotations

from juntos.social.platforms import bluesky, facebook, manual, mastodon, telegram, x
from juntos.social.platforms.base import Platform

__all__ = ["ALL", "IDS", "MANUAL", "Platform", "UnknownPlatform", "get", "posting"]

ALL: tuple[Platform, ...] = (x.PLATFORM, mastodon.PLATFORM, bluesky.PLATFORM, facebook.PLATFORM,
                             telegram.PLATFORM, manual.PLATFORM)

IDS: tuple[str, ...] = tuple(p.id for p in ALL)
#: Posted by hand: the one platform other areas (calendar reminders) name.
MANUAL = manual.PLATFORM.id
_BY_ID = {p.id: p for p in ALL}


class UnknownPlatform(ValueError):
    """A platform id that is not in the registry."""


def get(platform_id: str) -> Platform:
    try:
        return _BY_ID[platform_id]
    except KeyError:
        raise UnknownPlatform(
            f"Unknown platform {platform_id!r}: use one of {', '.join(IDS)}.") from None


def posting() -> tuple[Platform, ...]:
    """The platforms Juntos posts to (every one but posting by hand)."""
    return tuple(p for p in ALL if p.posts)


def load_clients() -> None:
    """Import every client's library now: a forked worker should not spend seconds on it."""
    for platform in ALL:
        if platform.load is not None:
            platform.load()
