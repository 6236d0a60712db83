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
from dataclasses import dataclass
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.models import Area, Attendance, Professional, WorkSession
from netwerk.network import analysis, palette, positions, queries, render, wording
from netwerk.network.graph import (
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


@dataclass
class _Base:
    payload: dict[str, Any]
    person_ties: nx.Graph  # the drawn ties between people, with source/since/case_id


def table_data(session: Session, req: queries.MapRequest, viewer, minimum: int) -> dict:
    """The answer of ``/netwerk/data.json`` for ``viewer``."""
    version = data_version(session, req.area_id)
    base = cached(session, ("table", req), lambda: _build(session, req, version),
                  area_id=req.area_id, version=version)
    payload = dict(base.payload)
    ties = base.person_ties.copy()
    queries._hide_case_provenance(session, ties, viewer)
    edges = list(payload["edges"])
    for a, b, data in ties.edges(data=True):
        entry = {"from": a, "to": b, "kind": PROFESSIONAL, "s": data.get("s")}
        if data.get("source"):
            entry["source"] = data["source"]
        if data.get("since"):
            entry["since"] = data["since"]
        edges.append(entry)
    payload["edges"] = edges
    payload["analysis"] = {**payload["analysis"],
                           **_missing(session, req, version, viewer, minimum)}
    return payload


def _build(session: Session, req: queries.MapRequest, version: tuple) -> _Base:
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
        x, y = stored.get(node, (0.0, 0.0))
        sector = data.get("sector", "")
        sectors_present.add(sector)
        nodes.append({
            "id": node, "label": str(data.get("label", node)), "x": x, "y": y,
            "kind": ORGANISATION if level != "cluster" else "cluster",
            "organisation": int(node[1:]) if node.startswith("o") else None,
            "sector": sector, "deg": org_graph.degree(node),
            "bc": round(org_betweenness.get(node, 0.0), 4),
            "people": len(data.get("people", [])) or int(data.get("size", 0)),
            "s": first_node.get(node),
        })
    person_betweenness = found.betweenness if level == PROFESSIONAL else {}
    for node, data in person_graph.nodes(data=True):
        x, y = stored.get(node, (0.0, 0.0))
        sectors_present.add(data.get("sector", ""))
        nodes.append({
            "id": node, "label": str(data.get("label", node)), "x": x, "y": y,
            "kind": PROFESSIONAL, "organisation": data.get("organisation_id"),
            "orgLabel": data.get("organisation", ""), "role": data.get("role", ""),
            "sector": data.get("sector", ""), "deg": person_graph.degree(node),
            "bc": round(person_betweenness.get(node, 0.0), 4),
            "s": first_node.get(node),
        })
    edges = [{"from": a, "to": b, "kind": ORGANISATION, "w": int(d.get("weight", 1)),
              "s": first_edge.get(_key(a, b))}
             for a, b, d in org_graph.edges(data=True)]
    ties = nx.Graph()
    for a, b, d in person_graph.edges(data=True):
        ties.add_edge(a, b, source=d.get("source", ""), since=d.get("since", ""),
                      case_id=d.get("case_id", 0), s=first_edge.get(_key(a, b)))

    ws = session.get(WorkSession, req.work_session_id) if req.work_session_id else None
    attendees = []
    if ws is not None:
        attendees = [f"p{i}" for i in session.scalars(
            select(Attendance.professional_id)
            .join(Professional, Professional.id == Attendance.professional_id)
            .where(Attendance.work_session_id == ws.id).order_by(Professional.name))]
    payload = {
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
    return _Base(payload, ties)


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
    rows = []
    for ws in payload["sessions"]:
        k = ws["index"]

        def upto(items, kind, k=k):
            return sum(1 for i in items if i.get("kind") == kind and i.get("s") is not None
                       and i["s"] <= k)

        def new(items, kind, k=k):
            return sum(1 for i in items if i.get("kind") == kind and i.get("s") == k)

        rows.append({"session": ws, "organisations": upto(payload["nodes"], ORGANISATION),
                     "new_organisations": new(payload["nodes"], ORGANISATION),
                     "people": upto(payload["nodes"], PROFESSIONAL),
                     "lines": upto(payload["edges"], ORGANISATION),
                     "new_lines": new(payload["edges"], ORGANISATION)})
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
    orgs = [n for n in payload["nodes"] if n["kind"] != PROFESSIONAL]
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
        style = payload["sectors"].get(n["sector"], {"colour": "#6B6B6B", "shape": "circle"})
        r = 6 + 9 * (n["deg"] / top_deg) ** 0.5
        nodes.append({"x": round(x, 1), "y": round(y, 1), "label": n["label"],
                      "named": n["id"] in named, "colour": style["colour"],
                      "path": _shape_path(style["shape"], r), "r": r})
    edges = [{"x1": round(where[e["from"]][0], 1), "y1": round(where[e["from"]][1], 1),
              "x2": round(where[e["to"]][0], 1), "y2": round(where[e["to"]][1], 1),
              "w": round(1 + min(5, (e.get("w") or 1) ** 0.5), 1)}
             for e in payload["edges"] if e["from"] in where and e["to"] in where]
    legend = [{"name": st["name"], "colour": st["colour"], "path": _shape_path(st["shape"], 7)}
              for st in payload["sectors"].values()]
    return {"width": width, "height": height, "nodes": nodes, "edges": edges, "legend": legend}
