"""Turn a network graph into the data vis-network draws, through pyvis.

The only module that imports pyvis (lazily: ``import pyvis.network`` pulls in IPython and costs
about a second). pyvis's own HTML template is not used: it loads Bootstrap and vis-network from
CDNs and writes tooltips with innerHTML. netwerk takes pyvis's node and edge data and options
(``net.nodes``, ``net.edges``, ``net.options``), embeds them as a JSON data island
(``<script type="application/json">``, HTML-escaped by ``|tojson``), and draws them with the
vis-network files that ship inside the pyvis package, served by the app (see views.vis_asset).
Labels are drawn on the canvas as text; tooltips and the side panel are built with
``textContent`` in netwerk/static/js/network.js, never with innerHTML.

Positions are computed here with a seeded networkx spring layout, so the browser does no
physics at all: a gemeente-sized map is drawn at once, and the same data gives the same map.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx

from netwerk import phone
from netwerk.network.analysis import SEED

# Sector colours: distinguishable, and readable with white borders on a light background.
SECTOR_COLOURS = {
    "zorg": "#1f77b4",
    "ggz": "#9467bd",
    "wonen": "#ff7f0e",
    "politie": "#1a237e",
    "gemeente": "#2ca02c",
    "welzijn": "#17becf",
    "jeugd": "#e377c2",
    "schuldhulp": "#d62728",
    "werk_inkomen": "#8c564b",
    "huisarts": "#bcbd22",
    "informeel": "#7f7f7f",
    "levensbeschouwing": "#aec7e8",
    "sport": "#98df8a",
    "verslavingszorg": "#ff9896",
    "onderwijs": "#c5b0d5",
    "gehandicaptenzorg": "#c49c94",
    "maatschappelijke_opvang": "#f7b6d2",
}
DEFAULT_COLOUR = "#999999"
NEW_COLOUR = "#f2b705"  # what is new since the previous work session
MAX_DRAWN_NODES = 2000


def vis_directory() -> Path:
    """The vis-network 9.1.2 files inside the installed pyvis package (found without importing
    pyvis, which would import IPython)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, DEFAULT_COLOUR)


def positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded layout in screen pixels: each connected part laid out on its own (a spring layout
    up to 500 nodes, clustered above), the largest part
    first, the other parts in a row below it, partners without any line in a grid under
    those. Deterministic: the same network always gives the same map."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    result: dict[str, tuple[float, float]] = {}
    singles = sorted((next(iter(c)) for c in parts if len(c) == 1),
                     key=lambda n: graph.nodes[n].get("label", n))
    groups = [c for c in parts if len(c) > 1]
    spacing = 90.0
    y_cursor = 0.0
    x_cursor = 0.0
    row_height = 0.0
    width = 0.0
    for index, members in enumerate(groups):
        sub = graph.subgraph(members)
        radius = spacing * 0.75 * math.sqrt(len(members)) + spacing / 2
        local = _part_layout(sub)
        if index == 0:
            cx, cy = 0.0, 0.0
            width = 2 * radius
            y_cursor = radius + spacing
            x_cursor = -radius
        else:
            if index == 1:  # the first row under the largest part starts where it ends
                y_cursor = max(y for _x, y in result.values()) + spacing / 2
            if x_cursor + 2 * radius > max(width, 4 * spacing) / 2 + radius:
                x_cursor = -width / 2
                y_cursor += row_height + spacing / 2
                row_height = 0.0
            cx, cy = x_cursor + radius, y_cursor + radius
            x_cursor += 2 * radius + spacing / 2
            row_height = max(row_height, 2 * radius)
        for node, (x, y) in local.items():
            result[node] = (round(cx + float(x) * radius, 1), round(cy + float(y) * radius, 1))
    if result:
        y_cursor = max(y for _x, y in result.values()) + spacing
    per_row = max(int((width or 6 * spacing) // (spacing * 1.6)), 4)
    for i, node in enumerate(singles):
        row, col = divmod(i, per_row)
        x = -(min(per_row, len(singles)) - 1) * spacing * 0.8 + col * spacing * 1.6
        result[node] = (round(x, 1), round(y_cursor + row * spacing * 0.8, 1))
    return result


def _part_layout(graph: nx.Graph) -> dict[str, Any]:
    """One connected part, scaled to fit the unit circle."""
    n = graph.number_of_nodes()
    if n <= 2:
        layout = {node: (float(i) - 0.5 * (n - 1), 0.0) for i, node in enumerate(sorted(graph))}
    elif n < 500:
        layout = nx.spring_layout(graph, seed=SEED, iterations=200 if n <= 150 else 60,
                                  weight=None, k=2.6 / math.sqrt(n))
    else:
        layout = _clustered_layout(graph)
    top = max((math.hypot(float(x), float(y)) for x, y in layout.values()), default=1) or 1
    return {node: (float(x) / top, float(y) / top) for node, (x, y) in layout.items()}


def _clustered_layout(graph: nx.Graph) -> dict[str, Any]:
    """Layout for large graphs: place Louvain clusters with a spring layout of the cluster
    graph, then each cluster's members around its centre. Costs the sum of squared cluster
    sizes instead of n squared (networkx's own spring layout takes over 10 s at 2,000 nodes)."""
    from netwerk.network.analysis import communities
    from netwerk.network.graph import cluster_graph

    groups = sorted(communities(graph), key=lambda c: (-len(c), min(c)))
    folded = cluster_graph(graph, groups)
    n = graph.number_of_nodes()
    centres = nx.spring_layout(folded, seed=SEED, iterations=100, weight="weight",
                               k=2.0 / math.sqrt(max(len(groups), 1)))
    result: dict[str, Any] = {}
    singles = []
    for i, members in enumerate(groups):
        if len(members) == 1:
            singles.append(next(iter(members)))
            continue
        radius = 1.2 * math.sqrt(len(members) / n)
        local = nx.spring_layout(graph.subgraph(members), seed=SEED, iterations=50,
                                 k=1.6 / math.sqrt(len(members)))
        cx, cy = centres[f"c{i}"]
        for node, (x, y) in local.items():
            result[node] = (cx * 1.5 + x * radius, cy * 1.5 + y * radius)
    # isolated nodes on a ring around the rest
    for j, node in enumerate(sorted(singles)):
        angle = 2 * math.pi * j / max(len(singles), 1)
        result[node] = (1.9 * math.cos(angle), 1.9 * math.sin(angle))
    top = max((max(abs(x), abs(y)) for x, y in result.values()), default=1) or 1
    return {node: (x / top, y / top) for node, (x, y) in result.items()}


# Above this many nodes the map draws no readable labels anyway, and the pairwise pass costs.
LABEL_ROOM_LIMIT = 200
FONT_SIZE = 14


def dot_size(share: float) -> float:
    return 8 + 22 * math.sqrt(share)


def label_room(coords: dict[str, tuple[float, float]], labels: dict[str, str],
               sizes: dict[str, float], rounds: int = 80) -> dict[str, tuple[float, float]]:
    """Move nodes apart until no dot with its label (drawn under it) covers another's.

    A spring layout pulls a network's best-connected partners into one knot, where the labels
    lie on top of each other. Each node is taken as a box (the dot, and its label's width at
    the map's font size below it); overlapping boxes are pushed apart along the axis where they
    overlap least, half each, for a fixed number of rounds. Deterministic, like the layout.
    """
    import numpy as np

    nodes = sorted(coords)
    if len(nodes) < 2:
        return coords
    xy = np.array([coords[n] for n in nodes], dtype=float)
    dot = np.array([sizes.get(n, 8.0) for n in nodes])
    half_w = np.maximum(dot, 0.3 * FONT_SIZE * np.array([len(labels.get(n, n)) for n in nodes]))
    half_w += 4.0
    half_h = dot + 0.75 * FONT_SIZE + 2.0  # the dot above, one line of text below
    centre_dy = 0.75 * FONT_SIZE  # a box's centre sits lower than the dot's
    upper = np.triu(np.ones((len(nodes), len(nodes)), dtype=bool), 1)
    for _ in range(rounds):
        cx, cy = xy[:, 0], xy[:, 1] + centre_dy
        dx = cx[None, :] - cx[:, None]
        dy = cy[None, :] - cy[:, None]
        over_x = half_w[:, None] + half_w[None, :] - np.abs(dx)
        over_y = half_h[:, None] + half_h[None, :] - np.abs(dy)
        hit = (over_x > 0) & (over_y > 0) & upper
        if not hit.any():
            break
        along_x = hit & (over_x <= 2 * over_y)  # the screen is wider than high
        along_y = hit & ~along_x
        sign_x = np.where(dx >= 0, 1.0, -1.0)
        sign_y = np.where(dy >= 0, 1.0, -1.0)
        push_x = np.where(along_x, sign_x * over_x / 2, 0.0)
        push_y = np.where(along_y, sign_y * over_y / 2, 0.0)
        # i moves away from j by half the overlap, j away from i by the other half
        xy[:, 0] += push_x.sum(axis=0) - push_x.sum(axis=1)
        xy[:, 1] += push_y.sum(axis=0) - push_y.sum(axis=1)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy, strict=True)}


def _person(graph: nx.Graph, node: str) -> dict[str, str]:
    data = graph.nodes[node]
    mobile = data.get("mobile") or ""
    return {
        "name": data.get("label", node),
        "role": data.get("role", ""),
        "organisation": data.get("organisation", ""),
        "tel": f"tel:{mobile}" if mobile.startswith("+") and mobile[1:].isdigit() else "",
        "phone": phone.display(mobile) if mobile else "",
        "url": f"/personen/{node[1:]}" if node.startswith("p") else "",
    }


def network_data(
    graph: nx.Graph,
    sizes: dict[str, float],
    betweenness: dict[str, float] | None = None,
    people_graph: nx.Graph | None = None,
    new_nodes: frozenset[str] | set[str] = frozenset(),
    new_edges: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    sector_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """pyvis's nodes, edges and options for ``graph``, plus what the side panel shows.

    ``people_graph`` is the professional graph an organisation graph was folded from (to list
    an organisation's people); ``new_nodes``/``new_edges`` are highlighted.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network  # lazy: imports IPython

    net = Network(height="100%", width="100%", cdn_resources="remote")
    betweenness = betweenness or {}
    sector_names = sector_names or {}
    coords = positions(graph)
    if graph.number_of_nodes() <= LABEL_ROOM_LIMIT:
        coords = label_room(coords, {n: str(d.get("label", n)) for n, d in graph.nodes(data=True)},
                            {n: dot_size(sizes.get(n, 0.0)) for n in graph})
    for node, data in graph.nodes(data=True):
        sector = data.get("sector", "")
        kind = data.get("kind", "")
        if kind == "organisation" and people_graph is not None:
            people = [_person(people_graph, p) for p in sorted(
                data.get("people", []), key=lambda p: people_graph.nodes[p].get("label", p))]
        elif kind == "professional":
            people = [_person(graph, node)]
        else:
            people = []
        x, y = coords[node]
        size = dot_size(sizes.get(node, 0.0))
        is_new = node in new_nodes
        lines = graph.degree(node)
        net.add_node(
            node,
            label=str(data.get("label", node)),
            color={"background": sector_colour(sector),
                   "border": NEW_COLOUR if is_new else "#ffffff",
                   "highlight": {"background": sector_colour(sector), "border": "#000000"}},
            borderWidth=5 if is_new else 1,
            size=round(size, 1),
            x=x, y=y,
            sector=sector,
            sectorName=sector_names.get(sector, sector),
            kind=kind,
            isNew=is_new,
            tooltip=f"{data.get('label', node)} · {sector_names.get(sector, sector)}",
            info={
                "lines": lines,
                "ties": int(graph.degree(node, weight="weight")),
                "betweenness": round(betweenness.get(node, 0.0), 3),
                "members": int(data.get("size", 0)),
                "organisation": data.get("organisation", ""),
                "role": data.get("role", ""),
                "people": people,
                "url": f"/organisaties/{node[1:]}" if kind == "organisation" else "",
            },
        )
    for a, b, data in graph.edges(data=True):
        weight = int(data.get("weight", 1))
        is_new = (a, b) in new_edges or (b, a) in new_edges
        # pyvis's add_edge checks every existing edge (quadratic); a networkx graph has no
        # duplicate edges, so its Edge record is appended directly.
        net.edges.append(Edge(a, b, False, value=weight,
                              color={"color": NEW_COLOUR if is_new else "#9aa6a8"},
                              tooltip=str(weight), isNew=is_new).options)
    many = graph.number_of_nodes() > 300
    net.options = {
        "physics": {"enabled": False},
        "interaction": {"hover": not many, "tooltipDelay": 150, "hideEdgesOnDrag": many,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"shape": "dot", "font": {"size": FONT_SIZE, "strokeWidth": 3,
                                           "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}},
        "layout": {"improvedLayout": False},
    }
    return {"nodes": net.nodes, "edges": net.edges, "options": net.options}


def legend(graph: nx.Graph, sector_names: dict[str, str]) -> list[dict[str, str]]:
    """The sectors present in ``graph`` with their colours, for the legend."""
    present = sorted({d.get("sector", "") for _n, d in graph.nodes(data=True)},
                     key=lambda s: sector_names.get(s, s))
    return [{"sector": s, "name": sector_names.get(s, s), "colour": sector_colour(s),
             "css": f"sector-{s}"} for s in present]
