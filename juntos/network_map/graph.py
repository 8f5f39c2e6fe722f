"""The network as networkx graphs, built from the database at one value of the change counter.

Ties are kept as a multi-digraph (parallel ties of different kinds; direction matters for
``funds``, ``targets``, ``member of``). Cohesion metrics use a collapsed, undirected, weighted
view that leaves adversarial ties (``targets``, ``opposes``) out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import networkx as nx

from juntos.db import Database
from juntos.network_map import store
from juntos.network_map.igraphs import louvain
from juntos.network_map.interop.parsed import COLOUR_ATTR
from juntos.network_map.models import ADVERSARIAL_KINDS

DEFAULT_STRENGTH = 1
#: Derived results kept per snapshot before the memo starts again.
MEMO_MAX = 64
T = TypeVar("T")


@dataclass(frozen=True)
class Network:
    """A snapshot of every actor and tie at one value of the change counter."""

    version: int
    actors: dict[int, dict[str, Any]]
    ties: list[dict[str, Any]]
    multi: nx.MultiDiGraph
    cohesion: nx.Graph
    by_slug: dict[str, int] = field(default_factory=dict)
    #: Node colours kept from imports ("#rrggbb"), for "colour by: imported colour".
    colours: dict[int, str] = field(default_factory=dict)

    @cached_property
    def communities(self) -> list[set[int]]:
        """Louvain communities of the cohesion graph, computed once per snapshot (the metrics
        colour by them, the layout places them)."""
        return louvain(self.cohesion)

    def actor(self, slug: str) -> dict[str, Any] | None:
        actor_id = self.by_slug.get(slug)
        return None if actor_id is None else self.actors[actor_id]

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """What pages derive from this snapshot (a filtered view, the lists a form offers),
        kept with it: a snapshot never changes, and a new one starts empty. See ``remember``."""
        return {}

    def remember(self, key: Any, make: Callable[[], T]) -> T:
        """``make()`` once per key for this snapshot; at most ``MEMO_MAX`` kept (URLs vary)."""
        memo = self.memo
        if key in memo:
            return memo[key]
        value = make()
        if len(memo) >= MEMO_MAX:
            memo.clear()
        memo[key] = value
        return value

    @cached_property
    def ties_by_actor(self) -> dict[int, list[dict[str, Any]]]:
        """Each actor's ties (either end), built once per snapshot: pages that ask about a
        few actors (a campaign's partners, one actor's panel) then read only theirs."""
        index: dict[int, list[dict[str, Any]]] = {}
        for tie in self.ties:
            index.setdefault(tie["from_id"], []).append(tie)
            if tie["to_id"] != tie["from_id"]:
                index.setdefault(tie["to_id"], []).append(tie)
        return index


def tie_active(tie: dict[str, Any], at: str) -> bool:
    """Whether a tie holds on ISO date ``at`` (open-ended dates count as always)."""
    return (not tie["valid_from"] or tie["valid_from"] <= at) and (
        not tie["valid_until"] or tie["valid_until"] >= at)


def cohesion_graph(actor_ids: list[int], ties: list[dict[str, Any]]) -> nx.Graph:
    """Undirected, weighted by summed strength, without adversarial ties or self-loops."""
    weights: dict[tuple[int, int], int] = {}
    for tie in ties:
        a, b = tie["from_id"], tie["to_id"]
        if a == b or tie["kind"] in ADVERSARIAL_KINDS or tie["stance"] == "opponent":
            continue
        pair = (a, b) if a < b else (b, a)
        weights[pair] = weights.get(pair, 0) + (tie["strength"] or DEFAULT_STRENGTH)
    graph = nx.Graph()
    graph.add_nodes_from(actor_ids)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    return graph


def build(db: Database) -> Network:
    version = store.version(db)
    actors = {a["id"]: a for a in store.actors(db)}
    ties = store.ties(db)
    multi = nx.MultiDiGraph()
    multi.add_nodes_from(actors)
    multi.add_edges_from((t["from_id"], t["to_id"], t["id"], {"kind": t["kind"]}) for t in ties)
    colours = {org: str(attrs[COLOUR_ATTR]) for org, attrs in store.actor_attributes(db).items()
               if org in actors and attrs.get(COLOUR_ATTR)}
    return Network(version=version, actors=actors, ties=ties, multi=multi,
                   cohesion=cohesion_graph(list(actors), ties),
                   by_slug={a["slug"]: i for i, a in actors.items()}, colours=colours)


def database_key(db: Database) -> str:
    """The file behind a connection: caches are per database, not per connection."""
    return db.file_key


def network(db: Database) -> Network:
    """A fresh snapshot, for one-off use (a CLI command, a test). The app keeps snapshots in
    its ``NetworkCache`` (juntos.network_map.cache), one per change counter value."""
    return build(db)
