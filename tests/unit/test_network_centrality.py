"""Betweenness on a sparse matrix gives networkx's numbers (exact and sampled, disconnected
graphs and isolated nodes included)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from netwerk.network import analysis, centrality


def _graphs():
    yield "path", nx.path_graph(3)
    yield "karate", nx.karate_club_graph()
    parts = nx.disjoint_union(nx.barabasi_albert_graph(120, 3, seed=1), nx.cycle_graph(7))
    parts.add_node("alleen")
    yield "parts and an isolated node", parts
    star = nx.star_graph(30)
    star.add_edges_from([(1, 2), (2, 3)])
    yield "star", star


@pytest.mark.parametrize("name,graph", list(_graphs()), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_exact_and_sampled_betweenness_equal_networkx(name, graph):
    for k in (None, min(12, len(graph) - 1)):
        ours = centrality.betweenness(graph, k=k, seed=analysis.SEED)
        theirs = nx.betweenness_centrality(graph, k=k, seed=analysis.SEED)
        assert set(ours) == set(theirs)
        for node, value in theirs.items():
            assert math.isclose(ours[node], value, rel_tol=1e-9, abs_tol=1e-12), (name, k, node)


def test_small_blocks_give_the_same_answer(monkeypatch):
    graph = nx.gnm_random_graph(60, 200, seed=3)
    whole = centrality.betweenness(graph)
    monkeypatch.setattr(centrality, "CELLS", 60 * 7)  # blocks of 7 sources
    assert centrality.betweenness(graph) == pytest.approx(whole, rel=1e-12)


def test_the_analysis_uses_it_above_the_exact_limit():
    graph = nx.barabasi_albert_graph(analysis.EXACT_BETWEENNESS_MAX + 50, 2, seed=5)
    values, sampled = analysis.betweenness(graph)
    assert sampled
    expected = nx.betweenness_centrality(graph, k=analysis.BETWEENNESS_SAMPLE,
                                         seed=analysis.SEED)
    assert values == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_empty_graph():
    assert centrality.betweenness(nx.Graph()) == {}
