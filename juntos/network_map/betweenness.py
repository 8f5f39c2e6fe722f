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
    """Sum over the sources in ``batch`` of Brandes' dependency of every node."""
    rows = np.arange(len(batch))
    sigma = np.zeros((len(batch), n))
    sigma[rows, batch] = 1.0
    visited = np.zeros((len(batch), n), dtype=bool)
    visited[rows, batch] = True
    levels = [visited.copy()]
    frontier = sigma.copy()
    while True:
        reached = (adjacency @ frontier.T).T  # shortest-path counts into the next level
        reached[visited] = 0.0
        mask = reached > 0
        if not mask.any():
            break
        visited |= mask
        sigma[mask] = reached[mask]
        frontier = np.where(mask, sigma, 0.0)
        levels.append(mask)
    delta = np.zeros_like(sigma)
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for depth in range(len(levels) - 1, 0, -1):
        coefficient = np.where(levels[depth], (1.0 + delta) / safe_sigma, 0.0)
        back = (adjacency @ coefficient.T).T
        delta += np.where(levels[depth - 1], sigma * back, 0.0)
    delta[rows, batch] = 0.0
    return delta.sum(axis=0)
