"""Computed measures of actors (declared in juntos.network_map.measures) and of the whole
network: communities, density, components.

These are structural measures (who sits where in the ties). They are not judgements of
influence, which people elicit and record separately; never label them "influence".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.graph import Network, build
from juntos.network_map.measures import (
    BY_NAME,
    EXACT_BETWEENNESS_MAX,
    MEASURES,
    METRIC_NAMES,
    SEED,
    betweenness_sample,
    burt_constraint,
)

__all__ = [
    "EXACT_BETWEENNESS_MAX",
    "METRIC_NAMES",
    "SEED",
    "Metrics",
    "burt_constraint",
    "compute",
    "metrics",
    "ranked",
    "top",
]


@dataclass(frozen=True)
class Metrics:
    version: int
    actors: dict[int, dict[str, Any]]
    network: dict[str, Any]
    communities: list[dict[str, Any]]


def _community_summaries(net: Network, communities: list[set[int]]) -> list[dict[str, Any]]:
    summaries = []
    for i, group in enumerate(communities):
        themes: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for a in group:
            themes.update(net.actors[a]["themes"])
            if net.actors[a]["country"]:
                countries[net.actors[a]["country"]] += 1
        # Named by its best-connected members: people know a group by who is in it.
        largest = sorted(group, key=lambda a: (-net.cohesion.degree(a, weight="weight"),
                                               net.actors[a]["name"]))[:3]
        summaries.append({"id": i, "size": len(group),
                          "largest": [net.actors[a].get("short_name")
                                      or net.actors[a].get("acronym")
                                      or net.actors[a]["name"] for a in largest],
                          "themes": [t for t, _ in themes.most_common(3)],
                          "countries": [c for c, _ in countries.most_common(3)]})
    return summaries


def compute(net: Network) -> Metrics:
    """Every measure of ``MEASURES`` for every actor, communities and the network summary."""
    cohesion = net.cohesion
    n = cohesion.number_of_nodes()
    values = {m.name: m.compute(net) for m in MEASURES}
    communities = net.communities
    community_of = {a: i for i, group in enumerate(communities) for a in group}
    per_actor = {a: {m.name: values[m.name].get(a, m.missing) for m in MEASURES}
                 | {"community": community_of.get(a, -1)} for a in net.actors}
    sample = betweenness_sample(n)
    summary = {
        "actors": n,
        "ties": len(net.ties),
        "density": round(nx.density(cohesion), 6) if n > 1 else 0.0,
        "components": nx.number_connected_components(cohesion) if n else 0,
        "communities": len(communities),
        "betweenness_exact": sample is None,
        "betweenness_sample": sample,
    }
    return Metrics(version=net.version, actors=per_actor, network=summary,
                   communities=_community_summaries(net, communities))


def metrics(db: Database) -> Metrics:
    """Metrics of the current network, computed now (the app keeps them in its
    ``NetworkCache``)."""
    return compute(build(db))


def top(db: Database, *, by: str = "betweenness", n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` actors highest on a measure, from the database now."""
    net = build(db)
    return ranked(net, compute(net), by=by, n=n)


def ranked(net: Network, m: Metrics, *, by: str = "betweenness",
           n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` actors highest on a measure (constraint: lowest first, as brokers have less)."""
    if by not in METRIC_NAMES:
        raise ValidationError({"by": f"Unknown measure {by!r}; one of {', '.join(METRIC_NAMES)}."})
    rows = [net.actors[a] | m.actors[a] for a in net.actors]
    if BY_NAME[by].low_first:
        rows = [r for r in rows if r[by] is not None]
        rows.sort(key=lambda r: (r[by], r["name"]))
    else:
        rows.sort(key=lambda r: (-r[by], r["name"]))
    return rows[:n]
