"""Values built once per key and kept, least used dropped: what the pages' caches hold (kept
windows of the calendar, lists drawn from the catalogue or the campaigns, rendered pieces).

Thread-safe: pages are rendered on several threads. Two threads missing the same key at once
may both build it (the value is the same); neither waits on the other's build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")
_MISSING = object()


class Kept(Generic[V]):
    def __init__(self, maxsize: int) -> None:
        self._lock = threading.Lock()
        self._values: LRUCache[Hashable, V] = LRUCache(maxsize=maxsize)

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``build()``, kept."""
        with self._lock:
            found = self._values.get(key, _MISSING)
        if found is _MISSING:
            found = build()
            with self._lock:
                self._values[key] = found
        return found  # type: ignore[return-value]

    def peek(self, key: Hashable) -> V | None:
        """The value kept for ``key``, or None; nothing is built."""
        with self._lock:
            return self._values.get(key)
