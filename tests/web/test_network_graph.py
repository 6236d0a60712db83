"""The network graph of an area, built from the database (seed 002: Nieuwegein)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from netwerk.models import Area, Organisation, Professional, Tie, TieSource, WorkSession
from netwerk.network import graph as graphs
from netwerk.network.graph import area_graph, organisation_graph


def _area(session, name):
    return session.scalar(select(Area).where(Area.name == name))


def test_area_graph_holds_the_people_and_ties_of_nieuwegein(seeded, session):
    nieuwegein = _area(session, "Nieuwegein")
    g = area_graph(session, nieuwegein.id)
    assert g.number_of_nodes() > 30 and g.number_of_edges() > 50
    anouk = session.scalar(select(Professional).where(Professional.name == "Anouk Verbeek"))
    node = g.nodes[graphs.pid(anouk.id)]
    assert node["organisation"] == "Lister" and node["sector"] == "ggz"
    assert node["mobile"].startswith("+31970")
    orgs = organisation_graph(g)
    assert "Lister" in {d["label"] for _n, d in orgs.nodes(data=True)}
    assert all(d["weight"] >= 1 for _a, _b, d in orgs.edges(data=True))


def test_sessions_grow_the_network_from_four_to_seven_to_eleven(seeded, session):
    sessions = session.scalars(select(WorkSession).order_by(WorkSession.date)).all()
    counts = [organisation_graph(area_graph(session, s.area_id, s.id)).number_of_nodes()
              for s in sessions]
    assert counts == [4, 7, 11]


def test_cached_graph_is_rebuilt_after_a_new_tie(seeded, session):
    nieuwegein = _area(session, "Nieuwegein")
    before = area_graph(session, nieuwegein.id)
    assert area_graph(session, nieuwegein.id) is before  # cached
    people = [graphs.pid(p) for p in session.scalars(select(Professional.id))]
    a, b = next((x, y) for x in people for y in people
                if x < y and x in before and y in before and not before.has_edge(x, y)
                and int(x[1:]) < int(y[1:]))
    session.add(Tie(a_id=int(a[1:]), b_id=int(b[1:]), source=TieSource.HANDMATIG,
                    since=date(2026, 11, 1)))
    session.commit()
    after = area_graph(session, nieuwegein.id)
    assert after is not before and after.has_edge(a, b)


def test_an_organisation_elsewhere_is_not_in_the_area(seeded, session, make):
    houten = _area(session, "Houten")
    nieuwegein = _area(session, "Nieuwegein")
    elsewhere = make.professional(name="Ergens Anders",
                                  organisation=make.organisation(name="Elders BV"))
    elsewhere.areas = [houten]
    session.commit()
    g = area_graph(session, nieuwegein.id)
    assert graphs.pid(elsewhere.id) not in g
    assert session.scalar(select(Organisation).where(Organisation.name == "Elders BV"))


def test_cached_graph_sees_a_new_person_in_the_area(seeded, session, make):
    nieuwegein = _area(session, "Nieuwegein")
    before = area_graph(session, nieuwegein.id)
    newcomer = make.professional(name="Nieuwe Collega")
    newcomer.areas = [nieuwegein.children[0]]
    session.commit()
    after = area_graph(session, nieuwegein.id)
    assert graphs.pid(newcomer.id) in after and graphs.pid(newcomer.id) not in before


def test_area_version_ignores_other_areas(seeded, session, make):
    nieuwegein, houten = _area(session, "Nieuwegein"), _area(session, "Houten")
    before = graphs.data_version(session, nieuwegein.id)
    elsewhere = make.professional(name="Elders")
    elsewhere.areas = [houten]
    session.commit()
    assert graphs.data_version(session, nieuwegein.id) == before
    assert graphs.data_version(session, None) != ()
