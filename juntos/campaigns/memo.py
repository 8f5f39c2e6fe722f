"""Lists drawn from every campaign (the dashboard's next commitments and calls to action),
read once per change of the campaigns rather than on every page view."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from cachetools import LRUCache

from juntos.campaigns import store
from juntos.db import Database

T = TypeVar("T")


class CampaignMemo:
    """One per app (``app.state.campaign_memo``): ``get(db, key, read)`` returns ``read()``
    as it was at the current ``store.version`` (the change counter every write to a
    campaign's tables bumps, whoever writes). ``key`` names everything else the value depends
    on: who reads (their organisation and role), the day."""

    def __init__(self, maxsize: int = 512) -> None:
        self._lock = threading.Lock()
        self._values: LRUCache[tuple[int, Hashable], object] = LRUCache(maxsize=maxsize)

    def get(self, db: Database, key: Hashable, read: Callable[[], T]) -> T:
        full = (store.version(db), key)
        with self._lock:
            found = self._values.get(full)
        if found is None:
            # read after the version: at worst newer than its version, never older
            found = read()
            with self._lock:
                self._values[full] = found
        return cast(T, found)
