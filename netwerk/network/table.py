"""The facilitator's table: what ``GET /netwerk/data.json`` answers (read side).

One answer holds everything the table page (``/netwerk/tafel``) draws and filters in the
browser without asking again: organisations and professionals with their stored positions
(netwerk.network.positions), sector, colour group and shape (netwerk.network.palette), lines,
betweenness and the first work session they sat at the table in; the lines between
organisations and between people; the work sessions of the area for the timeline; and what
the analysis found, worded (netwerk.network.analysis, netwerk.network.wording) for the
showcase. The same parameters as ``/netwerk`` select it (queries.MapRequest).

The part that is the same for every viewer is cached per data version; the rest follows the
trust rules of the map: open-case counts below ``NETWERK_MIN_COUNT`` are left out for a viewer
who may not see every case counted (``queries.missing_partners`` with the viewer), and a tie
made in a case shows its origin and date only to who may see that case
(``queries._hide_case_provenance``).
"""

from __future__ import annotations

import hashlib
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.models import Area, Attendance, Professional, WorkSession
from netwerk.network import analysis, palette, positions, queries, render, wording
from netwerk.network.graph import (
    CLUSTER,
    ORGANISATION,
    PROFESSIONAL,
    area_graph,
    area_organisations,
    cached,
    data_version,
    network_counter,
    organisation_graph,
)
from netwerk.network.wording import sector_names

# Above this many professionals the answer carries organisations only (the page says so).
PEOPLE_LIMIT = 3000
SHOWCASE_ITEMS = 8
FORMAT = 2  # the compact answer (``_build``); 1 was one object per edge with named fields
KINDS = {"o": ORGANISATION, "p": PROFESSIONAL, "c": CLUSTER}


def etag(session: Session, req: queries.MapRequest, viewer, minimum: int) -> str:
    """A cheap tag of the answer for ``viewer``: the database's data counter (one row; the
    area's fingerprint when there is no counter), the question and who asks. Equal tags mean
    an equal answer, so a table polling every few seconds gets ``304`` until something
    changed."""
    counter = network_counter(session)
    version = counter if counter is not None else data_version(session, req.area_id)
    who = (getattr(viewer, "id", None), str(getattr(viewer, "role", "")))
    raw = repr((version, req, who, minimum)).encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def with_edge_objects(payload: dict) -> dict:
    """The answer with one object per line, ``{"from": id, "to": id, "w": …, "s": …}`` naming
    its two nodes by ``id``: what /netwerk/data.json answers by default, for other programs.
    The table page asks for ``vorm=kort`` and gets the lines as ``[i, j, w, s]``, indexes into
    ``nodes`` (about a third of the bytes of a regio)."""
    ids = [n["id"] for n in payload["nodes"]]
    edges = [{"from": ids[e[0]], "to": ids[e[1]], "w": e[2] if len(e) > 2 else 1,
              "s": e[3] if len(e) > 3 else None} for e in payload["edges"]]
    return {**payload, "edges": edges}


def table_data(session: Session, req: queries.MapRequest, viewer, minimum: int) -> dict:
    """The answer of ``/netwerk/data.json`` for ``viewer`` (compact: see ``_build``)."""
    version = data_version(session, req.area_id)
    base = cached(session, ("table", req), lambda: _build(session, req, version),
                  area_id=req.area_id, version=version)
    payload = dict(base)
    payload["analysis"] = {**payload["analysis"],
                           **_missing(session, req, version, viewer, minimum)}
    return payload


def node_kind(node: dict[str, Any]) -> str:
    """A compact node's kind, told by its id (``o…``, ``p…``, ``c…``)."""
    return KINDS.get(node["id"][:1], ORGANISATION)


def edge_ends(payload: dict[str, Any], edge: list) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two nodes of a compact edge ``[i, j, w, s]``."""
    nodes = payload["nodes"]
    return nodes[edge[0]], nodes[edge[1]]


def edge_kind(payload: dict[str, Any], edge: list) -> str:
    """A tie between two professionals, or a line between organisations (or clusters)."""
    a, b = edge_ends(payload, edge)
    both = node_kind(a) == PROFESSIONAL and node_kind(b) == PROFESSIONAL
    return PROFESSIONAL if both else ORGANISATION


def edge_weight(edge: list) -> int:
    return edge[2] if len(edge) > 2 else 1


def edge_session(edge: list) -> int | None:
    return edge[3] if len(edge) > 3 else None


def _build(session: Session, req: queries.MapRequest, version: tuple) -> dict[str, Any]:
    """The part of the answer that is the same for every viewer, compact: nodes are objects
    with ``id``, ``label``, ``x``, ``y`` (whole pixels), ``sec`` (sector), ``deg``, ``bc``
    (betweenness, left out when 0), ``s`` (the first work session it was in the network
    after, left out when none), for an organisation ``n`` (its people), for a professional
    ``org`` (organisation id) and ``role``; a node's kind is told by its id (``o``, ``p``,
    ``c``). Edges are ``[i, j, w, s]`` with ``i`` and ``j`` indexes into ``nodes`` (a line
    between two professionals is a tie between people, else a line between organisations),
    ``w`` the weight and ``s`` the first session, trailing defaults (1, none) left out. The
    ties carry no origin or date: the page does not show them."""
    area = session.get_one(Area, req.area_id)
    graph, people, level, messages = queries._selection(session, req, version)
    full_people = area_graph(session, req.area_id, None, version=version)
    full_orgs = area_organisations(session, req.area_id, None, version)
    stored = positions.area_positions(session, req.area_id, full_orgs, full_people)

    if level == ORGANISATION:
        org_graph = graph
        wanted = {n for o in graph for n in graph.nodes[o].get("people", [])}
        person_graph = people.subgraph(wanted)
    elif level == PROFESSIONAL:
        person_graph = graph
        org_graph = organisation_graph(graph)
    else:  # clusters: too large for organisations, let alone people
        org_graph, person_graph = graph, nx.Graph()
    with_people = person_graph.number_of_nodes() <= PEOPLE_LIMIT
    if not with_people:
        messages.append(wording.table_without_people(person_graph.number_of_nodes()))
        person_graph = nx.Graph()
    if level not in (ORGANISATION, PROFESSIONAL):
        stored = {n: (x * positions.SCALE, y * positions.SCALE)
                  for n, (x, y) in render.positions(org_graph).items()}

    found = analysis.analyse(org_graph if level != PROFESSIONAL else person_graph,
                             with_clusters=False)
    sessions = _timeline(session, req)
    first_node, first_edge = _first_seen(session, req.area_id, sessions, version)
    names = sector_names()

    nodes: list[dict[str, Any]] = []
    sectors_present: set[str] = set()
    org_betweenness = found.betweenness if level != PROFESSIONAL else {}
    for node, data in org_graph.nodes(data=True):
        sector = data.get("sector", "")
        sectors_present.add(sector)
        nodes.append(_node(node, data, stored, sector, org_graph.degree(node),
                           org_betweenness.get(node, 0.0), first_node.get(node),
                           n=len(data.get("people", [])) or int(data.get("size", 0))))
    person_betweenness = found.betweenness if level == PROFESSIONAL else {}
    for node, data in person_graph.nodes(data=True):
        sector = data.get("sector", "")
        sectors_present.add(sector)
        nodes.append(_node(node, data, stored, sector, person_graph.degree(node),
                           person_betweenness.get(node, 0.0), first_node.get(node),
                           org=data.get("organisation_id"), role=data.get("role", "")))
    index = {n["id"]: i for i, n in enumerate(nodes)}
    edges = [_edge(index[a], index[b], int(d.get("weight", 1)), first_edge.get(_key(a, b)))
             for a, b, d in org_graph.edges(data=True)]
    edges += [_edge(index[a], index[b], 1, first_edge.get(_key(a, b)))
              for a, b in person_graph.edges()]

    ws = session.get(WorkSession, req.work_session_id) if req.work_session_id else None
    attendees = []
    if ws is not None:
        attendees = [f"p{i}" for i in session.scalars(
            select(Attendance.professional_id)
            .join(Professional, Professional.id == Attendance.professional_id)
            .where(Attendance.work_session_id == ws.id).order_by(Professional.name))]
    return {
        "format": FORMAT,
        "area": {"id": area.id, "name": area.name, "kind": area.kind.value},
        "level": level,
        "session": _session_json(ws, sessions) if ws is not None else None,
        "sessions": [_session_json(s, sessions) for s in sessions],
        "attendees": attendees,
        "withPeople": with_people,
        "messages": messages,
        "sectors": {s: {"name": names.get(s, s), **palette.styles([s])[s]}
                    for s in sorted(sectors_present, key=lambda s: names.get(s, s))},
        "nodes": nodes,
        "edges": edges,
        "analysis": _analysis(found, person_graph if with_people else nx.Graph()),
    }


def _node(node: str, data: dict, stored: dict[str, positions.Point], sector: str, degree: int,
          betweenness: float, first: int | None, **more: Any) -> dict[str, Any]:
    """One compact node: what the page draws, defaults left out."""
    x, y = stored.get(node, (0.0, 0.0))
    entry: dict[str, Any] = {"id": node, "label": str(data.get("label", node)),
                             "x": round(x), "y": round(y), "sec": sector, "deg": degree}
    bc = round(betweenness, 4)
    if bc:
        entry["bc"] = bc
    if first is not None:
        entry["s"] = first
    entry.update((k, v) for k, v in more.items() if v not in (None, ""))
    return entry


def _edge(i: int, j: int, weight: int, first: int | None) -> list[int]:
    """One compact edge: ``[i, j]``, ``[i, j, w]`` or ``[i, j, w, s]`` (indexes into
    ``nodes``, the weight when not 1, the first session when there is one)."""
    if first is not None:
        return [i, j, weight, first]
    return [i, j, weight] if weight != 1 else [i, j]


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _session_json(ws: WorkSession, sessions: list[WorkSession]) -> dict[str, Any]:
    return {"id": ws.id, "title": ws.title, "date": ws.date.isoformat(),
            "index": sessions.index(ws) if ws in sessions else None}


def _timeline(session: Session, req: queries.MapRequest) -> list[WorkSession]:
    """The area's work sessions (up to the one asked for)."""
    sessions = queries.sessions_of_area(session, req.area_id)
    if req.work_session_id is not None:
        ids = [s.id for s in sessions]
        if req.work_session_id in ids:
            sessions = sessions[:ids.index(req.work_session_id) + 1]
    return sessions


def _first_seen(session: Session, area_id: int, sessions: list[WorkSession],
                version: tuple) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """For every node and line (organisations and people): the index of the first work session
    after which it was in the network (absent: not in any session's network)."""
    nodes: dict[str, int] = {}
    edges: dict[tuple[str, str], int] = {}
    for index, ws in enumerate(sessions):
        people = area_graph(session, area_id, ws.id, version=version)
        orgs = area_organisations(session, area_id, ws.id, version)
        for graph in (people, orgs):
            for node in graph:
                nodes.setdefault(node, index)
            for a, b in graph.edges:
                edges.setdefault(_key(a, b), index)
    return nodes, edges


def _analysis(found: analysis.Analysis, people: nx.Graph) -> dict[str, Any]:
    cut_points = analysis.cut_points(people, limit=SHOWCASE_ITEMS) if people else []
    bridges = analysis.bridges(people, limit=SHOWCASE_ITEMS) if people else []
    return {
        "isolated": found.isolated,
        "cutPoints": [{"node": c.node, "text": wording.cut_point_sentence(c),
                       "cutOff": list(c.cut_off)} for c in cut_points],
        "bridges": [{"a": b.a, "b": b.b, "text": wording.bridge_sentence(b),
                     "side": list(b.smaller_side)} for b in bridges],
        "brokers": [{"node": b.node, "label": b.label, "betweenness": round(b.betweenness, 3),
                     "reach": b.parties_reached} for b in found.brokers[:SHOWCASE_ITEMS]],
    }


def _missing(session: Session, req: queries.MapRequest, version: tuple, viewer,
             minimum: int) -> dict[str, Any]:
    missing, _default = queries.missing_partners(session, req.area_id, req.work_session_id,
                                                 version, viewer=viewer, minimum=minimum)
    domains = queries.domain_names(session)
    return {
        "missingSectors": [{"sector": m.sector, "name": wording.sector_name(m.sector),
                            "candidates": list(m.candidates)} for m in missing.missing_sectors],
        "unconnected": [{"node": f"o{c.organisation.id}", "label": c.organisation.name,
                         "sector": c.organisation.sector, "fillsSector": c.fills_sector,
                         "covers": [[domains.get(d, d), n] for d, n in c.covers]}
                        for c in missing.candidates[:SHOWCASE_ITEMS]],
        "unmetNeeds": [[domains.get(d, d), n] for d, n in missing.unmet_needs.items()],
    }


def growth_counts(payload: dict) -> list[dict[str, Any]]:
    """Per work session: organisations, people and lines between organisations by then, and
    how many were new (the report's growth figures)."""
    nodes = [(node_kind(n), n.get("s")) for n in payload["nodes"]]
    lines = [(edge_kind(payload, e), edge_session(e)) for e in payload["edges"]]
    rows = []
    for ws in payload["sessions"]:
        k = ws["index"]

        def upto(items, kind, k=k):
            return sum(1 for i_kind, s in items if i_kind == kind and s is not None and s <= k)

        def new(items, kind, k=k):
            return sum(1 for i_kind, s in items if i_kind == kind and s == k)

        rows.append({"session": ws, "organisations": upto(nodes, ORGANISATION),
                     "new_organisations": new(nodes, ORGANISATION),
                     "people": upto(nodes, PROFESSIONAL),
                     "lines": upto(lines, ORGANISATION),
                     "new_lines": new(lines, ORGANISATION)})
    return rows


def _shape_path(shape: str, r: float) -> str:
    if shape == "square":
        s = r * 0.88
        return f"M{-s:.1f} {-s:.1f}H{s:.1f}V{s:.1f}H{-s:.1f}Z"
    if shape == "triangle":
        return f"M0 {-1.25 * r:.1f}L{1.1 * r:.1f} {0.65 * r:.1f}L{-1.1 * r:.1f} {0.65 * r:.1f}Z"
    if shape == "diamond":
        return f"M0 {-1.25 * r:.1f}L{1.25 * r:.1f} 0L0 {1.25 * r:.1f}L{-1.25 * r:.1f} 0Z"
    return f"M{r:.1f} 0A{r:.1f} {r:.1f} 0 1 0 {-r:.1f} 0A{r:.1f} {r:.1f} 0 1 0 {r:.1f} 0Z"


def print_drawing(payload: dict, width: float = 1000.0, height: float = 700.0,
                  labels: int = 30) -> dict[str, Any]:
    """The organisation map drawn for paper (an SVG in the report template): positions scaled
    into ``width`` × ``height``, the ``labels`` best-connected organisations named."""
    orgs = [n for n in payload["nodes"] if node_kind(n) != PROFESSIONAL]
    if not orgs:
        return {"width": width, "height": height, "nodes": [], "edges": [], "legend": []}
    xs, ys = [n["x"] for n in orgs], [n["y"] for n in orgs]
    pad = 60.0
    span = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    k = min((width - 2 * pad) / span[0], (height - 2 * pad) / span[1])

    def at(n):
        return (pad + (n["x"] - min(xs)) * k, pad + (n["y"] - min(ys)) * k)

    top_deg = max((n["deg"] for n in orgs), default=1) or 1
    named = {n["id"] for n in sorted(orgs, key=lambda n: (-n["deg"], n["label"]))[:labels]}
    nodes, where = [], {}
    for n in orgs:
        x, y = at(n)
        where[n["id"]] = (x, y)
        style = payload["sectors"].get(n["sec"], {"colour": "#6B6B6B", "shape": "circle"})
        r = 6 + 9 * (n["deg"] / top_deg) ** 0.5
        nodes.append({"x": round(x, 1), "y": round(y, 1), "label": n["label"],
                      "named": n["id"] in named, "colour": style["colour"],
                      "path": _shape_path(style["shape"], r), "r": r})
    edges = []
    for e in payload["edges"]:
        a, b = (n["id"] for n in edge_ends(payload, e))
        if a in where and b in where:
            edges.append({"x1": round(where[a][0], 1), "y1": round(where[a][1], 1),
                          "x2": round(where[b][0], 1), "y2": round(where[b][1], 1),
                          "w": round(1 + min(5, edge_weight(e) ** 0.5), 1)})
    legend = [{"name": st["name"], "colour": st["colour"], "path": _shape_path(st["shape"], 7)}
              for st in payload["sectors"].values()]
    return {"width": width, "height": height, "nodes": nodes, "edges": edges, "legend": legend}
