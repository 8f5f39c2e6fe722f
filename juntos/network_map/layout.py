"""Positions of actors, computed on the server, stored, and refreshed in the background.

Layout is the main cost (igraph's Fruchterman-Reingold, in C; above ``DIRECT_MAX`` actors
community by community), so a request never waits for it: it gets the stored positions, with
actors added since placed next to their neighbours at once, while the app's runner relaxes the
layout in the background. A small change warm-starts from the stored positions and only
moves the neighbourhood of what changed.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import networkx as nx

from juntos import db as database
from juntos.db import Database
from juntos.network_map import igraphs, store
from juntos.network_map.cache import NetworkCache, Positions
from juntos.network_map.graph import Network, build, database_key

log = logging.getLogger("juntos.network_map")
SCALE = 1000.0
SEED = 2026
#: Above this share of actors without a position, relax the whole map rather than locally.
LOCAL_SHARE = 0.05
#: Above this many actors a whole-map layout is built community by community (a spring
#: layout of the whole map is O(n²) per iteration, and clusters read better placed apart).
DIRECT_MAX = 1500


@dataclass(frozen=True)
class Layout:
    positions: dict[int, tuple[float, float]]
    fresh: bool  # computed for the current change counter
    version: int  # the change counter of the stored layout these positions start from


def _spot(actor_id: int, radius: float) -> tuple[float, float]:
    """A deterministic place on a ring, for an actor with no placed neighbour."""
    angle = (actor_id * 2.399963) % (2 * math.pi)  # golden angle spreads them evenly
    return radius * math.cos(angle), radius * math.sin(angle)


def provisional(net: Network, stored: Positions) -> Positions:
    """Stored positions, plus new actors at the centre of their placed neighbours (instant)."""
    pos = {a: stored[a] for a in net.actors if a in stored}
    radius = max((math.hypot(x, y) for x, y in pos.values()), default=SCALE) * 1.05
    graph = net.cohesion
    for actor in net.actors:
        if actor in pos:
            continue
        placed = [pos[n] for n in graph.neighbors(actor) if n in pos]
        if placed:
            jx, jy = _spot(actor, 12.0)
            pos[actor] = (sum(p[0] for p in placed) / len(placed) + jx,
                          sum(p[1] for p in placed) / len(placed) + jy)
        else:
            pos[actor] = _spot(actor, radius)
    return pos


def compute(net: Network, stored: Positions) -> Positions:
    """A relaxed layout: local warm start after a small change, else the whole map."""
    graph = net.cohesion
    missing = [a for a in net.actors if a not in stored]
    start = provisional(net, stored)
    if stored and len(missing) <= max(1, LOCAL_SHARE * len(net.actors)):
        if not missing:
            return start
        moving = set(missing)
        for a in missing:
            moving.update(graph.neighbors(a))
        around = set(moving)
        for a in moving:
            around.update(graph.neighbors(a))
        local = graph.subgraph(around)
        fixed = [a for a in local if a not in moving]
        scaled = {a: (start[a][0] / SCALE, start[a][1] / SCALE) for a in local}
        relaxed = nx.spring_layout(local, pos=scaled, fixed=fixed or None, iterations=30,
                                   seed=SEED, k=0.05) if fixed else scaled
        start.update({a: (float(x) * SCALE, float(y) * SCALE) for a, (x, y) in relaxed.items()})
        return start
    if graph.number_of_nodes() > DIRECT_MAX:
        return community_layout(graph, net.communities)
    seeded = {a: (x / SCALE, y / SCALE) for a, (x, y) in start.items()} if stored else None
    pos = igraphs.spring(graph, seeded, iterations=150 if stored else 500)
    return {a: (x * SCALE, y * SCALE) for a, (x, y) in pos.items()}


def _quotient(graph: nx.Graph, groups: list[list[int]]) -> nx.Graph:
    """The graph of communities, weighted by the ties between them."""
    group_of = {a: i for i, c in enumerate(groups) for a in c}
    between: Counter[tuple[int, int]] = Counter()
    for a, b in graph.edges():
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and gb is not None and ga != gb:
            between[(ga, gb) if ga < gb else (gb, ga)] += 1
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    quotient.add_weighted_edges_from((a, b, w) for (a, b), w in between.items())
    return quotient


def community_layout(graph: nx.Graph, communities: list[set[int]]) -> Positions:
    """A two-level layout for large maps: communities placed by a spring layout of the graph
    of communities, each community laid out on its own inside a disc sized to it, isolated
    actors on an outer ring. About a second at 20,000 actors instead of minutes."""
    groups = [sorted(c) for c in communities if len(c) > 1]
    singles = sorted(a for c in communities if len(c) == 1 for a in c)
    centres = (igraphs.spring(_quotient(graph, groups), weight="weight")
               if len(groups) > 1 else {0: (0.0, 0.0)})
    spread = math.sqrt(sum(len(c) for c in groups) or 1) * 1.6
    pos: Positions = {}
    inner = igraphs.spring_groups(graph, groups)
    for i, members in enumerate(groups):
        radius = math.sqrt(len(members))
        cx, cy = (centres[i][0] * spread, centres[i][1] * spread)
        for a in members:
            pos[a] = (cx + inner[a][0] * radius, cy + inner[a][1] * radius)
    ring = max((math.hypot(x, y) for x, y in pos.values()), default=1.0) * 1.1 or 1.0
    for a in singles:
        pos[a] = _spot(a, ring)
    top = max((max(abs(x), abs(y)) for x, y in pos.values()), default=1.0) or 1.0
    return {a: (x / top * SCALE, y / top * SCALE) for a, (x, y) in pos.items()}


def refresh(db: Database, net: Network | None = None) -> float:
    """Compute and store the layout for the current network (``net``, when already built)
    now; returns the seconds taken."""
    started = time.perf_counter()
    net = net if net is not None else build(db)
    _, stored = store.positions(db)
    store.save_positions(db, net.version, compute(net, stored))
    return time.perf_counter() - started


def _background(path: str) -> None:
    try:
        conn = database.connect(path)
        try:
            seconds = refresh(conn)
            log.info("network layout refreshed in %.1f s", seconds)
        finally:
            conn.close()
    except Exception:  # a failed layout must not take the app down; the old one stays
        log.exception("network layout failed")


#: Runs a job off the request: the app's ``runner.submit``.
Submit = Callable[..., Future[Any]]


def current(db: Database, cache: NetworkCache | None = None, *,
            submit: Submit | None = None) -> Layout:
    """Positions for the current network.

    With ``submit`` (the app's runner) a request never waits for a cold layout: it gets the
    stored positions with new actors placed at once, while the layout is recomputed in the
    background (once per database, however many requests ask). Without it (CLI, tests, demo)
    a stale layout is refreshed before returning.
    """
    cache = cache or NetworkCache()
    net = cache.network(db)
    layout_version, stored = cache.stored_positions(db)
    if layout_version == net.version and len(stored) >= len(net.actors):
        return Layout(stored, True, layout_version)
    if submit is None:
        refresh(db, net)
        version, fresh = cache.stored_positions(db)
        return Layout(fresh, True, version)
    path = database_key(db)
    if path not in ("", ":memory:"):
        cache.once(f"layout:{path}", lambda: submit(_background, path))
    return Layout(provisional(net, stored), False, layout_version)


def wait(db: Database, cache: NetworkCache, timeout: float = 60.0) -> None:
    """Block until a background layout of this database finishes (the benchmark, tests)."""
    cache.wait(f"layout:{database_key(db)}", timeout)
