"""Betweenness centrality on a sparse matrix: the same numbers as networkx, several times
faster.

``betweenness(graph, k, seed)`` gives what ``nx.betweenness_centrality(graph, k=k, seed=seed)``
gives for an unweighted, undirected graph (normalized, endpoints excluded; with ``k`` the same
``k`` sources, drawn by ``random.Random(seed).sample`` as networkx draws them, and the same
rescaling). It runs Brandes' algorithm for many sources at once: the graph as a scipy CSR
matrix ``A``, a block of sources as the columns of a dense matrix, each breadth-first level one
product ``A @ frontier`` (path counts), and the dependencies accumulated back level by level
with ``A @ ((1 + delta) / sigma)``. The work per level is done in C instead of one Python step
per edge and source; a block holds at most ``CELLS`` node × source cells, so memory stays
bounded on the national graph.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

CELLS = 2_000_000  # node × source cells per block (a few float64 matrices of this size)


def adjacency(graph: nx.Graph, nodes: list[Hashable]) -> sparse.csr_matrix:
    """The symmetric 0/1 adjacency matrix of ``graph`` in the order of ``nodes`` (no loops)."""
    index = {node: i for i, node in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    for a, b in graph.edges():
        if a == b:
            continue
        i, j = index[a], index[b]
        rows += (i, j)
        cols += (j, i)
    n = len(nodes)
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # a pair listed twice (multigraph views) still counts once
    return matrix


def _dependencies(matrix: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Brandes' dependency of every node on the shortest paths from each of ``sources``,
    summed over the sources (a source's own dependency left out)."""
    n, b = matrix.shape[0], len(sources)
    columns = np.arange(b)
    sigma = np.zeros((n, b))
    sigma[sources, columns] = 1.0
    depth = np.full((n, b), -1, dtype=np.int32)
    depth[sources, columns] = 0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = np.asarray(matrix @ frontier)
        reached[depth >= 0] = 0.0
        found = reached > 0
        if not found.any():
            break
        level += 1
        depth[found] = level
        sigma += reached
        frontier = reached
    delta = np.zeros((n, b))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for current in range(level, 0, -1):
        at = depth == current
        share = np.where(at, (1.0 + delta) / safe_sigma, 0.0)
        back = np.asarray(matrix @ share)
        delta += np.where(depth == current - 1, sigma * back, 0.0)
    delta[sources, columns] = 0.0
    return delta.sum(axis=1)


def betweenness(graph: nx.Graph, k: int | None = None,
                seed: int | None = None) -> dict[Any, float]:
    """Normalized shortest-path betweenness of every node (unweighted), exact when ``k`` is
    None, else estimated from ``k`` sources drawn with ``seed`` — equal (to rounding) to
    ``nx.betweenness_centrality(graph, k=k, seed=seed)``."""
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if k is None:
        sources = np.arange(n)
        chosen: set[int] = set()
    else:
        index = {node: i for i, node in enumerate(nodes)}
        sample = random.Random(seed).sample(nodes, k)
        sources = np.array([index[node] for node in sample], dtype=np.int64)
        chosen = set(sources.tolist())
    matrix = adjacency(graph, nodes)
    raw = np.zeros(n)
    block = max(1, min(len(sources), CELLS // n))
    for start in range(0, len(sources), block):
        raw += _dependencies(matrix, sources[start:start + block])
    return dict(zip(nodes, _rescale(raw, n, k, chosen).tolist(), strict=True))


def _rescale(raw: np.ndarray, n: int, k: int | None, chosen: set[int]) -> np.ndarray:
    """networkx's rescaling (normalized, undirected, endpoints excluded)."""
    pairs = n - 1
    if pairs < 2:
        return raw
    if k is None:
        return raw * (1.0 / (pairs * (pairs - 1)))
    source_scale = 1.0 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    other_scale = 1.0 / (k * (pairs - 1))
    scale = np.full(n, other_scale)
    if chosen:
        scale[list(chosen)] = source_scale
    return raw * scale
