"""Computed measures of actors and of the whole network, cached by the change counter.

These are structural measures (who sits where in the ties). They are not judgements of
influence, which people elicit and record separately; never label them "influence".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.betweenness import betweenness as fast_betweenness
from juntos.network_map.graph import Network, VersionedCache, database_key, network

#: Exact betweenness is O(n·m): 1.7 s at 1k actors, 290 s at 10k. Above this, sample.
EXACT_BETWEENNESS_MAX = 2000
BETWEENNESS_SAMPLE = 256
SEED = 2026
METRIC_NAMES = ("degree", "weighted_degree", "betweenness", "pagerank", "constraint", "core")


@dataclass(frozen=True)
class Metrics:
    version: int
    actors: dict[int, dict[str, Any]]
    network: dict[str, Any]
    communities: list[dict[str, Any]]


def burt_constraint(graph: nx.Graph) -> dict[int, float | None]:
    """Burt's constraint for every node of an undirected weighted graph, vectorised.

    c_i = Σ_j∈N(i) (p_ij + Σ_q p_iq·p_qj)², p = weights normalised by row. Same values as
    ``nx.constraint`` (checked in the tests) without its per-pair Python loops, which take
    minutes at 5,000 actors. Isolated actors have no constraint (None).
    """
    nodes = list(graph)
    if not nodes:
        return {}
    w = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr")
    w = w.astype(float)
    w.setdiag(0)
    w.eliminate_zeros()
    totals = np.asarray(w.sum(axis=1)).ravel()
    inverse = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    p = sp.diags(inverse) @ w
    indirect = (p @ p).multiply(p != 0)  # only pairs that are neighbours count
    values = np.asarray((p + indirect).power(2).sum(axis=1)).ravel()
    return {n: (float(values[i]) if totals[i] > 0 else None) for i, n in enumerate(nodes)}


def _communities(graph: nx.Graph) -> list[set[int]]:
    """Louvain with a fixed seed, numbered by size then smallest id: colours do not jump."""
    if graph.number_of_edges() == 0:
        return [{n} for n in graph]
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def compute(net: Network) -> Metrics:
    cohesion = net.cohesion
    n = cohesion.number_of_nodes()
    exact = n <= EXACT_BETWEENNESS_MAX
    sample = None if exact else min(BETWEENNESS_SAMPLE, n)
    betweenness = fast_betweenness(cohesion, k=sample, seed=SEED) if n else {}
    pagerank = nx.pagerank(cohesion, weight="weight") if cohesion.number_of_edges() else {
        a: 1 / max(n, 1) for a in cohesion}
    constraint = burt_constraint(cohesion)
    core = nx.core_number(cohesion) if n else {}
    communities = _communities(cohesion)
    community_of = {a: i for i, group in enumerate(communities) for a in group}
    degree = dict(net.multi.degree())
    weighted: Counter[int] = Counter()
    for tie in net.ties:
        strength = tie["strength"] or 1
        weighted[tie["from_id"]] += strength
        weighted[tie["to_id"]] += strength
    per_actor = {
        a: {
            "degree": degree.get(a, 0),
            "weighted_degree": weighted.get(a, 0),
            "betweenness": round(betweenness.get(a, 0.0), 6),
            "pagerank": round(pagerank.get(a, 0.0), 6),
            "constraint": None if constraint.get(a) is None else round(constraint[a], 4),
            "core": core.get(a, 0),
            "community": community_of.get(a, -1),
        }
        for a in net.actors
    }
    summaries = []
    for i, group in enumerate(communities):
        themes: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for a in group:
            themes.update(net.actors[a]["themes"])
            if net.actors[a]["country"]:
                countries[net.actors[a]["country"]] += 1
        summaries.append({"id": i, "size": len(group),
                          "themes": [t for t, _ in themes.most_common(3)],
                          "countries": [c for c, _ in countries.most_common(3)]})
    summary = {
        "actors": n,
        "ties": len(net.ties),
        "density": round(nx.density(cohesion), 6) if n > 1 else 0.0,
        "components": nx.number_connected_components(cohesion) if n else 0,
        "communities": len(communities),
        "betweenness_exact": exact,
        "betweenness_sample": sample,
    }
    return Metrics(version=net.version, actors=per_actor, network=summary, communities=summaries)


_metrics = VersionedCache(4)


def metrics(db: Database) -> Metrics:
    """Metrics of the current network, computed once per change counter value."""
    net = network(db)
    key = (database_key(db), net.version)
    cached = _metrics.get(key)
    return cached if cached is not None else _metrics.put(key, compute(net))


def top(db: Database, *, by: str = "betweenness", n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` actors highest on a measure (constraint: lowest first, as brokers have less)."""
    if by not in METRIC_NAMES:
        raise ValidationError({"by": f"Unknown measure {by!r}; one of {', '.join(METRIC_NAMES)}."})
    net, m = network(db), metrics(db)
    rows = [net.actors[a] | m.actors[a] for a in net.actors]
    if by == "constraint":
        rows = [r for r in rows if r["constraint"] is not None]
        rows.sort(key=lambda r: (r["constraint"], r["name"]))
    else:
        rows.sort(key=lambda r: (-r[by], r["name"]))
    return rows[:n]
