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


def _label_boxes(data: dict) -> list[tuple[float, float, float, float]]:
    """Each node's dot with its label under it, as the map draws them at zoom 1: (left, top,
    right, bottom) in pixels; a label is taken as 0.55 × the font size per character."""
    font = data["options"]["nodes"]["font"]["size"]
    boxes = []
    for n in data["nodes"]:
        half = max(n["size"], 0.55 * font * len(n["label"]) / 2)
        boxes.append((n["x"] - half, n["y"] - n["size"], n["x"] + half,
                      n["y"] + n["size"] + 1.2 * font))
    return boxes


def test_a_dense_knot_of_partners_gets_readable_labels():
    """The best-connected partners of a wijk end up in one knot of a spring layout; on the
    map their labels must not cover each other (seen at 1920 px: twelve names in a heap)."""
    g = nx.Graph()
    names = ["Sociaal Wijkteam Nieuwegein", "Politie basisteam Lekstroom", "Jutphaas Wonen",
             "De Tussenvoorzieningen", "Werk en Inkomen Lekstroom", "Outreachteam gemeente",
             "Maatschappelijk werk Nieuwegein", "Huisartsenpraktijk Vreeswijk", "Altrecht",
             "Abrona", "Mitros", "Portaal", "Lister", "Geynwijs", "Timon", "Victas"]
    for i, name in enumerate(names):
        g.add_node(f"o{i}", kind="organisation", label=name, sector="zorg", people=[])
    g.add_edges_from((f"o{i}", f"o{j}") for i in range(len(names)) for j in range(i))
    g.add_edges_from([("o0", "o99"), ("o99", "o98")])  # a tail that stretches the layout
    for n in ("o99", "o98"):
        g.nodes[n].update(kind="organisation", label=f"Verweg {n}", sector="zorg", people=[])
    data = render.network_data(g, analysis.node_sizes(g))
    boxes = _label_boxes(data)
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert overlapping == []
    assert render.network_data(g, analysis.node_sizes(g))["nodes"] == data["nodes"]


def test_nodes_with_room_around_them_stay_where_the_layout_put_them():
    coords = {"a": (0.0, 0.0), "b": (500.0, 0.0), "c": (0.0, 400.0)}
    labels = dict.fromkeys(coords, "Kort")
    assert render.label_room(coords, labels, dict.fromkeys(coords, 10.0)) == coords
