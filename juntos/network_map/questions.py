"""The strategists' questions: introduction paths, brokers, coverage, recommendations, change.

Plain inputs (ids, themes, countries, dates) so each question is testable without the web or
another area: a campaign's partners, themes and countries are passed in by the caller.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from juntos.errors import NotFound, ValidationError
from juntos.network_map.graph import Network, tie_active
from juntos.network_map.metrics import SEED, Metrics
from juntos.network_map.models import ADVERSARIAL_KINDS

#: Subset betweenness costs O(|sources|·m): sample the sources above this many.
BROKER_SOURCES_MAX = 200


def _ally_graph(net: Network) -> nx.Graph:
    """Ties an introduction can travel: stance ``ally``, not adversarial; cost = 6 - strength."""
    graph = nx.Graph()
    graph.add_nodes_from(net.actors)
    for tie in net.ties:
        if tie["stance"] != "ally" or tie["kind"] in ADVERSARIAL_KINDS:
            continue
        a, b, strength = tie["from_id"], tie["to_id"], tie["strength"] or 1
        if a == b:
            continue
        if not graph.has_edge(a, b) or graph[a][b]["strength"] < strength:
            graph.add_edge(a, b, strength=strength, cost=6 - strength)
    return graph


def _resolve(net: Network, slug: str) -> int:
    actor_id = net.by_slug.get(slug)
    if actor_id is None:
        raise NotFound(f"No actor {slug!r}.")
    return actor_id


@dataclass(frozen=True)
class Paths:
    shortest: list[int]
    strongest: list[int]
    strengths: dict[str, list[int]] = field(default_factory=dict)


def introduction_paths(net: Network, source: str, target: str) -> Paths:
    """Shortest (fewest introductions) and strongest (sum of 6 - strength lowest) ally paths.

    Empty lists when no chain of ally ties connects them.
    """
    a, b = _resolve(net, source), _resolve(net, target)
    graph = _ally_graph(net)
    try:
        shortest = nx.shortest_path(graph, a, b)
        strongest = nx.dijkstra_path(graph, a, b, weight="cost")
    except nx.NetworkXNoPath:
        return Paths([], [])

    def strengths(path: list[int]) -> list[int]:
        return [graph[u][v]["strength"] for u, v in itertools.pairwise(path)]

    return Paths(shortest, strongest,
                 {"shortest": strengths(shortest), "strongest": strengths(strongest)})


def _group(net: Network, metrics: Metrics, spec: str) -> set[int]:
    """A group of actors: ``community:N`` or ``theme:NAME``."""
    kind, _, value = spec.partition(":")
    if kind == "community" and value.isdigit():
        return {a for a, m in metrics.actors.items() if m["community"] == int(value)}
    if kind == "theme" and value:
        return {a for a, actor in net.actors.items() if value.lower() in actor["themes"]}
    raise ValidationError({"group": f"{spec!r}: write community:N or theme:NAME."})


def brokers(net: Network, metrics: Metrics, group_a: str, group_b: str,
            *, n: int = 10) -> list[dict[str, Any]]:
    """Actors on the shortest paths between two groups (subset betweenness), highest first.

    Each comes with ``share``: the part of the shortest routes between the groups' members
    that pass through it (0..1, a routes' pair split evenly among its equally short routes),
    which a page says in words; ``score`` is the raw subset betweenness."""
    a, b = _group(net, metrics, group_a), _group(net, metrics, group_b)
    if not a or not b:
        return []
    rng = random.Random(SEED)
    sources = sorted(a)
    if len(sources) > BROKER_SOURCES_MAX:
        sources = rng.sample(sources, BROKER_SOURCES_MAX)
    scores = nx.betweenness_centrality_subset(net.cohesion, sources=sources, targets=sorted(b))
    # networkx halves each pair's contribution on an undirected graph: twice the score over
    # the pairs is the share of routes through the actor.
    pairs = max(1, sum(1 for s in sources for t in b if s != t))
    ranked = sorted((s, actor) for actor, s in scores.items() if s > 0)
    ranked.sort(key=lambda p: (-p[0], net.actors[p[1]]["name"]))
    return [net.actors[actor] | {"score": round(score, 3), "share": min(1.0, 2 * score / pairs),
                                 "pairs": pairs, "in_a": actor in a, "in_b": actor in b}
            for score, actor in ranked[:n]]


def coverage(net: Network) -> dict[str, Any]:
    """Actors per country × theme, and the gaps (combinations with nobody)."""
    cells: Counter[tuple[str, str]] = Counter()
    for actor in net.actors.values():
        for theme in actor["themes"]:
            cells[(actor["country"] or "", theme)] += 1
    countries = sorted({c for c, _ in cells})
    themes = sorted({t for _, t in cells})
    gaps = [(c, t) for c in countries for t in themes if not cells[(c, t)]]
    return {"countries": countries, "themes": themes,
            "cells": {f"{c}|{t}": v for (c, t), v in cells.items()}, "gaps": gaps}


def recommend(net: Network, *, partners: list[int], themes: list[str], countries: list[str],
              n: int = 20) -> list[dict[str, Any]]:
    """Actors tied to a campaign's partners, not yet partners, ranked; each with its reasons.

    Score: 2 per non-adversarial tie to a partner (weighted by strength / 3), 1 per shared
    theme, 1 for a matching country. Opponents are never recommended.
    """
    partner_set = set(partners)
    wanted_themes = {t.lower() for t in themes}
    wanted_countries = {c.upper() for c in countries}
    tied: dict[int, set[int]] = {}
    strength: Counter[int] = Counter()
    opposed: set[int] = set()
    # Only the partners' own ties (indexed per snapshot), not every tie of the network.
    partner_ties = {id(t): t for p in partner_set for t in net.ties_by_actor.get(p, ())}
    for tie in partner_ties.values():
        ends = (tie["from_id"], tie["to_id"])
        for here, there in (ends, ends[::-1]):
            if there not in partner_set or here in partner_set:
                continue
            if tie["kind"] in ADVERSARIAL_KINDS or tie["stance"] == "opponent":
                opposed.add(here)
                continue
            tied.setdefault(here, set()).add(there)
            strength[here] += tie["strength"] or 1
    # Scored first, described only for the ``n`` shown: a large coalition's partners are tied
    # to hundreds of actors. Equal scores and names keep the order the ties were met in.
    scored = []
    for order, (actor_id, via) in enumerate(tied.items()):
        if actor_id in opposed:
            continue
        actor = net.actors[actor_id]
        shared = len(wanted_themes.intersection(actor["themes"]))
        in_country = actor["country"] in wanted_countries
        score = round(2 * strength[actor_id] / 3 + shared + int(in_country), 2)
        scored.append((-score, actor["name"], order, actor_id, via))
    out = []
    for minus_score, _name, _order, actor_id, via in heapq.nsmallest(n, scored):
        actor = net.actors[actor_id]
        out.append(actor | {
            "score": -minus_score,
            "tied_to": sorted(net.actors[p]["name"] for p in via),
            "shared_themes": sorted(wanted_themes & set(actor["themes"])),
            "country_match": actor["country"] in wanted_countries,
        })
    return out


def changes(net: Network, before: str, after: str) -> dict[str, list[dict[str, Any]]]:
    """Ties that hold on ``after`` but not ``before`` (new) and the reverse (lost)."""
    new = [t for t in net.ties if tie_active(t, after) and not tie_active(t, before)]
    lost = [t for t in net.ties if tie_active(t, before) and not tie_active(t, after)]
    return {"new": new, "lost": lost}
