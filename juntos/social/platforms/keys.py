"""Keys chosen before a post is sent, so that a resend or a check can recognise it.

Kept apart from the platform clients: importing those loads their libraries (atproto alone takes
seconds), and the dispatcher chooses keys while claiming, before any client is needed.
"""

from __future__ import annotations

import time

_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def idempotency_key(post_id: int) -> str:
    """Mastodon's Idempotency-Key: one per post, the same for every resend."""
    return f"juntos-post-{post_id}"


def new_record_key(post_id: int, micros: int | None = None) -> str:
    """A TID (what app.bsky.feed.post records are keyed by): 53 bits of microseconds since the
    epoch and a 10-bit clock id, here taken from the post id, in sortable base32."""
    micros = time.time_ns() // 1000 if micros is None else micros
    value = (micros << 10) | (post_id % 1024)
    chars = []
    for _ in range(13):
        chars.append(_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))
