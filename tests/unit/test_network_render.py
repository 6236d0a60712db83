"""Drawing data for the browser: complete, deterministic, offline."""

from __future__ import annotations

import networkx as nx

from netwerk.network import analysis, render


def _graph() -> nx.Graph:
    g = nx.Graph()
    for i in range(6):
        g.add_node(f"o{i}", kind="organisation", label=f"Org {i}", sector="ggz", people=[])
    g.add_edges_from([("o0", "o1"), ("o1", "o2"), ("o2", "o0"), ("o3", "o4")], weight=2)
    g.nodes["o5"]["label"] = "<img src=x onerror=alert(1)>"
    return g


def test_every_node_has_a_fixed_position_and_physics_is_off():
    g = _graph()
    data = render.network_data(g, analysis.node_sizes(g))
    assert {n["id"] for n in data["nodes"]} == set(g)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len(data["edges"]) == g.number_of_edges()
    assert data["options"]["physics"] == {"enabled": False}
    # the label is passed on as text, untouched: the page escapes it, the canvas draws it
    assert any(n["label"] == "<img src=x onerror=alert(1)>" for n in data["nodes"])
    assert not any("title" in n for n in data["nodes"])  # no HTML tooltips


def test_layout_is_deterministic_and_separates_nodes():
    g = _graph()
    first, second = render.positions(g), render.positions(g)
    assert first == second
    points = list(first.values())
    assert len(set(points)) == len(points)


def test_large_graph_layout_places_every_node():
    g = nx.barabasi_albert_graph(600, 2, seed=3)
    g = nx.relabel_nodes(g, {n: f"o{n}" for n in g})
    pos = render.positions(g)
    assert set(pos) == set(g)


def test_vis_network_ships_inside_pyvis():
    directory = render.vis_directory()
    assert (directory / "vis-network.min.js").stat().st_size > 100_000
    assert (directory / "vis-network.css").exists()


def test_legend_lists_the_sectors_present():
    legend = render.legend(_graph(), {"ggz": "GGZ"})
    assert legend == [{"sector": "ggz", "name": "GGZ", "colour": render.SECTOR_COLOURS["ggz"],
                       "css": "sector-ggz"}]
