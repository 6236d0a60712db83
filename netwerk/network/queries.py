"""The network capability's read side: what the map, the exports, the checklist and the
work-session pages show. Plain functions taking a Session and plain values, returning view
models; nothing here writes (netwerk.network.operations does). Graphs and analyses are cached
per data version in the GraphCache of netwerk.network.cache; a page asks the version once
(``MapPage``) and passes it on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import networkx as nx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netwerk import csvsafe as safe_csv
from netwerk.auth import policy
from netwerk.db import utcnow
from netwerk.models import (
    Area,
    AreaKind,
    AreaSectorChecklist,
    Attendance,
    Case,
    CaseNeed,
    CaseStatus,
    Domain,
    Invitation,
    Organisation,
    Professional,
    Sector,
    Service,
    Tie,
    WorkSession,
    area_and_descendant_ids,
    professional_areas,
    service_areas,
    service_domains,
)
from netwerk.network import analysis, render, wording
from netwerk.network.graph import (
    ORGANISATION,
    PROFESSIONAL,
    area_graph,
    area_organisations,
    cached,
    cluster_graph,
    data_version,
    ego,
    filter_sectors,
    organisation_graph,
)
from netwerk.network.wording import sector_name, sector_names

LEVELS = (ORGANISATION, PROFESSIONAL)
# How recent a case must be for its needs to count in the missing partners.
RECENT_CASES = timedelta(days=365)


# -- areas -------------------------------------------------------------------------------------

def area_choices(session: Session, current_id: int | None = None) -> list[tuple[int, str]]:
    """Areas as (id, label), regio > gemeente > wijk, indented by level. With ``current_id``
    only the wijken of the current gemeente are listed (the whole country has 3,000 wijken);
    without it, every area."""
    query = select(Area.id, Area.name, Area.kind, Area.parent_id)
    if current_id is not None:
        current = session.get(Area, current_id)
        gemeente_id = (current.parent_id if current is not None and current.kind == AreaKind.WIJK
                       else current_id)
        query = query.where((Area.kind != AreaKind.WIJK) | (Area.parent_id == gemeente_id))
    areas = session.execute(query).all()
    children: dict[int | None, list] = {}
    for row in areas:
        children.setdefault(row.parent_id, []).append(row)
    result: list[tuple[int, str]] = []
    prefix = {AreaKind.REGIO: "", AreaKind.GEMEENTE: "— ", AreaKind.WIJK: "— — "}

    def walk(parent_id: int | None) -> None:
        for row in sorted(children.get(parent_id, []), key=lambda r: r.name):
            result.append((row.id, f"{prefix[row.kind]}{row.name} ({row.kind.value})"))
            walk(row.id)

    walk(None)
    return result


def default_area_id(session: Session) -> int | None:
    """The area of the latest work session, else the first gemeente, else any area."""
    latest = session.scalar(
        select(WorkSession.area_id).order_by(WorkSession.date.desc(), WorkSession.id.desc())
    )
    if latest is not None:
        return latest
    gemeente = session.scalar(
        select(Area.id).where(Area.kind == AreaKind.GEMEENTE).order_by(Area.name)
    )
    return gemeente or session.scalar(select(Area.id).order_by(Area.id))


def sessions_of_area(session: Session, area_id: int) -> list[WorkSession]:
    return list(session.scalars(
        select(WorkSession).where(WorkSession.area_id == area_id)
        .order_by(WorkSession.date, WorkSession.id)
    ))


# -- the map -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapRequest:
    area_id: int
    level: str = ORGANISATION
    sectors: tuple[str, ...] = ()
    work_session_id: int | None = None
    focus: str | None = None
    steps: int = 1


@dataclass
class MapView:
    request: MapRequest
    level: str  # what is drawn: organisation, professional or cluster
    graph: nx.Graph
    people_graph: nx.Graph
    analysis: analysis.Analysis
    data: dict[str, Any]
    legend: list[dict[str, str]]
    messages: list[str] = field(default_factory=list)

    def label(self, node: str) -> str:
        return self.graph.nodes[node].get("label", node) if node in self.graph else node


def _selection(session: Session, req: MapRequest,
               version: tuple) -> tuple[nx.Graph, nx.Graph, str, list[str]]:
    people = area_graph(session, req.area_id, req.work_session_id, version=version)
    people = filter_sectors(people, req.sectors)
    messages: list[str] = []
    level = req.level
    if level == PROFESSIONAL and people.number_of_nodes() > render.MAX_DRAWN_NODES:
        level = ORGANISATION
        messages.append(wording.too_many_professionals(people.number_of_nodes()))
    if level == ORGANISATION:
        graph = (organisation_graph(people) if req.sectors else
                 area_organisations(session, req.area_id, req.work_session_id, version))
    else:
        graph = people
    if req.focus:
        if req.focus in graph:
            graph = ego(graph, req.focus, req.steps)
        else:
            messages.append(wording.focus_outside())
    if graph.number_of_nodes() > render.MAX_DRAWN_NODES:
        groups = analysis.communities(graph)
        messages.append(wording.too_many_organisations(graph.number_of_nodes(), len(groups)))
        graph = cluster_graph(graph, groups)
        level = "cluster"
    return graph, people, level, messages


def map_view(session: Session, req: MapRequest, version: tuple | None = None) -> MapView:
    """The map, its analysis and the drawing data for one request (cached per data version;
    ``version`` is the area's, when the caller already asked for it)."""
    if version is None:
        version = data_version(session, req.area_id)

    def build() -> MapView:
        graph, people, level, messages = _selection(session, req, version)
        result = analysis.analyse(graph)
        data = render.network_data(
            graph, analysis.node_sizes(graph), result.betweenness,
            people_graph=people if level == ORGANISATION else None,
            sector_names=sector_names(),
        )
        return MapView(req, level, graph, people, result, data,
                       render.legend(graph, sector_names()), messages)

    return cached(session, ("map_view", req), build, area_id=req.area_id, version=version)


@dataclass
class MapPage:
    """Everything the map page shows, with the data version asked once."""

    view: MapView
    area: Area
    missing: analysis.MissingPartners
    default_checklist: bool
    areas: list[tuple[int, str]]
    sessions: list[WorkSession]
    domain_names: dict[str, str]


def map_page(session: Session, req: MapRequest, viewer=None, minimum: int = 1) -> MapPage:
    version = data_version(session, req.area_id)
    view = map_view(session, req, version)
    missing, is_default = missing_partners(session, req.area_id, req.work_session_id, version,
                                           viewer=viewer, minimum=minimum)
    area = session.get_one(Area, req.area_id)
    return MapPage(view, area, missing, is_default, area_choices(session, area.id),
                   sessions_of_area(session, area.id), domain_names(session))


@dataclass
class GraphExport:
    graph: nx.Graph
    name: str  # file name without extension


def graph_export(session: Session, req: MapRequest, level_param: str,
                 with_viz: bool = False, viewer=None) -> GraphExport:
    """The map of ``req`` fit for GraphML/GEXF (with on-screen positions for GEXF); a tie made
    in a case the ``viewer`` may not see loses its origin and date."""
    view = map_view(session, req)
    area = session.get_one(Area, req.area_id)
    graph = export_graph(view.graph)
    _hide_case_provenance(session, graph, viewer)
    if with_viz:
        add_gexf_viz(graph, view.data)
    return GraphExport(graph, f"netwerk-{_slug(area.name)}-{level_param}")


def missing_partners_download(session: Session, req: MapRequest, viewer=None,
                              minimum: int = 1) -> tuple[str, str]:
    """(CSV text, file name) of the missing partners of ``req``'s area."""
    area = session.get_one(Area, req.area_id)
    text = missing_partners_csv(session, area.id, req.work_session_id, viewer, minimum)
    return text, f"ontbrekende-partners-{_slug(area.name)}.csv"


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def get_area(session: Session, area_id: int) -> Area:
    return session.get_one(Area, area_id)


def tied_to(session: Session, professional_id: int, others: list[int]) -> set[int]:
    """Which of ``others`` already have a tie with ``professional_id``."""
    if not others:
        return set()
    rows = session.execute(select(Tie.a_id, Tie.b_id).where(
        ((Tie.a_id == professional_id) & Tie.b_id.in_(others))
        | ((Tie.b_id == professional_id) & Tie.a_id.in_(others))))
    return {b if a == professional_id else a for a, b in rows}


def area_exists(session: Session, area_id: int) -> bool:
    return session.get(Area, area_id) is not None


# -- growth across work sessions ----------------------------------------------------------------

@dataclass
class GrowthFrame:
    work_session: WorkSession
    graph: nx.Graph
    step: analysis.GrowthStep
    data: dict[str, Any]
    new_labels: list[str]


def growth_frames(session: Session, area_id: int, level: str = ORGANISATION) -> list[GrowthFrame]:
    """The network after each work session of an area, with what is new highlighted."""
    sessions = sessions_of_area(session, area_id)
    version = data_version(session, area_id)

    def build() -> list[tuple[int, nx.Graph, analysis.GrowthStep, dict]]:
        people = [area_graph(session, area_id, ws.id, version=version) for ws in sessions]
        graphs = [area_organisations(session, area_id, ws.id, version)
                  if level == ORGANISATION else p for ws, p in zip(sessions, people, strict=True)]
        steps = analysis.growth(graphs)
        frames = []
        for ws, graph, person_graph, step in zip(sessions, graphs, people, steps, strict=True):
            data = render.network_data(
                graph, analysis.node_sizes(graph),
                people_graph=person_graph if level == ORGANISATION else None,
                new_nodes=step.new_nodes if ws is not sessions[0] else frozenset(),
                new_edges=step.new_edges if ws is not sessions[0] else frozenset(),
                sector_names=sector_names(),
            )
            frames.append((ws.id, graph, step, data))
        return frames

    built = cached(session, ("growth", level, tuple(ws.id for ws in sessions)), build,
                   area_id=area_id, version=version)
    by_id = {ws.id: ws for ws in sessions}
    return [
        GrowthFrame(by_id[ws_id], graph, step, data,
                    sorted(graph.nodes[n].get("label", n) for n in step.new_nodes))
        for ws_id, graph, step, data in built
    ]


# -- missing partners ----------------------------------------------------------------------------

def checklist(session: Session, area_id: int) -> tuple[list[str], bool]:
    """The sectors expected at the table for an area: the facilitator's own list (the nearest
    one up the area tree), else the default. Returns (sectors, is_default)."""
    area = session.get(Area, area_id)
    chain = [area, *area.ancestors] if area else []
    for node in chain:
        sectors = session.scalars(
            select(AreaSectorChecklist.sector).where(AreaSectorChecklist.area_id == node.id)
        ).all()
        if sectors:
            order = [s.value for s in Sector]
            return sorted((s.value for s in sectors), key=order.index), False
    return list(analysis.DEFAULT_CHECKLIST), True


def serving_organisations(session: Session, area_id: int,
                          version: tuple | None = None) -> list[analysis.ServingOrganisation]:
    """Organisations with a service in the area, in one of its wijken, or in the gemeente or
    regio above it, with the domains of those services (cached per data version: a service
    gaining or losing an area changes it)."""
    return cached(session, ("serving",), lambda: _serving_organisations(session, area_id),
                  area_id=area_id, version=version)


def _serving_organisations(session: Session, area_id: int) -> list[analysis.ServingOrganisation]:
    area = session.get_one(Area, area_id)
    area_ids = area_and_descendant_ids(session, area_id) | {a.id for a in area.ancestors}
    service_ids = select(service_areas.c.service_id).where(service_areas.c.area_id.in_(area_ids))
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.sector, Domain.slug)
        .join(Service, Service.organisation_id == Organisation.id)
        .outerjoin(service_domains, service_domains.c.service_id == Service.id)
        .outerjoin(Domain, Domain.id == service_domains.c.domain_id)
        .where(Service.id.in_(service_ids))
    ).all()
    found: dict[int, tuple[str, str, set[str]]] = {}
    for org_id, name, sector, slug in rows:
        entry = found.setdefault(org_id, (name, sector.value, set()))
        if slug:
            entry[2].add(slug)
    return [analysis.ServingOrganisation(i, n, s, frozenset(d))
            for i, (n, s, d) in sorted(found.items(), key=lambda kv: kv[1][0])]


def open_need_counts(session: Session, area_id: int, now: datetime | None = None,
                     viewer=None, minimum: int = 1) -> dict[str, int]:
    """Per domain, how many open or running cases of the last year in the area need it.
    Counts only: no case is shown or identified here. For a ``viewer`` outside some of the
    cases counted, a count below ``minimum`` is left out (``policy.shown_count``)."""
    area_ids = area_and_descendant_ids(session, area_id)
    since = (now or utcnow()) - RECENT_CASES

    def counts(*where) -> dict[str, int]:
        return dict(session.execute(
            select(Domain.slug, func.count(CaseNeed.case_id))
            .join(CaseNeed, CaseNeed.domain_id == Domain.id)
            .join(Case, Case.id == CaseNeed.case_id)
            .where(Case.area_id.in_(area_ids), Case.status != CaseStatus.GESLOTEN,
                   Case.created_at >= since, *where)
            .group_by(Domain.slug)
        ).all())

    totals = counts()
    if viewer is None:
        return totals
    hidden = counts(~policy.visible_case_filter(viewer))
    shown = {d: policy.shown_count(n, hidden.get(d, 0), minimum) for d, n in totals.items()}
    return {d: n for d, n in shown.items() if n}


def missing_partners(
    session: Session, area_id: int, work_session_id: int | None = None,
    version: tuple | None = None, viewer=None, minimum: int = 1,
) -> tuple[analysis.MissingPartners, bool]:
    """Who is missing at the table of an area (today, or as it stood after a work session),
    and whom to invite first."""
    if version is None:
        version = data_version(session, area_id)
    people = area_graph(session, area_id, work_session_id, version=version)
    at_table = [n for n in people if people.degree(n) > 0]
    sectors, is_default = checklist(session, area_id)
    result = analysis.missing_partners(
        checklist=sectors,
        present_sectors={people.nodes[n]["sector"] for n in at_table},
        serving=serving_organisations(session, area_id, version),
        at_table={people.nodes[n]["organisation_id"] for n in at_table},
        need_counts=open_need_counts(session, area_id, viewer=viewer, minimum=minimum),
        covered_domains={d for n in at_table for d in people.nodes[n]["domains"]},
    )
    return result, is_default


def domain_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Domain.slug, Domain.name)).all())


def missing_partners_csv(session: Session, area_id: int,
                         work_session_id: int | None = None, viewer=None,
                         minimum: int = 1) -> str:
    """The missing partners of an area as CSV (UTF-8, header row, whom to invite first on top)."""
    result, _default = missing_partners(session, area_id, work_session_id, viewer=viewer,
                                        minimum=minimum)
    names = domain_names(session)
    out = io.StringIO()
    writer = safe_csv.writer(out)
    writer.writerow(["rang", "soort", "organisatie", "sector", "sector_ontbreekt",
                     "dekt_onvervulde_behoeften", "open_casussen_met_die_behoefte"])
    for rank, c in enumerate(result.candidates, start=1):
        writer.writerow([rank, "organisatie_zonder_lijn", c.organisation.name,
                         sector_name(c.organisation.sector), "ja" if c.fills_sector else "nee",
                         "; ".join(names.get(d, d) for d, _n in c.covers), c.score])
    for m in result.missing_sectors:
        writer.writerow(["", "ontbrekende_sector", "; ".join(m.candidates),
                         sector_name(m.sector), "ja", "", ""])
    return out.getvalue()


# -- exports -----------------------------------------------------------------------------------

def export_graph(graph: nx.Graph) -> nx.Graph:
    """A copy fit for GraphML/GEXF: scalar attributes only, no phone numbers."""
    result = nx.Graph()
    for key, value in graph.graph.items():
        if isinstance(value, str | int | float | bool):
            result.graph[key] = value
    for node, data in graph.nodes(data=True):
        attrs = {}
        for key, value in data.items():
            if key in {"mobile", "people"}:
                continue
            if isinstance(value, list | tuple | set | frozenset):
                value = ";".join(sorted(str(v) for v in value))
            if value is None:
                continue
            attrs[key] = value
        if "people" in data:
            attrs["professionals"] = len(data["people"])
        result.add_node(node, **attrs)
    for a, b, data in graph.edges(data=True):
        result.add_edge(a, b, **{k: v for k, v in data.items() if v is not None})
    return result


def _hide_case_provenance(session: Session, graph: nx.Graph, viewer) -> None:
    """Ties made in a case: their source and date only for who may see that case
    (``policy.can_see_tie_provenance``); the case's id never leaves."""
    case_ids = {d.get("case_id") for _a, _b, d in graph.edges(data=True) if d.get("case_id")}
    visible = set(session.scalars(select(Case.id).where(
        Case.id.in_(case_ids), policy.visible_case_filter(viewer)))) if case_ids and \
        viewer is not None else set()
    for _a, _b, data in graph.edges(data=True):
        case_id = data.pop("case_id", None) or None
        if data.get("source") == "casus" and (viewer is None or not policy.can_see_tie_provenance(
                viewer, case_id, visible)):
            data.pop("source", None)
            data.pop("since", None)


def add_gexf_viz(graph: nx.Graph, data: dict[str, Any]) -> None:
    """Give each node the position, size and sector colour it has on screen (GEXF viz)."""
    for node in data["nodes"]:
        if node["id"] not in graph:
            continue
        colour = node["color"]["background"].lstrip("#")
        r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
        graph.nodes[node["id"]]["viz"] = {
            "position": {"x": float(node["x"]), "y": float(-node["y"]), "z": 0.0},
            "size": float(node["size"]),
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
        }


# -- work sessions -------------------------------------------------------------------------------

def all_sessions(session: Session) -> list[WorkSession]:
    """Every work session, newest first."""
    return list(session.scalars(
        select(WorkSession).order_by(WorkSession.date.desc(), WorkSession.id.desc())
    ))


@dataclass
class SessionOverview:
    work_session: WorkSession
    attendances: list[Attendance]
    invitations: list[Invitation]
    ties: list[Tie]
    organisations: list[str]
    new_organisations: list[str]  # at the table for the first time in this area
    came_through_invitation: list[Invitation]  # invitations of the previous session, honoured
    previous: WorkSession | None
    next: WorkSession | None


def overview(session: Session, ws: WorkSession) -> SessionOverview:
    """Everything the session page shows."""
    attendances = sorted(ws.attendances, key=lambda a: a.professional.name)
    ties = list(session.scalars(
        select(Tie).where(Tie.work_session_id == ws.id).order_by(Tie.id)
    ))
    earlier = session.scalars(
        select(WorkSession).where(WorkSession.area_id == ws.area_id,
                                  (WorkSession.date < ws.date)
                                  | ((WorkSession.date == ws.date) & (WorkSession.id < ws.id)))
        .order_by(WorkSession.date.desc(), WorkSession.id.desc())
    ).all()
    later = session.scalar(
        select(WorkSession).where(WorkSession.area_id == ws.area_id,
                                  (WorkSession.date > ws.date)
                                  | ((WorkSession.date == ws.date) & (WorkSession.id > ws.id)))
        .order_by(WorkSession.date, WorkSession.id)
    )
    seen_orgs = set(session.scalars(
        select(Professional.organisation_id)
        .join(Attendance, Attendance.professional_id == Professional.id)
        .where(Attendance.work_session_id.in_([e.id for e in earlier]))
    ))
    orgs = {a.professional.organisation.id: a.professional.organisation.name
            for a in attendances}
    present_ids = {a.professional_id for a in attendances}
    present_orgs = set(orgs)
    previous = earlier[0] if earlier else None
    honoured = [
        inv for inv in (previous.invitations if previous else [])
        if (inv.professional_id in present_ids) or (inv.organisation_id in present_orgs)
    ]
    return SessionOverview(
        work_session=ws,
        attendances=attendances,
        invitations=list(ws.invitations),
        ties=ties,
        organisations=sorted(orgs.values()),
        new_organisations=sorted(name for i, name in orgs.items() if i not in seen_orgs),
        came_through_invitation=honoured,
        previous=previous,
        next=later,
    )


def candidate_professionals(session: Session, ws: WorkSession) -> list[Professional]:
    """Whom to offer in the attendance form: people working in the session's area, its
    attendees, and people invited to it (bounded by the area)."""
    area_ids = area_and_descendant_ids(session, ws.area_id)
    ids = select(professional_areas.c.professional_id).where(
        professional_areas.c.area_id.in_(area_ids))
    people = set(session.scalars(select(Professional).where(Professional.id.in_(ids),
                                                            Professional.active)))
    people |= {a.professional for a in ws.attendances}
    invited = session.scalars(
        select(Invitation).join(WorkSession, WorkSession.id == Invitation.work_session_id)
        .where(Invitation.professional_id.isnot(None), WorkSession.area_id == ws.area_id))
    people |= {i.professional for i in invited if i.professional is not None}
    return sorted(people, key=lambda p: (p.name, p.id))


def candidate_organisations(session: Session, ws: WorkSession) -> list[Organisation]:
    """Organisations to invite: those serving the area and those of people working there."""
    ids = {o.id for o in serving_organisations(session, ws.area_id)}
    ids |= {p.organisation_id for p in candidate_professionals(session, ws)}
    return list(session.scalars(select(Organisation).where(Organisation.id.in_(ids))
                                .order_by(Organisation.name)))
