"""The network map page, its exports and the sector checklist."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
from sqlalchemy import select

from netwerk.models import (
    Area,
    AreaSectorChecklist,
    Organisation,
    Professional,
    Role,
    Sector,
    Tie,
    WorkSession,
)

XSS = "<img src=x onerror=alert(1)>"


def _island(html: str, island: str = "kaart-data") -> dict:
    match = re.search(rf'<script type="application/json" id="{island}">(.*?)</script>', html,
                      re.S)
    assert match, "no data island"
    return json.loads(match.group(1))


def _area(session, name):
    return session.scalar(select(Area).where(Area.name == name))


def _signed_in(auth, users, role="medewerker"):
    auth.login(users[role])


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/netwerk").status_code == 302
    assert client.get("/werksessies").status_code == 302
    assert client.get("/netwerk/vis/vis-network.min.js").status_code == 302


def test_map_of_nieuwegein_shows_organisations_with_analysis(seeded, session, client, auth,
                                                              users):
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    response = client.get(f"/netwerk?gebied={nieuwegein.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = _island(html)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Lister", "Portaal", "Abrona"} <= labels
    assert all(n["id"].startswith("o") for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    lister = next(n for n in data["nodes"] if n["label"] == "Lister")
    assert any(p["tel"].startswith("tel:+31970") for p in lister["info"]["people"])
    assert "Wie houdt het netwerk bij elkaar?" in html
    assert "Wie ontbreekt aan tafel?" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<main")[1].split(
        'id="kaart-data"')[0]


def test_professional_level_sector_filter_and_focus(seeded, session, client, auth, users):
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    people = _island(client.get(
        f"/netwerk?gebied={nieuwegein.id}&niveau=professionals").get_data(as_text=True))
    assert all(n["id"].startswith("p") for n in people["nodes"])
    police = _island(client.get(
        f"/netwerk?gebied={nieuwegein.id}&niveau=professionals&sector=politie"
    ).get_data(as_text=True))
    assert police["nodes"] and {n["sector"] for n in police["nodes"]} == {"politie"}
    assert len(police["nodes"]) < len(people["nodes"])
    anouk = session.scalar(select(Professional).where(Professional.name == "Anouk Verbeek"))
    focus = _island(client.get(
        f"/netwerk?gebied={nieuwegein.id}&niveau=professionals&focus=p{anouk.id}&stappen=1"
    ).get_data(as_text=True))
    ids = {n["id"] for n in focus["nodes"]}
    ties = session.scalars(select(Tie).where((Tie.a_id == anouk.id) | (Tie.b_id == anouk.id)))
    expected = {f"p{anouk.id}"} | {f"p{t.b_id if t.a_id == anouk.id else t.a_id}" for t in ties}
    assert ids <= expected and f"p{anouk.id}" in ids and len(ids) > 1


def test_map_after_each_work_session(seeded, session, client, auth, users):
    _signed_in(auth, users)
    counts = []
    for ws in session.scalars(select(WorkSession).order_by(WorkSession.date)):
        counts.append(len(_island(client.get(f"/netwerk?sessie={ws.id}").get_data(
            as_text=True))["nodes"]))
    assert counts == [4, 7, 11]


def test_bad_filters_are_named_not_fatal(seeded, client, auth, users):
    _signed_in(auth, users)
    html = client.get("/netwerk?gebied=999999&niveau=x&sessie=999999&sector=nope").get_data(
        as_text=True)
    assert "Gebied: &#39;999999&#39; bestaat niet" in html
    assert "Niveau: kies organisaties of professionals." in html
    assert "Werksessie: deze sessie bestaat niet." in html
    assert "Sector: een onbekende sector is genegeerd." in html


def test_malformed_ids_answer_400_and_unknown_ids_404_on_the_downloads(seeded, client, auth,
                                                                        users):
    """'²' is a digit to Python and not to int(); a number beyond any id must not reach the
    database (PostgreSQL refuses it): both were a 500."""
    _signed_in(auth, users)
    pages = ["/netwerk", "/netwerk/export.graphml", "/netwerk/export.gexf",
             "/netwerk/ontbrekend.csv", "/werksessies/groei"]
    for page in pages:
        for bad in ("gebied=²", "sessie=²", "gebied=99999999999999999999", "sessie=abc",
                    "gebied=-1"):
            if page == "/werksessies/groei" and bad.startswith("sessie"):
                continue  # the growth page has no sessie
            response = client.get(f"{page}?{bad}")
            assert response.status_code == 400, (page, bad)
            assert "Er is niets opgeslagen" not in response.get_data(as_text=True)
    for page in pages[1:]:
        assert client.get(f"{page}?gebied=999999").status_code == 404, page
    for page in pages[1:4]:
        assert client.get(f"{page}?sessie=999999").status_code == 404, page


def test_names_with_markup_stay_text(seeded, session, client, auth, users, make):
    nieuwegein = _area(session, "Nieuwegein")
    org = make.organisation(name=XSS, sector=Sector.WELZIJN)
    person = make.professional(name=XSS + " Jansen", organisation=org)
    person.areas = [nieuwegein]
    anouk = session.scalar(select(Professional).where(Professional.name == "Anouk Verbeek"))
    session.add(Tie(a_id=min(anouk.id, person.id), b_id=max(anouk.id, person.id)))
    session.commit()
    _signed_in(auth, users)
    for level in ("organisaties", "professionals"):
        html = client.get(f"/netwerk?gebied={nieuwegein.id}&niveau={level}").get_data(
            as_text=True)
        assert XSS not in html  # never raw: escaped in the page and in the data island
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or level == "organisaties"
        data = _island(html)
        assert any(XSS in n["label"] for n in data["nodes"])  # the text itself survives


def test_vis_network_is_served_from_the_pyvis_package(client, auth, users):
    _signed_in(auth, users)
    js = client.get("/netwerk/vis/vis-network.min.js")
    assert js.status_code == 200 and b"vis-network" in js.data[:2000]
    assert client.get("/netwerk/vis/vis-network.css").status_code == 200
    assert client.get("/netwerk/vis/..%2Fnetwork.py").status_code == 404
    assert client.get("/netwerk/vis/template.html").status_code == 404


def test_graphml_and_gexf_read_back(seeded, session, client, auth, users):
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    shown = _island(client.get(f"/netwerk?gebied={nieuwegein.id}").get_data(as_text=True))
    graphml = client.get(f"/netwerk/export.graphml?gebied={nieuwegein.id}")
    assert graphml.status_code == 200 and "attachment" in graphml.headers["Content-Disposition"]
    g = nx.read_graphml(io.BytesIO(graphml.data))
    assert g.number_of_nodes() == len(shown["nodes"])
    assert g.number_of_edges() == len(shown["edges"])
    assert {d["label"] for _n, d in g.nodes(data=True)} >= {"Lister", "Portaal"}
    assert all(int(d["weight"]) >= 1 for _a, _b, d in g.edges(data=True))
    gexf = client.get(f"/netwerk/export.gexf?gebied={nieuwegein.id}&niveau=professionals")
    h = nx.read_gexf(io.BytesIO(gexf.data))
    assert h.number_of_nodes() > g.number_of_nodes()
    assert not any("mobile" in d for _n, d in h.nodes(data=True))  # no phone numbers out
    assert all("viz" in d for _n, d in h.nodes(data=True))


def test_missing_partners_csv(seeded, session, client, auth, users):
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    response = client.get(f"/netwerk/ontbrekend.csv?gebied={nieuwegein.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and rows[0]["rang"] == "1"
    kinds = {r["soort"] for r in rows}
    assert "organisatie_zonder_lijn" in kinds or "ontbrekende_sector" in kinds


def test_checklist_is_for_facilitators_and_changes_missing_sectors(seeded, session, client,
                                                                   auth, users):
    nieuwegein = _area(session, "Nieuwegein")
    _signed_in(auth, users, "medewerker")
    assert client.get(f"/netwerk/checklist/{nieuwegein.id}").status_code == 403
    auth.logout()
    _signed_in(auth, users, "facilitator")
    page = client.get(f"/netwerk/checklist/{nieuwegein.id}")
    assert page.status_code == 200
    assert 'value="onderwijs"' in page.get_data(as_text=True)
    response = client.post(f"/netwerk/checklist/{nieuwegein.id}",
                           data={"sectors": ["onderwijs", "ggz"]})
    assert response.status_code == 302
    saved = set(session.scalars(select(AreaSectorChecklist.sector).where(
        AreaSectorChecklist.area_id == nieuwegein.id)))
    assert saved == {Sector.ONDERWIJS, Sector.GGZ}
    # An empty or unknown sector is refused with the form shown again, nothing saved.
    for bad in ([""], ["astrologie"], ["", "ggz"]):
        response = client.post(f"/netwerk/checklist/{nieuwegein.id}", data={"sectors": bad})
        assert response.status_code == 200, bad
    session.expire_all()
    assert set(session.scalars(select(AreaSectorChecklist.sector).where(
        AreaSectorChecklist.area_id == nieuwegein.id))) == {Sector.ONDERWIJS, Sector.GGZ}
    first = session.scalar(select(WorkSession).order_by(WorkSession.date))
    html = client.get(f"/netwerk?sessie={first.id}").get_data(as_text=True)
    missing = html.split('id="h-ontbrekend"')[1].split("Onvervulde")[0]
    # After session 1 (Lister, Abrona, De Tussenvoorzieningen, politie) no school sat at the
    # table; GGZ did (Lister).
    assert "Onderwijs" in missing and "GGZ" not in missing
    csv_text = client.get(f"/netwerk/ontbrekend.csv?sessie={first.id}").get_data(as_text=True)
    assert "ontbrekende_sector" in csv_text and "Onderwijs" in csv_text
    # Nothing ticked: a valid, empty checklist (the area falls back to the default).
    assert client.post(f"/netwerk/checklist/{nieuwegein.id}", data={}).status_code == 302


def test_organisation_serving_the_area_without_a_tie_is_named(seeded, session, client, auth,
                                                              users):
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    html = client.get(f"/netwerk?gebied={nieuwegein.id}").get_data(as_text=True)
    invite = html.split("Eerst uitnodigen")[1].split("</ol>")[0]
    names = re.findall(r'<a href="/organisaties/\d+">([^<]+)</a>', invite)
    assert names
    at_table = {n["label"] for n in _island(html)["nodes"] if n["info"]["lines"] > 0}
    assert not set(names) & at_table
    assert session.scalar(select(Organisation).where(Organisation.name == names[0]))


def test_facilitator_role_exists():
    assert Role.FACILITATOR.value == "facilitator"


def test_large_selection_is_aggregated_with_a_message(seeded, session, client, auth, users,
                                                      monkeypatch):
    from netwerk.network import render

    monkeypatch.setattr(render, "MAX_DRAWN_NODES", 10)
    _signed_in(auth, users)
    nieuwegein = _area(session, "Nieuwegein")
    html = client.get(f"/netwerk?gebied={nieuwegein.id}&niveau=professionals").get_data(
        as_text=True)
    assert "te veel om los te tekenen" in html
    data = _island(html)
    assert 0 < len(data["nodes"]) <= 31 and all(n["id"][0] == "c" for n in data["nodes"])


def test_unmet_needs_of_open_cases_rank_whom_to_invite(seeded, session, make):
    from netwerk.models import Case, CaseNeed, Service, Urgency
    from netwerk.network import queries

    nieuwegein = _area(session, "Nieuwegein")
    wijk = nieuwegein.children[0]
    gokken = make.domain("gokverslaving", "Gokverslaving")
    far = make.organisation(name="Gokhulp Lekstroom", sector=Sector.VERSLAVINGSZORG)
    session.add(Service(organisation=far, name="Gokhulp", domains=[gokken], areas=[nieuwegein]))
    for i in range(2):
        case = Case(reference=f"T-{i}", area=wijk, urgency=Urgency.SPOED)
        session.add(case)
        session.flush()
        session.add(CaseNeed(case_id=case.id, domain_id=gokken.id))
    session.commit()
    result, _default = queries.missing_partners(session, nieuwegein.id)
    assert result.unmet_needs["gokverslaving"] == 2
    first = result.candidates[0]
    assert first.organisation.name == "Gokhulp Lekstroom"
    assert first.covers == (("gokverslaving", 2),)
