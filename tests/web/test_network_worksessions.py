"""Work sessions: facilitators record them; everyone signed in can follow the growth."""

from __future__ import annotations

import re

from sqlalchemy import select

from netwerk.models import (
    Area,
    AreaKind,
    Attendance,
    Invitation,
    Professional,
    Tie,
    TieSource,
    WorkSession,
)


def _nieuwegein(session):
    return session.scalar(select(Area).where(Area.name == "Nieuwegein"))


def _person(session, name):
    return session.scalar(select(Professional).where(Professional.name == name))


def test_everyone_signed_in_sees_sessions_only_facilitators_create(seeded, client, auth, users):
    auth.login(users["medewerker"])
    listing = client.get("/werksessies").get_data(as_text=True)
    assert "Werksessie 1: kennismaken en agenda bepalen" in listing
    assert "Nieuwe werksessie" not in listing
    assert client.get("/werksessies/nieuw").status_code == 403
    assert client.post("/werksessies/nieuw", data={"title": "x"}).status_code == 403
    auth.logout()
    auth.login(users["facilitator"])
    assert "Nieuwe werksessie" in client.get("/werksessies").get_data(as_text=True)


def test_facilitator_creates_a_session_and_records_attendance_invitation_and_tie(
        seeded, session, client, auth, users):
    nieuwegein = _nieuwegein(session)
    auth.login(users["facilitator"])
    response = client.post("/werksessies/nieuw", data={
        "title": "Werksessie 4: zorgmijders", "date": "2026-11-30",
        "area_id": str(nieuwegein.id), "notes": "Met de verslavingszorg erbij."})
    assert response.status_code == 302
    ws = session.scalar(select(WorkSession).where(WorkSession.title.like("Werksessie 4%")))
    anouk, gert_jan = _person(session, "Anouk Verbeek"), _person(session, "Gert-Jan Pauw")
    henk = _person(session, "Henk van Dijk")
    assert client.post(f"/werksessies/{ws.id}/aanwezig", data={
        "aanwezig-professional_id": anouk.id, "aanwezig-invited_by_id": 0}).status_code == 302
    assert client.post(f"/werksessies/{ws.id}/aanwezig", data={
        "aanwezig-professional_id": gert_jan.id,
        "aanwezig-invited_by_id": henk.id}).status_code == 302
    attendance = session.get(Attendance, (ws.id, gert_jan.id))
    assert attendance.invited_by_id == henk.id

    victas = session.scalar(select(Invitation).where(Invitation.note.like("Verslaving%")))
    response = client.post(f"/werksessies/{ws.id}/uitnodiging", data={
        "uitnodiging-inviter_id": gert_jan.id,
        "uitnodiging-organisation_id": victas.organisation_id,
        "uitnodiging-professional_id": 0,
        "uitnodiging-note": "Wie komt er mee naar de zorgmijders?"})
    assert response.status_code == 302
    response = client.post(f"/werksessies/{ws.id}/lijntje", data={
        "lijntje-a_id": anouk.id, "lijntje-b_id": gert_jan.id, "lijntje-kind": "kent"})
    assert response.status_code == 302
    low, high = sorted((anouk.id, gert_jan.id))
    tie = session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high))
    assert tie is not None
    if tie.work_session_id == ws.id:  # a new tie: made at this session
        assert tie.source == TieSource.WERKSESSIE

    page = client.get(f"/werksessies/{ws.id}").get_data(as_text=True)
    assert "kwam op uitnodiging van Henk van Dijk" in page
    assert "Wie komt er mee naar de zorgmijders?" in page


def test_bad_input_names_the_field_and_saves_nothing(seeded, session, client, auth, users):
    nieuwegein = _nieuwegein(session)
    auth.login(users["facilitator"])
    page = client.post("/werksessies/nieuw", data={"title": "", "date": "morgen",
                                                   "area_id": str(nieuwegein.id)})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Titel: vul een titel in." in html
    assert "Datum: &#39;morgen&#39; is geen datum (dd-mm-jjjj)." in html
    assert session.scalar(select(WorkSession).where(WorkSession.title == "")) is None

    ws = session.scalar(select(WorkSession).order_by(WorkSession.date))
    outsider = _person(session, "Petra Groenewegen")  # not at session 1
    anouk = _person(session, "Anouk Verbeek")
    before = session.scalar(select(Tie.id).order_by(Tie.id.desc()))
    response = client.post(f"/werksessies/{ws.id}/lijntje", data={
        "lijntje-a_id": anouk.id, "lijntje-b_id": outsider.id, "lijntje-kind": "kent"})
    assert response.status_code == 400
    # the outsider is not even offered at session 1
    assert "Tweede persoon: kies een waarde uit de lijst." in response.get_data(as_text=True)
    assert session.scalar(select(Tie.id).order_by(Tie.id.desc())) == before
    response = client.post(f"/werksessies/{ws.id}/aanwezig", data={
        "aanwezig-professional_id": anouk.id, "aanwezig-invited_by_id": anouk.id})
    assert response.status_code == 400
    assert "iemand nodigt zichzelf niet uit" in response.get_data(as_text=True)


def test_second_session_shows_who_came_because_of_whom(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    second = session.scalars(select(WorkSession).order_by(WorkSession.date)).all()[1]
    html = client.get(f"/werksessies/{second.id}").get_data(as_text=True)
    assert "Sandra Willems" in html
    assert re.search(r"kwam op uitnodiging van Erik Mulder", html)
    assert "Nieuw aan tafel" in html
    new = html.split("Nieuw aan tafel")[1].split("</ul>")[0]
    assert {"Portaal", "Mitros", "Jutphaas Wonen"} <= set(re.findall(r'<li class="new">([^<]+)</li>', new))
    assert "Uitnodigingen van de vorige sessie die zijn gekomen" in html


def test_growth_page_shows_four_seven_eleven(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    nieuwegein = _nieuwegein(session)
    html = client.get(f"/werksessies/groei?gebied={nieuwegein.id}").get_data(as_text=True)
    assert "4 → 7 → 11 organisaties" in html
    third = html.split('id="h-frame-3"')[1]
    new = set(re.findall(r'<li class="new">([^<]+)</li>', third))
    assert {"Geynwijs", "Altrecht"} <= new
    assert "Lister" not in new


def test_a_session_for_an_area_without_sessions(session, client, auth, users, make):
    area = make.area(kind=AreaKind.GEMEENTE, name="Lopik")
    session.commit()
    auth.login(users["medewerker"])
    html = client.get(f"/werksessies/groei?gebied={area.id}").get_data(as_text=True)
    assert "Nog geen werksessies in Lopik." in html


def test_operations_refuse_what_did_not_happen(seeded, session):
    import pytest

    from netwerk.network import operations

    first = session.scalar(select(WorkSession).order_by(WorkSession.date))
    anouk, petra = _person(session, "Anouk Verbeek"), _person(session, "Petra Groenewegen")
    with pytest.raises(operations.WorkSessionError, match="was niet bij deze sessie"):
        operations.record_tie(session, first, anouk.id, petra.id)
    with pytest.raises(operations.WorkSessionError, match="alleen wie bij de sessie was"):
        operations.record_invitation(session, first, petra.id, petra.organisation_id)
    with pytest.raises(operations.WorkSessionError, match="werkt niet bij"):
        operations.record_invitation(session, first, anouk.id, petra.organisation_id,
                                       professional_id=anouk.id)
    with pytest.raises(operations.WorkSessionError, match="Titel"):
        operations.create_session(session, "  ", first.date, first.area_id)
    # an existing tie is left as it was made
    erik, samira = _person(session, "Erik Mulder"), _person(session, "Samira Bouzid")
    low, high = sorted((erik.id, samira.id))
    existing = session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high))
    if existing is not None:
        assert operations.record_tie(session, first, erik.id, samira.id) is existing
