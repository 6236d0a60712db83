"""The map follows the data without a restart: a tie that changes kind and a service that
gains or loses an area change what the map shows, also when the change did not go through
the network's own operations (another worker, the directory, an import)."""

from __future__ import annotations

import csv
import io

import networkx as nx
from sqlalchemy import select

from netwerk.models import Area, Sector, Service, Tie, TieKind
from netwerk.network import graph as graphs
from netwerk.network.cache import cache_for


def _area(session, name):
    return session.scalar(select(Area).where(Area.name == name))


def _graphml(client, area_id) -> nx.Graph:
    response = client.get(f"/netwerk/export.graphml?gebied={area_id}&niveau=professionals")
    assert response.status_code == 200
    return nx.read_graphml(io.BytesIO(response.data))


def _csv_names(client, area_id) -> set[str]:
    text = client.get(f"/netwerk/ontbrekend.csv?gebied={area_id}").get_data(as_text=True)
    return {row["organisatie"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_a_tie_changing_kind_changes_the_map(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    shown = _graphml(client, nieuwegein.id)
    a, b = next(iter(shown.edges))
    low, high = sorted((int(a[1:]), int(b[1:])))
    tie = session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high))
    new_kind = next(k for k in TieKind if k != tie.kind)
    version = graphs.data_version(session, nieuwegein.id)
    tie.kind = new_kind
    session.commit()  # straight to the database: no operation forgot the cache
    assert graphs.data_version(session, nieuwegein.id) != version
    assert _graphml(client, nieuwegein.id)[a][b]["kind"] == new_kind.value


def test_a_service_gaining_and_losing_an_area_changes_the_map(seeded, session, client, auth,
                                                              users, make):
    auth.login(users["medewerker"])
    nieuwegein, houten = _area(session, "Nieuwegein"), _area(session, "Houten")
    far = make.organisation(name="Schuldhulp Elders", sector=Sector.SCHULDHULP)
    service = Service(organisation=far, name="Budgetcoaching", areas=[houten])
    session.add(service)
    session.commit()
    assert "Schuldhulp Elders" not in _csv_names(client, nieuwegein.id)
    version = graphs.data_version(session, nieuwegein.id)

    service.areas = [houten, nieuwegein]
    session.commit()
    assert graphs.data_version(session, nieuwegein.id) != version
    assert "Schuldhulp Elders" in _csv_names(client, nieuwegein.id)
    html = client.get(f"/netwerk?gebied={nieuwegein.id}").get_data(as_text=True)
    assert "Schuldhulp Elders" in html

    service.areas = [houten]
    session.commit()
    assert "Schuldhulp Elders" not in _csv_names(client, nieuwegein.id)


def test_the_network_operations_empty_the_cache(seeded, session, client, auth, users):
    from netwerk.models import WorkSession

    auth.login(users["facilitator"])
    ws = session.scalar(select(WorkSession).order_by(WorkSession.date.desc()))
    client.get(f"/netwerk?gebied={ws.area_id}")
    assert len(cache_for(session)) > 0
    response = client.post(f"/werksessies/{ws.id}/bewerken", data={
        "title": ws.title + " (herzien)", "date": ws.date.isoformat(), "area_id": ws.area_id,
        "notes": ""})
    assert response.status_code == 302
    assert len(cache_for(session)) == 0


def _counter(session) -> int:
    from sqlalchemy import text

    return session.scalar(text("SELECT version FROM data_versions WHERE name = 'network'"))


def test_a_bulk_write_raises_the_data_version_and_a_later_one_again(seeded, session, make):
    """Written as an import writes (executemany: one statement per row), 40 new ties are seen
    after commit; on PostgreSQL the counter moves once for the transaction, not once per row
    (a national load updated one row a million times). A savepoint rolled back takes its
    raise with it, and the transaction's next write still raises."""
    from sqlalchemy import insert

    people = [make.professional() for _ in range(10)]
    session.commit()
    pairs = [(a.id, b.id) for i, a in enumerate(people) for b in people[i + 1:]][:40]
    before = _counter(session)
    session.execute(insert(Tie), [{"a_id": a, "b_id": b, "kind": TieKind.KENT} for a, b in pairs])
    session.commit()
    after = _counter(session)
    assert after > before
    if session.get_bind().dialect.name == "postgresql":
        assert after == before + 1

    rest = [(a.id, b.id) for i, a in enumerate(people) for b in people[i + 1:]][40:]
    nested = session.begin_nested()
    session.execute(insert(Tie), [{"a_id": rest[0][0], "b_id": rest[0][1], "kind": TieKind.KENT}])
    nested.rollback()
    session.execute(insert(Tie), [{"a_id": rest[1][0], "b_id": rest[1][1], "kind": TieKind.KENT}])
    session.commit()
    assert _counter(session) > after
