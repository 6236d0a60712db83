"""From the database to a networkx graph, one area at a time.

``area_graph`` builds the professional graph of an area (professionals who work in the area or
its wijken, plus everyone who attended a work session there; ties between them) with queries
bounded by the area's size, and caches it per data version (``data_version``, in the
``GraphCache`` of netwerk.network.cache). The rest of this module is pure:
``organisation_graph`` folds professionals into organisations, ``filter_sectors`` keeps some
sectors, ``ego`` focuses on one node.

Node ids are strings: ``p<id>`` for a professional, ``o<id>`` for an organisation, so exports
and the browser see the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import networkx as nx
from sqlalchemy import (
    CompoundSelect,
    Select,
    String,
    case,
    event,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from netwerk.models import (
    Area,
    Attendance,
    Domain,
    Organisation,
    Professional,
    Tie,
    TieKind,
    WorkSession,
    area_and_descendant_ids,
    professional_areas,
    professional_domains,
    service_areas,
)
from netwerk.models.table import network_counter
from netwerk.network.cache import cache_for, clear_all

T = TypeVar("T")

PROFESSIONAL = "professional"
ORGANISATION = "organisation"
CLUSTER = "cluster"


def pid(professional_id: int) -> str:
    return f"p{professional_id}"


def oid(organisation_id: int) -> str:
    return f"o{organisation_id}"


# -- data version ------------------------------------------------------------------------------

def _kind_code():
    """Each tie's kind as a number, so a fingerprint sees a tie change kind."""
    return case({kind: i + 1 for i, kind in enumerate(TieKind)}, value=Tie.kind, else_=0)


def data_version(session: Session, area_id: int | None = None) -> tuple:
    """A cheap fingerprint of everything an area's network (graph, serving organisations) is
    built from (of the whole database when ``area_id`` is None).

    For an area: (count, max id, max since, sum of id × kind) of the ties touching its people,
    the count and latest of its work sessions and their attendance, (count, latest update) of
    its people and their organisations, the count of placements in it, and (count, sums) of
    the service areas of the area, its wijken and the gemeente/regio above it. Every query is
    bounded by the area through indexes. Any new, removed, re-dated or re-kinded tie, any
    attendance, any edited, moved or added professional and any service gaining or losing an
    area changes it, so a cached value is never served after such a change. Ask it once per
    request and pass it on (``area_graph(..., version=...)``).

    The fingerprint is remembered in the GraphCache under the database's data counter
    (``network_counter``): while no watched table changed anywhere, a warm view asks that one
    row and nothing else; after a change, the fingerprint is taken again (so a change in
    another area still leaves this area's cached maps in place).
    """
    counter = network_counter(session)
    if counter is None or session.info.get(WROTE):
        # No counter row (a database emptied by hand), or this transaction wrote: its own
        # uncommitted changes must not be remembered under a counter another may reuse.
        return _fingerprint(session, area_id)
    return cache_for(session).get(("data_version", area_id), counter,
                                  lambda: _fingerprint(session, area_id))


def _fingerprint(session: Session, area_id: int | None) -> tuple:
    return (_query_version(session) if area_id is None
            else _query_area_version(session, area_id))


WROTE = "netwerk.network.wrote"


@event.listens_for(Session, "after_flush")
def _remember_write(session: Session, _context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_write(session: Session) -> None:
    session.info.pop(WROTE, None)


def _query_area_version(session: Session, area_id: int) -> tuple:
    area_ids = area_and_descendant_ids(session, area_id)
    area = session.get(Area, area_id)
    served_ids = area_ids | ({a.id for a in area.ancestors} if area is not None else set())
    sessions = select(WorkSession.id).where(WorkSession.area_id.in_(area_ids))
    people = (
        select(professional_areas.c.professional_id)
        .where(professional_areas.c.area_id.in_(area_ids))
        .union(select(Attendance.professional_id)
               .where(Attendance.work_session_id.in_(sessions)))
    )
    kind = _kind_code().label("kind_code")
    touching = (
        select(Tie.id, Tie.since, kind).where(Tie.a_id.in_(people))
        .union(select(Tie.id, Tie.since, kind).where(Tie.b_id.in_(people)))
        .subquery()
    )
    ties = session.execute(
        select(func.count(), func.max(touching.c.id), func.max(touching.c.since),
               func.sum(touching.c.id * touching.c.kind_code))
        .select_from(touching)
    ).one()
    work_sessions = session.execute(
        select(func.count(WorkSession.id), func.max(WorkSession.id), func.max(WorkSession.date))
        .where(WorkSession.area_id.in_(area_ids))
    ).one()
    attendance = session.scalar(
        select(func.count()).select_from(Attendance)
        .where(Attendance.work_session_id.in_(sessions))
    )
    members = session.execute(
        select(func.count(Professional.id), func.max(Professional.updated_at),
               func.max(Organisation.updated_at))
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(Professional.id.in_(people))
    ).one()
    placements = session.scalar(
        select(func.count()).select_from(professional_areas)
        .where(professional_areas.c.area_id.in_(area_ids))
    )
    return (tuple(ties), tuple(work_sessions), attendance, tuple(members), placements,
            _service_areas_version(session, served_ids))


def _service_areas_version(session: Session, area_ids: set[int] | None) -> tuple:
    query = select(func.count(), func.sum(service_areas.c.service_id),
                   func.sum(service_areas.c.area_id)).select_from(service_areas)
    if area_ids is not None:
        query = query.where(service_areas.c.area_id.in_(area_ids))
    return tuple(session.execute(query).one())


def _query_version(session: Session) -> tuple:
    ties = session.execute(
        select(func.count(Tie.id), func.max(Tie.id), func.max(Tie.since),
               func.sum(Tie.id * _kind_code()))
    ).one()
    attendance = session.execute(
        select(func.count(), func.max(Attendance.work_session_id)).select_from(Attendance)
    ).one()
    people = session.execute(
        select(func.count(Professional.id), func.max(Professional.updated_at))
    ).one()
    organisations = session.execute(
        select(func.count(Organisation.id), func.max(Organisation.updated_at))
    ).one()
    placements = session.scalar(select(func.count()).select_from(professional_areas))
    return (tuple(ties), tuple(attendance), tuple(people), tuple(organisations), placements,
            _service_areas_version(session, None))


def cached(session: Session, key: tuple, build: Callable[[], T],
           area_id: int | None = None, version: tuple | None = None) -> T:
    """``build()`` for ``key`` under the data version of ``area_id`` (of the whole database
    when None), computed once per version; pass ``version`` when the caller has it."""
    if version is None:
        version = data_version(session, area_id)
    return cache_for(session).get((area_id, *key), version, build)


def clear_cache() -> None:
    """Forget every cached graph (benchmarks measure a cold start)."""
    clear_all()


# -- building from the database ---------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """The network as it stood after a work session: its attendees up to then, ties dated by
    then."""

    area_id: int
    until: date
    session_ids: tuple[int, ...]


def area_graph(session: Session, area_id: int, work_session_id: int | None = None,
               version: tuple | None = None) -> nx.Graph:
    """The (frozen, cached) professional graph of an area, or of a work session's snapshot;
    ``version`` is the area's data version when the caller already asked for it."""
    return cached(
        session, ("area_graph", work_session_id),
        lambda: nx.freeze(build_area_graph(session, area_id, work_session_id)),
        area_id=area_id, version=version,
    )


def area_organisations(session: Session, area_id: int, work_session_id: int | None = None,
                       version: tuple | None = None) -> nx.Graph:
    """The (frozen, cached) organisation graph folded from ``area_graph`` (same arguments)."""
    return cached(
        session, ("organisation_graph", work_session_id),
        lambda: nx.freeze(organisation_graph(
            area_graph(session, area_id, work_session_id, version=version))),
        area_id=area_id, version=version,
    )


def session_snapshot(session: Session, work_session_id: int) -> Snapshot:
    ws = session.get(WorkSession, work_session_id)
    if ws is None:
        raise LookupError(f"work session {work_session_id} does not exist")
    ids = session.scalars(
        select(WorkSession.id).where(WorkSession.area_id == ws.area_id,
                                     WorkSession.date <= ws.date)
        .order_by(WorkSession.date, WorkSession.id)
    ).all()
    return Snapshot(area_id=ws.area_id, until=ws.date, session_ids=tuple(ids))


def build_area_graph(
    session: Session, area_id: int | None, work_session_id: int | None = None
) -> nx.Graph:
    """Build the professional graph; every query is bounded by the area (a subquery of its
    people), never a scan of all professionals into Python. ``area_id=None`` builds the
    national network (for benchmarks and national exports only)."""
    area = session.get(Area, area_id) if area_id is not None else None
    if area_id is not None and area is None:
        raise LookupError(f"area {area_id} does not exist")
    snapshot = None
    people: Select[int] | CompoundSelect[int] | None
    if work_session_id is not None:
        snapshot = session_snapshot(session, work_session_id)
        people = (
            select(Attendance.professional_id)
            .where(Attendance.work_session_id.in_(snapshot.session_ids))
            .distinct()
        )
    elif area_id is None:
        people = None  # everyone
    else:
        area_ids = area_and_descendant_ids(session, area_id)
        session_ids = select(WorkSession.id).where(WorkSession.area_id.in_(area_ids))
        people = (
            select(professional_areas.c.professional_id)
            .where(professional_areas.c.area_id.in_(area_ids))
            .union(
                select(Attendance.professional_id)
                .where(Attendance.work_session_id.in_(session_ids))
            )
        )
    people_ids = people

    graph = nx.Graph(level=PROFESSIONAL, area_id=area_id or 0,
                     area=area.name if area else "Nederland",
                     area_kind=area.kind.value if area else "land",
                     until=snapshot.until.isoformat() if snapshot else "")
    rows = session.execute(
        select(Professional.id, Professional.name, Professional.role, Professional.mobile,
               Professional.organisation_id, Organisation.name, Organisation.sector)
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(Professional.active,
               *([Professional.id.in_(people_ids)] if people_ids is not None else []))
    ).all()
    for p_id, name, role, mobile, org_id, org_name, sector in rows:
        graph.add_node(pid(p_id), kind=PROFESSIONAL, label=name, role=role or "",
                       mobile=mobile or "", organisation_id=org_id, organisation=org_name,
                       sector=sector.value, domains=[])
    domain_rows = session.execute(
        select(professional_domains.c.professional_id, Domain.slug)
        .join(Domain, Domain.id == professional_domains.c.domain_id)
        .where(*([professional_domains.c.professional_id.in_(people_ids)]
                 if people_ids is not None else []))
    ).all()
    for p_id, slug in domain_rows:
        node = graph.nodes.get(pid(p_id))
        if node is not None:
            node["domains"].append(slug)

    # kind and source as their stored text: the enum conversion of every row was a third of
    # a regio's build
    tie_query = select(Tie.a_id, Tie.b_id, type_coerce(Tie.kind, String),
                       type_coerce(Tie.source, String), Tie.since, Tie.work_session_id,
                       Tie.case_id)
    if people_ids is not None:
        tie_query = tie_query.where(Tie.a_id.in_(people_ids), Tie.b_id.in_(people_ids))
    if snapshot is not None:
        tie_query = tie_query.where(
            or_(Tie.since <= snapshot.until, Tie.work_session_id.in_(snapshot.session_ids))
        )
    for a_id, b_id, kind, source, since, ws_id, case_id in session.execute(tie_query):
        a, b = pid(a_id), pid(b_id)
        if a in graph and b in graph:
            # case_id: exports show a case's tie's origin only to its people (finding 2)
            graph.add_edge(a, b, kind=kind, source=source,
                           since=since.isoformat() if since else "",
                           work_session_id=ws_id or 0, weight=1, case_id=case_id or 0)
    return graph


# -- pure transformations ----------------------------------------------------------------------

def organisation_graph(graph: nx.Graph) -> nx.Graph:
    """Fold a professional graph into organisations; an edge's weight is the number of ties
    between the two organisations' people. Colleagues' ties inside one organisation vanish."""
    result = nx.Graph(**{**graph.graph, "level": ORGANISATION})
    for node, data in graph.nodes(data=True):
        org = oid(data["organisation_id"])
        if org not in result:
            result.add_node(org, kind=ORGANISATION, label=data["organisation"],
                            sector=data["sector"], people=[], domains=[])
        result.nodes[org]["people"].append(node)
        for slug in data.get("domains", []):
            if slug not in result.nodes[org]["domains"]:
                result.nodes[org]["domains"].append(slug)
    org_of = {node: oid(data["organisation_id"]) for node, data in graph.nodes(data=True)}
    lines: dict[tuple[str, str], list] = {}  # first seen first, as the ties come
    for a, b, data in graph.edges(data=True):
        oa, ob = org_of[a], org_of[b]
        if oa == ob:
            continue
        # The date of a tie made in a case does not show between organisations (finding 2).
        since = "" if data.get("source") == "casus" else data.get("since", "")
        line = lines.get((oa, ob)) or lines.get((ob, oa))
        if line is None:
            lines[(oa, ob)] = [data.get("weight", 1), since]
            continue
        line[0] += data.get("weight", 1)
        if since and (not line[1] or since < line[1]):
            line[1] = since
    result.add_edges_from((oa, ob, {"weight": weight, "since": since})
                          for (oa, ob), (weight, since) in lines.items())
    return result


def filter_sectors(graph: nx.Graph, sectors: Iterable[str]) -> nx.Graph:
    """The subgraph of nodes in ``sectors`` (all nodes when none are given)."""
    wanted = set(sectors)
    if not wanted:
        return graph
    return graph.subgraph([n for n, d in graph.nodes(data=True) if d.get("sector") in wanted])


def ego(graph: nx.Graph, node: str, steps: int = 1) -> nx.Graph:
    """The node and everyone within ``steps`` lines of it."""
    if node not in graph:
        return graph.subgraph([])
    return nx.ego_graph(graph, node, radius=max(1, min(steps, 2)))


def cluster_graph(graph: nx.Graph, communities: list[set[str]]) -> nx.Graph:
    """Fold a graph into its clusters (for selections too large to draw node by node)."""
    member_of = {n: i for i, members in enumerate(communities) for n in members}
    result = nx.Graph(**{**graph.graph, "level": CLUSTER})
    for i, members in enumerate(communities):
        sectors: dict[str, int] = {}
        for n in members:
            sector = graph.nodes[n].get("sector", "")
            sectors[sector] = sectors.get(sector, 0) + 1
        main_sector = max(sorted(sectors), key=lambda s: sectors[s]) if sectors else ""
        biggest = sorted(members, key=lambda n: (-graph.degree(n), n))[:3]
        result.add_node(f"c{i}", kind=CLUSTER, sector=main_sector, size=len(members),
                        label=" · ".join(graph.nodes[n].get("label", n) for n in biggest))
    for a, b, data in graph.edges(data=True):
        ca, cb = member_of[a], member_of[b]
        if ca == cb:
            continue
        u, v = f"c{ca}", f"c{cb}"
        if result.has_edge(u, v):
            result[u][v]["weight"] += data.get("weight", 1)
        else:
            result.add_edge(u, v, weight=data.get("weight", 1))
    return result
