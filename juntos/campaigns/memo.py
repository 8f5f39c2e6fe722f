"""Lists drawn from every campaign (the dashboard's next commitments and calls to action),
read once per change of the campaigns rather than on every page view."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from juntos.campaigns import store
from juntos.db import Database
from juntos.kept import Kept

T = TypeVar("T")


class CampaignMemo:
    """One per app (``app.state.campaign_memo``): ``get(db, key, read)`` returns ``read()``
    as it was at the current ``store.version`` (the change counter every write to a
    campaign's tables bumps, whoever writes). ``key`` names everything else the value depends
    on: who reads (their organisation and role), the day."""

    def __init__(self, maxsize: int = 512) -> None:
        self._values: Kept[object] = Kept(maxsize)

    def get(self, db: Database, key: Hashable, read: Callable[[], T]) -> T:
        # read after the version: at worst newer than its version, never older
        return cast(T, self._values.get((store.version(db), key), read))
