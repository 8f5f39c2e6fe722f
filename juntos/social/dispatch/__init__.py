"""The dispatcher: posts every approved message once, at its time, or says why it could not.

The life of a post here:

1. **Claim** (one ``BEGIN IMMEDIATE`` transaction): due posts move to ``sending`` with this
   worker's id and a lease. SQLite lets one writer in at a time, so two workers can never claim
   the same post; an account that already has a post in flight is skipped (one at a time per
   account), and each platform has a ceiling of posts in flight across all workers.
2. **Send**, outside any transaction, concurrently (a thread per post in flight).
3. **Record** (a second transaction): sent (platform id and URL), retry later (backoff with
   jitter, or the platform's reset time), failed (the platform's reason), or needs check.

A worker renews its leases by a heartbeat; one that dies between 2 and 3 leaves a post in
``sending``, and when its lease expires (30 s) the post becomes ``needs_check``. Like any
unknown outcome (a timeout, a reset after sending, a 5xx) it waits until its request cannot
still be running on the server (``Config.settle``), then is *reconciled* (Mastodon: resend with
the post's random key while the server surely remembers it, else look for the text; Bluesky:
``getRecord`` with the key stored at creation; X: the exact text among recent posts), never
resent blindly. When a platform cannot tell, a person decides (``resend`` / ``mark_sent``).
What each platform does to recognise a post is its own declaration (``Platform.new_key`` and its
client's ``reconcile``); this package never names a platform.

A post more than ``missed_after`` late is not sent but marked ``missed``. Every attempt is a row
in ``social_post_attempts``; every change of state a row in ``social_post_events``.

Modules: ``claim`` (sweep and claim), ``record`` (an outcome's consequences), ``person`` (a
person decides), ``worker`` (the loop), ``common`` (what they share).
"""

from __future__ import annotations

from juntos.social.dispatch.claim import claim, kit_images, sweep
from juntos.social.dispatch.common import (
    AUTO,
    MAX_CHECKS,
    PERSON,
    RECONCILE,
    SEND,
    Claimed,
    Config,
    immediate,
    new_worker_id,
)
from juntos.social.dispatch.person import attempts, mark_sent, resend
from juntos.social.dispatch.record import backoff, record
from juntos.social.dispatch.worker import Dispatcher, execute

__all__ = [
    "AUTO", "MAX_CHECKS", "PERSON", "RECONCILE", "SEND", "Claimed", "Config", "Dispatcher",
    "attempts", "backoff", "claim", "execute", "immediate", "kit_images", "mark_sent",
    "new_worker_id", "record", "resend", "sweep",
]
