"""What an app keeps about the network between requests: one ``NetworkCache`` per app.

Snapshots of the network, its metrics and the stored layout are kept by database and change
counter (a stale entry never matches), rendered bodies (graph.json, SVG) by view and version,
all in bounded LRU caches. It also remembers the background work under way (a layout being
recomputed) so a second request does not start it again. The web app builds one per app
(``WEB.state``); a CLI command builds its own, for the length of the command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

from cachetools import LRUCache

from juntos.db import Database
from juntos.network_map import store
from juntos.network_map.graph import Network, build, database_key
from juntos.network_map.metrics import Metrics, compute

T = TypeVar("T")
Positions = dict[int, tuple[float, float]]


class NetworkCache:
    """Snapshots by (database, change counter), rendered bodies, and work under way."""

    def __init__(self, *, snapshots: int = 4, bodies: int = 16) -> None:
        self._lock = threading.Lock()
        self._networks: LRUCache[Hashable, Network] = LRUCache(snapshots)
        self._metrics: LRUCache[Hashable, Metrics] = LRUCache(snapshots)
        self._positions: LRUCache[Hashable, tuple[int, Positions]] = LRUCache(snapshots)
        self._bodies: LRUCache[Hashable, bytes] = LRUCache(bodies)
        self._running: dict[str, Future[Any]] = {}

    def _kept(self, cache: LRUCache[Hashable, T], key: Hashable, make: Callable[[], T]) -> T:
        # Built outside the lock: two requests may both build a cold entry, neither waits.
        with self._lock:
            value = cache.get(key)
        if value is None:
            value = make()
            with self._lock:
                cache[key] = value
        return value

    def network(self, db: Database) -> Network:
        """The snapshot for the database's current change counter."""
        return self._kept(self._networks, (database_key(db), store.version(db)),
                          lambda: build(db))

    def metrics(self, db: Database) -> Metrics:
        """Metrics of the current network, computed once per change counter value."""
        net = self.network(db)
        return self._kept(self._metrics, (database_key(db), net.version), lambda: compute(net))

    def stored_positions(self, db: Database) -> tuple[int, Positions]:
        """Stored positions, read once per stored layout (thousands of rows per request
        otherwise)."""
        return self._kept(self._positions, (database_key(db), store.layout_version(db)),
                          lambda: store.positions(db))

    def body(self, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
        """A rendered body (graph.json, SVG) kept while the network and its layout are
        unchanged: the key holds the database, change counter, layout version and the view."""
        return self._kept(self._bodies, key, make)

    def once(self, name: str, start: Callable[[], Future[Any]]) -> None:
        """Start the work called ``name`` unless the same work is still running."""
        with self._lock:
            running = self._running.get(name)
            if running is None or running.done():
                self._running[name] = start()

    def wait(self, name: str, timeout: float = 60.0) -> None:
        """Block until the work called ``name`` finishes (the benchmark, tests)."""
        with self._lock:
            running = self._running.get(name)
        if running is not None:
            running.exception(timeout)
