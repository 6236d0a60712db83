"""Where each node of an area's map stands: computed once, stored, kept.

The first time an area's map is asked for, its organisations are laid out with networkx
(netwerk.network.render.positions: seeded, per connected part) and every professional is
placed on a sunflower spiral around their organisation; the positions are written to
``node_positions`` (area, node key, x, y). From then on a node keeps its place — after a
restart, on every worker, and from work session to work session, so the growth of a network
can be seen. A node that joins later is placed near the nodes it has lines to (or at the edge
of the map) and keeps that place too.

Writing happens on a read (the first view of an area), so it is made safe for two first
requests at once: the positions go in with insert-or-ignore (``ON CONFLICT DO NOTHING`` on
both engines) on a connection of its own, in a transaction of its own, and are read back after
it — whoever lost the race reads the winner's positions. The request's own transaction is
not touched.
"""

from __future__ import annotations

import math

import networkx as nx
from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from netwerk.models.table import NodePosition

# render.positions spaces nodes ~90 px apart; the table spreads organisations out so that an
# organisation's people fit around it.
SCALE = 3.0
MIN_GAP = 150.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPIRAL_START = 46.0
SPIRAL_STEP = 24.0

Point = tuple[float, float]


def spiral(slot: int) -> Point:
    """The offset of a professional's ``slot`` around their organisation (slot 0 nearest)."""
    radius = SPIRAL_START + SPIRAL_STEP * math.sqrt(slot)
    angle = slot * GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


def stored(session: Session, area_id: int) -> dict[str, Point]:
    rows = session.execute(select(NodePosition.node_key, NodePosition.x, NodePosition.y)
                           .where(NodePosition.area_id == area_id))
    return {key: (x, y) for key, x, y in rows}


def area_positions(session: Session, area_id: int, organisations: nx.Graph,
                   people: nx.Graph) -> dict[str, Point]:
    """The positions of every organisation and professional of an area's network (the full,
    current one: ``organisations`` folded from ``people``), computing and storing those that
    have none yet."""
    have = stored(session, area_id)
    missing = place(have, organisations, people)
    if not missing:
        return have
    return _insert_or_ignore(session, area_id, missing)


def place(have: dict[str, Point], organisations: nx.Graph, people: nx.Graph) -> dict[str, Point]:
    """Positions for the nodes of ``organisations`` and ``people`` not in ``have`` (pure)."""
    new: dict[str, Point] = {}
    todo = [n for n in organisations if n not in have]
    if todo and not any(k.startswith("o") for k in have):
        from netwerk.network.render import positions

        new.update({n: (x * SCALE, y * SCALE) for n, (x, y) in positions(organisations).items()})
    else:
        taken = [p for k, p in have.items() if k.startswith("o")]
        for node in sorted(todo, key=lambda n: (-organisations.degree(n), n)):
            near = [have.get(m) or new.get(m) for m in organisations[node]]
            point = _free_spot([p for p in near if p], taken + list(new.values()))
            new[node] = point
    # professionals on a spiral around their organisation, in the first free slots
    everything = {**have, **new}
    by_org: dict[str, list[str]] = {}
    for node, data in people.nodes(data=True):
        by_org.setdefault(f"o{data['organisation_id']}", []).append(node)
    for org, colleagues in by_org.items():
        centre = everything.get(org)
        members = [p for p in colleagues if p not in have]
        if centre is None or not members:
            continue
        used = {_slot_of(have[p], centre) for p in colleagues if p in have}
        slot = 0
        for node in sorted(members, key=lambda n: int(n[1:])):
            while slot in used:
                slot += 1
            dx, dy = spiral(slot)
            new[node] = (round(centre[0] + dx, 1), round(centre[1] + dy, 1))
            used.add(slot)
    return new


def _slot_of(point: Point, centre: Point) -> int:
    """The spiral slot a stored point is in (nearest slot by distance and angle)."""
    dx, dy = point[0] - centre[0], point[1] - centre[1]
    radius = math.hypot(dx, dy)
    guess = max(0, round(((radius - SPIRAL_START) / SPIRAL_STEP) ** 2)) if radius > 0 else 0
    best, best_d = guess, math.inf
    for slot in range(max(0, guess - 6), guess + 7):
        sx, sy = spiral(slot)
        d = math.hypot(sx - dx, sy - dy)
        if d < best_d:
            best, best_d = slot, d
    return best


def _free_spot(near: list[Point], taken: list[Point]) -> Point:
    """Near the mean of ``near`` (or right of everything), at least MIN_GAP from ``taken``."""
    if near:
        cx = sum(p[0] for p in near) / len(near)
        cy = sum(p[1] for p in near) / len(near)
    elif taken:
        cx = max(p[0] for p in taken) + MIN_GAP
        cy = min(p[1] for p in taken)
    else:
        cx, cy = 0.0, 0.0
    step = 0
    while True:
        radius = MIN_GAP * 0.6 * math.sqrt(step)
        angle = step * GOLDEN_ANGLE
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        if all(math.hypot(x - p[0], y - p[1]) >= MIN_GAP for p in taken):
            return round(x, 1), round(y, 1)
        step += 1


def _insert_or_ignore(session: Session, area_id: int,
                      points: dict[str, Point]) -> dict[str, Point]:
    """Store ``points`` on a connection and in a transaction of their own (a key another
    request stored first is left as it is) and read the area's positions back there: the
    request's own transaction may hold an older snapshot."""
    engine = session.get_bind().engine  # an Engine's engine is itself, a Connection's its own
    statement: Executable
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        statement = pg_insert(NodePosition).on_conflict_do_nothing(
            index_elements=["area_id", "node_key"])
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        statement = sqlite_insert(NodePosition).on_conflict_do_nothing(
            index_elements=["area_id", "node_key"])
    rows = [{"area_id": area_id, "node_key": k, "x": float(x), "y": float(y)}
            for k, (x, y) in points.items()]
    with engine.begin() as connection:
        for start in range(0, len(rows), 1000):
            connection.execute(statement, rows[start:start + 1000])
        result = connection.execute(
            select(NodePosition.node_key, NodePosition.x, NodePosition.y)
            .where(NodePosition.area_id == area_id))
        return {key: (x, y) for key, x, y in result}
