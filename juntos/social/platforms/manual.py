"""Posted by hand: the organisation posts wherever it likes, from a calendar reminder.

Not a platform Juntos talks to: no limit, no connection, no client. Also the fallback for any
platform Juntos does not post to.
"""

from __future__ import annotations

from juntos.social.platforms.base import Platform, graphemes
from juntos.validation import N_

PLATFORM = Platform(
    id="manual", label=N_("By hand (reminder)"), limit=None, rule="posted by hand: no limit",
    length=graphemes, needs_handle=False, needs_label=True,
)
