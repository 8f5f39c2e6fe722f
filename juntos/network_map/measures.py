"""The measures computed for every actor, declared once.

Each ``Measure`` names a structural measure, says how to compute it from the network, how to
show it and what it means. Everything that lists measures reads this one tuple: the metrics
cache, the actors table and the actor's page, the explorer's side panel, the actor JSON and
the node-link export, "size by" and the CLI's ``--by``. Adding a measure is adding one entry
here (and translating its label and help); see docs/network-map.md, "For developers".

They describe position in the recorded ties, never influence (people's judgements of
influence are kept apart, in juntos.network_map.judgements).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from juntos.network_map.betweenness import betweenness as fast_betweenness
from juntos.network_map.graph import DEFAULT_STRENGTH, Network
from juntos.validation import N_

#: Exact betweenness is O(n·m): 1.7 s at 1k actors, 290 s at 10k. Above this, sample.
EXACT_BETWEENNESS_MAX = 2000
BETWEENNESS_SAMPLE = 256
SEED = 2026


@dataclass(frozen=True, kw_only=True)
class Measure:
    """One measure of every actor."""

    name: str
    #: Column header and label (marked for translation; shown translated).
    label: str
    #: One sentence on what it means, shown as the header's title (marked for translation).
    help: str
    #: Values per actor id; actors left out get ``missing``.
    compute: Callable[[Network], Mapping[int, Any]]
    missing: Any = 0
    #: "integer" or "decimal": how a table aligns and shows it (None shows as empty).
    format: str = "integer"
    sortable: bool = True
    #: Lower values stand out (constraint: brokers have little): sorted and drawn that way.
    low_first: bool = False
    #: Sampled above ``EXACT_BETWEENNESS_MAX`` actors: shown as approximate then.
    sampled: bool = False
    #: Shown in the explorer's side panel (the table and the actor's page show them all).
    in_panel: bool = True


def betweenness_sample(n: int) -> int | None:
    """How many sources betweenness samples for ``n`` actors (None: exact)."""
    return None if n <= EXACT_BETWEENNESS_MAX else min(BETWEENNESS_SAMPLE, n)


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


def _degree(net: Network) -> Mapping[int, Any]:
    return dict(net.multi.degree())


def _weighted_degree(net: Network) -> Mapping[int, Any]:
    weighted: Counter[int] = Counter()
    for tie in net.ties:
        strength = tie["strength"] or DEFAULT_STRENGTH
        weighted[tie["from_id"]] += strength
        weighted[tie["to_id"]] += strength
    return weighted


def _betweenness(net: Network) -> Mapping[int, Any]:
    graph = net.cohesion
    n = graph.number_of_nodes()
    if not n:
        return {}
    values = fast_betweenness(graph, k=betweenness_sample(n), seed=SEED)
    return {a: round(v, 6) for a, v in values.items()}


def _pagerank(net: Network) -> Mapping[int, Any]:
    graph = net.cohesion
    if not graph.number_of_edges():
        return {a: round(1 / max(graph.number_of_nodes(), 1), 6) for a in graph}
    return {a: round(v, 6) for a, v in nx.pagerank(graph, weight="weight").items()}


def _constraint(net: Network) -> Mapping[int, Any]:
    return {a: None if v is None else round(v, 4)
            for a, v in burt_constraint(net.cohesion).items()}


def _core(net: Network) -> Mapping[int, Any]:
    return nx.core_number(net.cohesion) if net.cohesion.number_of_nodes() else {}


MEASURES: tuple[Measure, ...] = (
    Measure(name="degree", label=N_("Ties (degree)"), compute=_degree,
            help=N_("How many ties the actor has, of every kind.")),
    Measure(name="weighted_degree", label=N_("Weighted ties"), compute=_weighted_degree,
            help=N_("Ties counted by their strength (1 to 5; 1 when not given)."),
            in_panel=False),
    Measure(name="betweenness", label=N_("Betweenness"), compute=_betweenness, format="decimal",
            sampled=True, missing=0.0,
            help=N_("How often the actor lies on the shortest chains between others.")),
    Measure(name="pagerank", label=N_("PageRank"), compute=_pagerank, format="decimal",
            missing=0.0, help=N_("Tied to actors that are themselves well tied.")),
    Measure(name="constraint", label=N_("Constraint (low: broker)"), compute=_constraint,
            format="decimal", low_first=True, missing=None,
            help=N_("How much the actor's contacts know each other; low values mark "
                    "brokers.")),
    Measure(name="core", label=N_("k-core"), compute=_core,
            help=N_("The densest group of mutually tied actors the actor belongs to.")),
)
BY_NAME: dict[str, Measure] = {m.name: m for m in MEASURES}
#: The measures offered to sort, rank and size actors by.
METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)
