"""The facilitator's table: /netwerk/data.json (shape, access, trust rules, stored positions),
/netwerk/tafel, and the phone pages with which the room checks in and adds ties."""

from __future__ import annotations

import re
import threading

from sqlalchemy import select

from netwerk.models import (
    Area,
    Attendance,
    AuditEntry,
    NodePosition,
    Organisation,
    Professional,
    Role,
    Tie,
    WorkSession,
)
from netwerk.network.cache import clear_all
from tests.conftest import PASSWORD


def _area(session, name):
    return session.scalar(select(Area).where(Area.name == name))


def _sessions(session, area):
    return list(session.scalars(select(WorkSession).where(WorkSession.area_id == area.id)
                                .order_by(WorkSession.date)))


def _csrf(page: str) -> str:
    return re.search(r'name="[a-z-]*csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _data(client, **params):
    """The compact answer the table page asks for (``vorm=kort``)."""
    response = client.get("/netwerk/data.json", query_string={"vorm": "kort", **params})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


KINDS = {"o": "organisation", "p": "professional", "c": "cluster"}


def _kind(node: dict) -> str:
    return KINDS[node["id"][0]]


def _edges(data: dict) -> list[dict]:
    """The compact edges ``[i, j, w, s]`` read as the page reads them."""
    nodes = data["nodes"]
    result = []
    for e in data["edges"]:
        a, b = nodes[e[0]], nodes[e[1]]
        both = _kind(a) == _kind(b) == "professional"
        result.append({"from": a["id"], "to": b["id"], "w": e[2] if len(e) > 2 else 1,
                       "s": e[3] if len(e) > 3 else None,
                       "kind": "professional" if both else "organisation"})
    return result


def test_data_json_has_nodes_with_positions_and_edges(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    data = _data(client, gebied=nieuwegein.id)
    assert data["format"] == 2
    orgs = [n for n in data["nodes"] if _kind(n) == "organisation"]
    people = [n for n in data["nodes"] if _kind(n) == "professional"]
    assert {"Lister", "Portaal", "Abrona"} <= {n["label"] for n in orgs}
    for node in data["nodes"]:
        assert {"id", "label", "x", "y", "sec", "deg"} <= set(node)
        assert isinstance(node["x"], int) and isinstance(node["y"], int)
    lister = next(n for n in orgs if n["label"] == "Lister")
    assert lister["n"] >= 1 and "org" not in lister
    anouk = next(n for n in people if n["label"] == "Anouk Verbeek")
    assert anouk["org"] == int(lister["id"][1:])
    edges = _edges(data)
    assert edges and all(len(e) in (2, 3, 4) for e in data["edges"])
    assert all(0 <= i < len(data["nodes"]) for e in data["edges"] for i in e[:2])
    assert {e["kind"] for e in edges} == {"organisation", "professional"}
    # at most eight colours, every sector its own colour + shape
    styles = {(s["colour"], s["shape"]) for s in data["sectors"].values()}
    assert len({c for c, _s in styles}) <= 8
    assert len(styles) == len(data["sectors"])
    # three sessions on the timeline; growth 4 -> 7 -> 11 organisations
    assert [s["index"] for s in data["sessions"]] == [0, 1, 2]
    per_session = [sum(1 for n in orgs if n.get("s") is not None and n["s"] <= k)
                   for k in range(3)]
    assert per_session == [4, 7, 11]


def test_compact_answer_carries_what_the_page_draws(seeded, session, client, auth, users):
    """Every node and line of the map, its weight and first session, the sectors' styles:
    the same content as one object per line with named fields, in a fraction of the bytes,
    gzipped for a browser that accepts it."""
    from netwerk.network.graph import area_graph, data_version, organisation_graph

    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    data = _data(client, gebied=nieuwegein.id)
    people = area_graph(session, nieuwegein.id, None, data_version(session, nieuwegein.id))
    orgs = organisation_graph(people)
    ids = {n["id"] for n in data["nodes"]}
    assert ids == set(orgs) | set(people)
    drawn = {frozenset((e["from"], e["to"])): e for e in _edges(data)}
    expected = {frozenset(e) for e in orgs.edges} | {frozenset(e) for e in people.edges}
    assert set(drawn) == expected
    for a, b, d in orgs.edges(data=True):
        assert drawn[frozenset((a, b))]["w"] == d["weight"]
    assert all(n["sec"] in data["sectors"] for n in data["nodes"])
    raw = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}&vorm=kort")
    zipped = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}&vorm=kort",
                        headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in raw.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    import gzip
    import json

    assert json.loads(gzip.decompress(zipped.data)) == raw.get_json()
    assert len(zipped.data) < len(raw.data) / 3
    assert zipped.headers["ETag"] == raw.headers["ETag"] and raw.headers["ETag"].startswith("W/")


def test_by_default_each_line_names_its_two_nodes(seeded, session, client, auth, users):
    """Other programs get one object per line, ``from`` and ``to`` being node ids: the same
    lines, weights and sessions as the compact answer, under a tag of their own."""
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    plain = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}")
    data = plain.get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert data["edges"] and all({"from", "to", "w"} <= set(e) for e in data["edges"])
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    compact = _data(client, gebied=nieuwegein.id)
    as_objects = [{k: e[k] for k in ("from", "to", "w", "s")} for e in _edges(compact)]
    assert sorted(map(repr, as_objects)) == sorted(map(repr, data["edges"]))
    assert data["nodes"] == compact["nodes"]
    short = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}&vorm=kort")
    assert short.headers["ETag"] != plain.headers["ETag"]
    again = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}",
                       headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_data_json_session_snapshot_and_same_positions(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    first, second, third = _sessions(session, nieuwegein)
    now = {n["id"]: (n["x"], n["y"]) for n in _data(client, gebied=nieuwegein.id)["nodes"]}
    for ws, count in ((first, 4), (second, 7), (third, 11)):
        data = _data(client, sessie=ws.id)
        orgs = [n for n in data["nodes"] if _kind(n) == "organisation"]
        assert len(orgs) == count
        assert data["session"]["id"] == ws.id
        # every node stands where it stands on the full map
        for n in data["nodes"]:
            assert (n["x"], n["y"]) == now[n["id"]], n["label"]


def test_positions_survive_a_restart_and_new_nodes_keep_the_old_in_place(
        seeded, session, client, auth, users, make):
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    before = {n["id"]: (n["x"], n["y"]) for n in _data(client, gebied=nieuwegein.id)["nodes"]}
    stored = session.scalars(select(NodePosition).where(
        NodePosition.area_id == nieuwegein.id)).all()
    assert {p.node_key for p in stored} >= set(before)
    clear_all()  # a restart: no process memory of the layout
    again = {n["id"]: (n["x"], n["y"]) for n in _data(client, gebied=nieuwegein.id)["nodes"]}
    assert again == before
    # a new organisation with a person placed in the area joins; nobody else moves
    newcomer = make.professional(name="Nina Nieuw", areas=[nieuwegein])
    session.commit()
    after = {n["id"]: (n["x"], n["y"]) for n in _data(client, gebied=nieuwegein.id)["nodes"]}
    assert f"p{newcomer.id}" in after and f"o{newcomer.organisation_id}" in after
    assert {k: v for k, v in after.items() if k in before} == before


def test_two_first_requests_at_once_store_one_layout(seeded, session, app, users, auth):
    nieuwegein = _area(session, "Nieuwegein")
    email = users["medewerker"].email
    area_id = nieuwegein.id
    results: list[dict] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def fetch():
        try:
            c = app.test_client()
            c.post("/login", data={"email": email, "password": PASSWORD})
            barrier.wait(timeout=20)
            r = c.get(f"/netwerk/data.json?gebied={area_id}")
            assert r.status_code == 200, r.status_code
            results.append({n["id"]: (n["x"], n["y"]) for n in r.get_json()["nodes"]})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    session.expire_all()
    rows = session.scalars(select(NodePosition).where(NodePosition.area_id == nieuwegein.id))
    assert {p.node_key: (round(p.x), round(p.y)) for p in rows
            if p.node_key in results[0]} == results[0]


def test_data_json_answers_304_until_something_changes(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    first = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}")
    tag = first.headers["ETag"]
    again = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}",
                       headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.data
    a, b = session.scalars(select(Professional).order_by(Professional.id).limit(2)).all()
    if session.scalar(select(Tie).where(Tie.a_id == a.id, Tie.b_id == b.id)) is None:
        session.add(Tie(a_id=a.id, b_id=b.id))
    else:
        session.delete(session.scalar(select(Tie).where(Tie.a_id == a.id, Tie.b_id == b.id)))
    session.commit()
    changed = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}",
                         headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


def test_data_json_access_and_bad_parameters(seeded, session, client, auth, users):
    nieuwegein = _area(session, "Nieuwegein")
    assert client.get(f"/netwerk/data.json?gebied={nieuwegein.id}").status_code == 302
    auth.login(users["medewerker"])
    assert client.get("/netwerk/data.json?gebied=2147483647").status_code == 404
    assert client.get("/netwerk/data.json?gebied=abc").status_code == 400
    assert client.get("/netwerk/data.json?sessie=999999").status_code == 404
    data = _data(client, gebied=nieuwegein.id, sector="wonen")
    assert {n["sec"] for n in data["nodes"]} == {"wonen"}


def test_data_json_analysis_for_the_showcase(seeded, session, client, auth, users):
    auth.login(users["facilitator"])
    nieuwegein = _area(session, "Nieuwegein")
    found = _data(client, gebied=nieuwegein.id)["analysis"]
    assert set(found) >= {"isolated", "cutPoints", "bridges", "brokers", "missingSectors",
                          "unconnected", "unmetNeeds"}
    assert found["brokers"] and found["brokers"][0]["node"].startswith("o")
    for cut in found["cutPoints"]:
        assert cut["text"].startswith("Als ") and "wegvalt" in cut["text"]


def test_outsider_sees_no_small_case_counts_and_no_case_tie_origin(seeded, session, client,
                                                                    auth, make, app):
    """Finding 2 of docs/security.md holds for the table's data too."""
    from netwerk.models import Case, CaseNeed, CaseStatus, Domain, TieSource, Urgency

    app.config["NETWERK_MIN_COUNT"] = 5
    nieuwegein = _area(session, "Nieuwegein")
    outsider = make.user(Role.MEDEWERKER, professional=make.professional())
    admin = make.user(Role.BEHEERDER)
    wijk = session.scalar(select(Area).where(Area.parent_id == nieuwegein.id))
    domain = session.scalar(select(Domain).order_by(Domain.id))
    case = Case(reference="NWG-TAFEL-1", area_id=wijk.id, status=CaseStatus.OPEN,
                urgency=Urgency.REGULIER)
    session.add(case)
    session.flush()
    session.add(CaseNeed(case_id=case.id, domain_id=domain.id))
    lister = session.scalar(select(Organisation).where(Organisation.name == "Lister"))
    a, b = session.scalars(select(Professional).where(
        Professional.organisation_id == lister.id).order_by(Professional.id).limit(2)).all()
    tie = session.scalar(select(Tie).where(Tie.a_id == min(a.id, b.id),
                                           Tie.b_id == max(a.id, b.id)))
    if tie is None:
        tie = Tie(a_id=min(a.id, b.id), b_id=max(a.id, b.id))
        session.add(tie)
    tie.source, tie.case_id = TieSource.CASUS, case.id
    session.commit()

    def look(user):
        auth.login(user)
        data = _data(client, gebied=nieuwegein.id)
        auth.logout()
        edge = next(e for e in data["edges"] if {data["nodes"][i]["id"] for i in e[:2]}
                    == {f"p{a.id}", f"p{b.id}"})
        needs = dict(data["analysis"]["unmetNeeds"])
        return edge, needs

    # the line is drawn, and its origin and date go to nobody: the page does not show them
    edge, needs = look(outsider)
    assert len(edge) <= 4 and all(isinstance(v, int) for v in edge)
    assert all(n >= 5 for n in needs.values())
    edge, needs = look(admin)
    assert len(edge) <= 4 and all(isinstance(v, int) for v in edge)


def test_the_map_page_leads_to_the_table_of_its_area_and_session(seeded, session, client, auth,
                                                                  users):
    """A facilitator on /netwerk reaches the projector view of what they are looking at."""
    auth.login(users["facilitator"])
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    html = client.get(f"/netwerk?gebied={nieuwegein.id}").get_data(as_text=True)
    assert f'href="/netwerk/tafel?gebied={nieuwegein.id}"' in html
    html = client.get(f"/netwerk?gebied={nieuwegein.id}&sessie={ws.id}").get_data(as_text=True)
    assert f'href="/netwerk/tafel?gebied={nieuwegein.id}&amp;sessie={ws.id}"' in html


def test_table_page_loads_its_script_and_data_url(seeded, session, client, auth, users):
    auth.login(users["facilitator"])
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    html = client.get(f"/netwerk/tafel?sessie={ws.id}").get_data(as_text=True)
    for part in ("table.js", "table-view.js", "table-story.js"):
        assert f'src="/static/js/{part}' in html
    assert f"/netwerk/data.json?gebied={nieuwegein.id}" in html
    assert f"/werksessies/{ws.id}/qr.svg" in html
    qr = client.get(f"/werksessies/{ws.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


def test_check_in_from_the_phone_puts_one_on_the_map(seeded, session, client, auth, make,
                                                      app):
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    me = make.professional(name="Rik Inchecker", areas=[nieuwegein])
    user = make.user(Role.MEDEWERKER, professional=me)
    session.commit()
    auth.login(user)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/werksessies/{ws.id}/inchecken")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      page.get_data(as_text=True))
    assert token, "check-in form with a CSRF token"
    # without a token nothing is written
    assert client.post(f"/werksessies/{ws.id}/inchecken").status_code == 400
    assert session.get(Attendance, (ws.id, me.id)) is None
    response = client.post(f"/werksessies/{ws.id}/inchecken",
                           data={"csrf_token": token.group(1)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Attendance, (ws.id, me.id)) is not None
    assert session.scalar(select(AuditEntry).where(
        AuditEntry.action == "werksessie.inchecken")) is not None
    data = _data(client, sessie=ws.id)
    assert f"p{me.id}" in {n["id"] for n in data["nodes"]}
    assert f"p{me.id}" in data["attendees"]

    # "we kennen elkaar nu" with someone at the table
    other = session.scalar(select(Attendance).where(Attendance.work_session_id == ws.id,
                                                    Attendance.professional_id != me.id))
    page = client.get(f"/werksessies/{ws.id}/inchecken").get_data(as_text=True)
    token = _csrf(page)
    response = client.post(f"/werksessies/{ws.id}/inchecken/lijntje", data={
        "lijntje-csrf_token": token, "lijntje-other_id": other.professional_id})
    assert response.status_code == 302
    low, high = sorted((me.id, other.professional_id))
    assert session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high)) is not None
    data = _data(client, sessie=ws.id)
    assert any({e["from"], e["to"]} == {f"p{me.id}", f"p{other.professional_id}"}
               for e in _edges(data))

    # invite a missing party by name (the page's fallback without scripts)
    wil = session.scalar(select(Organisation).where(Organisation.name == "Werk en Inkomen Lekstroom"))
    token = _csrf(page)
    response = client.post(f"/werksessies/{ws.id}/inchecken/uitnodiging", data={
        "uitnodiging-csrf_token": token, "uitnodiging-organisation_name": wil.name.upper()})
    assert response.status_code == 302
    session.expire_all()
    assert any(i.organisation_id == wil.id and i.inviter_id == me.id
               for i in session.get(WorkSession, ws.id).invitations)


def test_no_ties_for_someone_not_at_the_table_or_for_another(seeded, session, client, auth,
                                                             make, app):
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    me = make.professional(name="Sam Laatkomer", areas=[nieuwegein])
    stranger = make.professional(name="Vera Vreemd", areas=[nieuwegein])
    user = make.user(Role.MEDEWERKER, professional=me)
    session.commit()
    auth.login(user)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/werksessies/{ws.id}/inchecken").get_data(as_text=True)
    token = _csrf(page)
    other = session.scalar(select(Attendance).where(Attendance.work_session_id == ws.id))
    # not checked in: refused, nothing written
    response = client.post(f"/werksessies/{ws.id}/inchecken/lijntje", data={
        "lijntje-csrf_token": token, "lijntje-other_id": other.professional_id})
    assert response.status_code == 400
    assert "Check eerst in" in response.get_data(as_text=True)
    # a person who is not at the table is not offered, and refused when posted anyway
    client.post(f"/werksessies/{ws.id}/inchecken", data={"csrf_token": re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)})
    response = client.post(f"/werksessies/{ws.id}/inchecken/lijntje", data={
        "lijntje-csrf_token": token, "lijntje-other_id": stranger.id})
    assert response.status_code == 400
    low, high = sorted((me.id, stranger.id))
    assert session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high)) is None


def test_an_account_without_a_professional_cannot_check_in(seeded, session, client, auth,
                                                           make, app):
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    admin = make.user(Role.BEHEERDER)
    session.commit()
    auth.login(admin)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/werksessies/{ws.id}/inchecken")
    assert page.status_code == 200
    assert "hoort niet bij een professional" in page.get_data(as_text=True)
    token = _csrf(page.get_data(as_text=True))
    assert client.post(f"/werksessies/{ws.id}/inchecken",
                       data={"csrf_token": token}).status_code == 403


def test_report_shows_the_growth_and_draws_the_map(seeded, session, client, auth, users):
    auth.login(users["facilitator"])
    nieuwegein = _area(session, "Nieuwegein")
    ws = _sessions(session, nieuwegein)[-1]
    html = client.get(f"/netwerk/tafel/verslag?sessie={ws.id}").get_data(as_text=True)
    rows = re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>", html)
    assert [int(o) for o, _new in rows] == [4, 7, 11]
    assert [int(new) for _o, new in rows][1:] == [3, 4]
    assert html.count("<line ") > 3 and "Lister" in html


def test_a_warm_view_and_a_poll_read_no_ties(seeded, session, client, auth, users, app):
    """Once built, the table's data is answered from the cache: the statements of a warm
    view and of a poll never touch the ties (on PostgreSQL the fingerprint over the area's
    ties was the cost of every view)."""
    from sqlalchemy import event

    from netwerk.db import db

    auth.login(users["medewerker"])
    nieuwegein = _area(session, "Nieuwegein")
    first = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}")
    assert first.status_code == 200
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        warm = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}")
        poll = client.get(f"/netwerk/data.json?gebied={nieuwegein.id}",
                          headers={"If-None-Match": first.headers["ETag"]})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert warm.status_code == 200 and warm.get_json()["nodes"]
    assert poll.status_code == 304
    assert statements, "the data counter is asked"
    touching = [s for s in statements if re.search(r"\bties\b", s)]
    assert touching == [], touching
