"""Platform clients: each posts through the platform's own library and maps what comes back to
one of four outcomes the dispatcher understands (see ``outcomes``).

Clients hold no database handle: the dispatcher claims posts, hands each client a ``Job`` (the
post, the account and its opened credentials), and records the outcome itself.
"""

from __future__ import annotations

from juntos.settings import Settings
from juntos.social.counting import BLUESKY, MASTODON, X
from juntos.social.platforms.outcomes import Job, PlatformClient


def client_for(job: Job, settings: Settings) -> PlatformClient:
    """The client for a job's platform, configured from settings (timeouts, test base URL)."""
    if job.platform == MASTODON:
        from juntos.social.platforms.mastodon import MastodonClient

        return MastodonClient(job, settings)
    if job.platform == BLUESKY:
        from juntos.social.platforms.bluesky import BlueskyClient

        return BlueskyClient(job, settings)
    if job.platform == X:
        from juntos.social.platforms.x import XClient

        return XClient(job, settings)
    raise ValueError(f"No client posts to {job.platform!r}.")
