"""Betweenness centrality by Brandes' algorithm, run for a batch of sources at once with
sparse matrix products (level-synchronous BFS forward, dependency accumulation backward).

networkx's pure-Python loop needs 256 BFS passes one by one: tens of seconds at 5,000 actors
and 25,000 ties on a busy 2-core machine. Batching 256 sources into one (sources × actors)
array turns each BFS level into one sparse product. Results equal networkx's normalised,
unweighted values (checked in the tests), including its rescaling of sampled estimates.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import scipy.sparse as sp

BATCH = 256


def betweenness(graph: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict[int, float]:
    """Normalised betweenness of an undirected graph; ``k`` sources sampled with ``seed``."""
    nodes = list(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency = (adjacency > 0).astype(np.float64).tocsr()
    if k is None or k >= n:
        sources = list(range(n))
        sampled = False
    else:
        rng = random.Random(seed)
        sources = sorted(rng.sample(range(n), k))
        sampled = True
    total = np.zeros(n)
    for start in range(0, len(sources), BATCH):
        batch = np.array(sources[start:start + BATCH])
        total += _dependencies(adjacency, batch, n)
    if not sampled:
        scale = np.full(n, 1 / ((n - 1) * (n - 2)))
    else:
        count = len(sources)
        scale = np.full(n, 1 / (count * (n - 2)))
        scale[sources] = 1 / ((count - 1) * (n - 2)) if count > 1 else 0.0
    return {node: float(v) for node, v in zip(nodes, total * scale, strict=True)}


def _dependencies(adjacency: sp.csr_array, batch: np.ndarray, n: int) -> np.ndarray:
    """Sum over the sources in ``batch`` of Brandes' dependency of every node.

    Arrays are (actors × sources), one column per source, so each BFS level is one sparse
    product on a contiguous array; the depth of every node is kept in one small array rather
    than a mask per level (20,000 actors × 256 sources)."""
    columns = np.arange(len(batch))
    sigma = np.zeros((n, len(batch)))
    sigma[batch, columns] = 1.0
    depth = np.full((n, len(batch)), -1, dtype=np.int16)
    depth[batch, columns] = 0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = adjacency @ frontier  # shortest-path counts into the next level
        reached[depth >= 0] = 0.0
        mask = reached > 0
        if not mask.any():
            break
        level += 1
        depth[mask] = level
        sigma += reached  # zero outside the new level, and sigma was zero there
        frontier = reached
    delta = np.zeros_like(sigma)
    inverse = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
    coefficient = np.empty_like(sigma)
    for d in range(level, 0, -1):
        coefficient.fill(0.0)
        here = depth == d
        np.multiply(1.0 + delta, inverse, out=coefficient, where=here)
        back = adjacency @ coefficient
        above = depth == d - 1
        np.multiply(sigma, back, out=back, where=above)
        back[~above] = 0.0
        delta += back
    delta[batch, columns] = 0.0
    return delta.sum(axis=1)
