"""Numbers people can trust: "klopt niet" on people and organisations, the queue of their
owners, "klopt nog"/"klopt toch", edits closing reports, the change history (owner and
beheerders only) and the freshness figure per organisation."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from netwerk.db import utcnow
from netwerk.directory import operations, queries
from netwerk.interchange.importer import Source, run_import
from netwerk.models import Change, RecordReport, ReportResolution, Role


def _open(session, **where) -> list[RecordReport]:
    session.expire_all()
    query = select(RecordReport).where(RecordReport.resolved_at.is_(None))
    for column, value in where.items():
        query = query.where(getattr(RecordReport, column) == value)
    return list(session.scalars(query))


def _world(make, session):
    """An organisation with Paul (who has an account), its organisatiebeheerder, and an
    outsider of another organisation."""
    org = make.organisation(name="Lister Test", phone="0302345678")
    paul = make.professional(name="Paul Dood Nummer", organisation=org, mobile="0612340001")
    colleague = make.professional(name="Collega Lister", organisation=org)
    paul_user = make.user(Role.MEDEWERKER, professional=paul, email="paul@test.example")
    admin = make.user(Role.MEDEWERKER, professional=colleague, email="oadmin@test.example")
    admin.organisation_admin = True
    outsider = make.user(Role.COORDINATOR, professional=make.professional(name="Buiten Staander"),
                         email="buiten@test.example")
    reporter = make.user(Role.MEDEWERKER, professional=make.professional(name="Melder Een"),
                         email="melder@test.example")
    beheerder = make.user(Role.BEHEERDER, email="beheer@test.example")
    session.commit()
    return {"org": org, "paul": paul, "paul_user": paul_user, "admin": admin,
            "outsider": outsider, "reporter": reporter, "beheerder": beheerder}


def test_a_medewerker_reports_a_dead_number_and_everyone_sees_the_banner(client, auth, make,
                                                                         session):
    w = _world(make, session)
    page = f"/personen/{w['paul'].id}"
    auth.login(w["reporter"])
    html = client.get(page).get_data(as_text=True)
    assert "Klopt niet?" in html and "Gemeld als mogelijk onjuist" not in html
    response = client.post(f"{page}/klopt-niet",
                           data={"reason": "nummer_werkt_niet", "note": "Krijg geen gehoor"})
    assert response.status_code == 303 and response.headers["Location"].endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert "Gemeld als mogelijk onjuist" in html and "Nummer werkt niet" in html
    assert "Jij hebt dit gemeld" in html
    # Another signed-in person sees the banner and the reason, not the remark nor who.
    auth.logout()
    auth.login(w["outsider"])
    html = client.get(page).get_data(as_text=True)
    assert "Gemeld als mogelijk onjuist" in html and "Nummer werkt niet" in html
    assert "Krijg geen gehoor" not in html and "Melder Een" not in html
    assert "Klopt toch" not in html and "Klopt nog" not in html


def test_one_open_report_per_reporter_per_record(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["reporter"])
    url = f"/personen/{w['paul'].id}/klopt-niet"
    for _ in range(3):
        assert client.post(url, data={"reason": "andere_functie"}).status_code == 303
    assert len(_open(session, professional_id=w["paul"].id)) == 1
    # Someone else may report the same record too.
    auth.logout()
    auth.login(w["outsider"])
    client.post(url, data={"reason": "werkt_hier_niet_meer"})
    assert len(_open(session, professional_id=w["paul"].id)) == 2


def test_reports_are_rate_limited_per_user(app, client, auth, make, session):
    w = _world(make, session)
    others = [make.professional() for _ in range(4)]
    session.commit()
    app.config["REPORT_RATE_LIMIT"] = "3 per hour"
    auth.login(w["reporter"])
    answers = [client.post(f"/personen/{p.id}/klopt-niet", data={"reason": "anders",
                                                                 "note": "oud"}).status_code
               for p in others]
    assert answers == [303, 303, 303, 429]
    assert len(_open(session)) == 3


def test_bad_input_gets_a_dutch_message_and_nothing_is_stored(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["reporter"])
    url = f"/personen/{w['paul'].id}/klopt-niet"
    cases = [
        ({}, "kies wat er niet klopt"),
        ({"reason": "weet ik veel"}, "kies wat er niet klopt"),
        ({"reason": "anders"}, "schrijf kort wat er niet klopt"),
        ({"reason": "anders", "note": "x" * 201}, "Toelichting"),
        ({"reason": "anders", "note": "bel\x1bme"}, "Ongeldig teken"),
        ({"reason": "anders", "note": "cliënt woont Dorpsstraat 12, 3431 AB"}, "cliënten"),
        ({"reason": "anders", "note": "BSN 111222333 zei dat"}, "cliënten"),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in html, (data, html[html.find("field-error"):][:300])
        assert "<details" in html and " open" in html  # the form stays open with the message
    assert _open(session) == []
    # A number in the remark is fine: a report about a number may give the right one.
    ok = client.post(url, data={"reason": "nummer_werkt_niet",
                                "note": "nieuw nummer is 06 12345679"})
    assert ok.status_code == 303
    assert _open(session)[0].note == "nieuw nummer is 06 12345679"


def test_report_note_is_escaped(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["reporter"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet",
                data={"reason": "anders", "note": "<script>window.__xss=1</script>"})
    auth.logout()
    auth.login(w["paul_user"])
    html = client.get("/verifieren/meldingen").get_data(as_text=True)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<script>window.__xss" not in html


def test_the_owner_sees_the_queue_and_resolves_klopt_toch(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["reporter"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet", data={"reason": "nummer_werkt_niet"})
    client.post(f"/organisaties/{w['org'].id}/klopt-niet",
                data={"reason": "anders", "note": "Hoofdnummer is veranderd"})
    report = _open(session, professional_id=w["paul"].id)[0]
    org_report = _open(session, organisation_id=w["org"].id)[0]
    assert operations.report_filed(session, report) == [w["paul_user"], w["admin"]]
    auth.logout()
    # Paul sees the report on himself, not the organisation's.
    auth.login(w["paul_user"])
    html = client.get("/verifieren/meldingen").get_data(as_text=True)
    assert f'data-report-id="{report.id}"' in html
    assert f'data-report-id="{org_report.id}"' not in html
    assert "(1)" in client.get("/verifieren").get_data(as_text=True)
    response = client.post(f"/verifieren/meldingen/{report.id}/klopt-toch")
    assert response.status_code == 303
    assert _open(session, professional_id=w["paul"].id) == []
    session.expire_all()
    done = session.get(RecordReport, report.id)
    assert done.resolution == ReportResolution.KLOPT_TOCH
    assert done.resolved_by_id == w["paul_user"].id
    assert "Gemeld als mogelijk onjuist" not in client.get(
        f"/personen/{w['paul'].id}").get_data(as_text=True)
    # Resolving twice changes nothing and says so.
    again = client.post(f"/verifieren/meldingen/{report.id}/klopt-toch",
                        follow_redirects=True)
    assert "al afgehandeld" in again.get_data(as_text=True)
    auth.logout()
    # The organisatiebeheerder sees the organisation's report.
    auth.login(w["admin"])
    html = client.get("/verifieren/meldingen").get_data(as_text=True)
    assert f'data-report-id="{org_report.id}"' in html and "Hoofdnummer is veranderd" in html


def test_an_outsider_can_neither_see_nor_resolve_a_report(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["reporter"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet",
                data={"reason": "anders", "note": "geheim briefje"})
    report = _open(session)[0]
    auth.logout()
    for user in (w["outsider"], w["reporter"]):
        auth.login(user)
        html = client.get("/verifieren/meldingen").get_data(as_text=True)
        assert "geheim briefje" not in html and f'data-report-id="{report.id}"' not in html
        assert client.post(f"/verifieren/meldingen/{report.id}/klopt-toch").status_code == 403
        assert client.post(f"/personen/{w['paul'].id}/klopt").status_code == 403
        auth.logout()
    assert len(_open(session)) == 1
    auth.login(w["beheerder"])
    assert client.post("/verifieren/meldingen/999999/klopt-toch").status_code == 404
    assert client.post(f"/verifieren/meldingen/{report.id}/klopt-toch").status_code == 303
    assert _open(session) == []


def test_klopt_nog_by_the_organisatiebeheerder_closes_reports(client, auth, make, session):
    w = _world(make, session)
    paul = w["paul"]
    paul.verified_at = utcnow() - timedelta(days=400)
    session.commit()
    auth.login(w["reporter"])
    client.post(f"/personen/{paul.id}/klopt-niet", data={"reason": "andere_functie"})
    auth.logout()
    auth.login(w["admin"])
    html = client.get("/verifieren").get_data(as_text=True)
    item = html[html.find(f'data-professional-id="{paul.id}"'):]
    assert "Klopt nog" in item[:1500]
    assert client.post(f"/personen/{paul.id}/klopt").status_code == 302
    assert _open(session) == []
    session.expire_all()
    assert not queries.is_stale(session.get(type(paul), paul.id), 180)


def test_verifieren_offers_a_medewerker_klopt_niet_instead_of_a_dead_button(client, auth, make,
                                                                             session):
    w = _world(make, session)
    colleague = make.professional(name="Oude Gegevens", organisation=w["org"],
                                  verified_at=utcnow() - timedelta(days=400))
    session.commit()
    auth.login(w["paul_user"])  # a medewerker of the same organisation, not its beheerder
    html = client.get("/verifieren").get_data(as_text=True)
    item = html[html.find(f'data-professional-id="{colleague.id}"'):][:3000]
    assert "Klopt nog" not in item
    assert f'action="/personen/{colleague.id}/klopt-niet"' in item
    assert "Eén klik bevestigt" not in html
    response = client.post(f"/personen/{colleague.id}/klopt-niet",
                           data={"reason": "werkt_hier_niet_meer", "next": "/verifieren"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/verifieren")
    assert len(_open(session, professional_id=colleague.id)) == 1


def test_editing_oneself_records_history_and_closes_reports(client, auth, make, session):
    w = _world(make, session)
    paul = w["paul"]
    auth.login(w["reporter"])
    client.post(f"/personen/{paul.id}/klopt-niet", data={"reason": "nummer_werkt_niet"})
    auth.logout()
    auth.login(w["paul_user"])
    response = client.post(f"/personen/{paul.id}/bewerken", data={
        "name": paul.name, "role": "ambulant begeleider", "mobile": "06 12340099",
        "landline": "", "email": "", "languages": "nl", "version": str(paul.version)})
    assert response.status_code == 302
    assert _open(session) == []
    session.expire_all()
    changes = {c.field: c for c in session.scalars(
        select(Change).where(Change.object_type == "professionals",
                             Change.object_id == paul.id))}
    assert changes["mobile"].old == "06 12340001" and changes["mobile"].new == "06 12340099"
    assert changes["role"].new == "ambulant begeleider"
    assert changes["mobile"].user_id == w["paul_user"].id
    assert "name" not in changes  # unchanged fields are not listed
    html = client.get(f"/personen/{paul.id}").get_data(as_text=True)
    assert "Wijzigingsgeschiedenis" in html and "06 12340099" in html


def test_history_is_shown_to_owner_and_beheerders_only(client, auth, make, session):
    w = _world(make, session)
    paul, org = w["paul"], w["org"]
    from netwerk.history import record_change

    record_change(session, w["beheerder"], paul, "mobile", "06 11111111", "06 12340001")
    record_change(session, w["beheerder"], org, "phone", "030 1111111", "030 2345678")
    session.commit()
    seen = {}
    for key in ("paul_user", "admin", "beheerder", "outsider", "reporter"):
        auth.login(w[key])
        person = client.get(f"/personen/{paul.id}").get_data(as_text=True)
        organisation = client.get(f"/organisaties/{org.id}").get_data(as_text=True)
        seen[key] = ("06 11111111" in person, "030 1111111" in organisation,
                     "Wijzigingsgeschiedenis" in person)
        auth.logout()
    assert seen == {"paul_user": (True, False, True), "admin": (True, True, True),
                    "beheerder": (True, True, True), "outsider": (False, False, False),
                    "reporter": (False, False, False)}


def test_the_import_records_changes_and_closes_reports(session, make):
    w = _world(make, session)
    paul = w["paul"]
    paul.external_id, w["org"].external_id = "paul-dood", "lister-test"
    session.commit()
    operations.file_report(session, w["reporter"], reason="nummer_werkt_niet", professional=paul)
    session.commit()
    wijk = make.area(name="Batau Test")
    wijk.external_id = "batau-test"
    session.commit()
    data = {"professionals": [{"key": "paul-dood", "organisation_key": "lister-test",
                               "name": paul.name, "role": paul.role, "mobile": "0612340077",
                               "wijken": "batau-test"}]}
    report = run_import(session, [Source("import.json", json.dumps(data).encode())],
                        user=w["beheerder"])
    assert report.ok and report.applied
    session.commit()
    changes = {c.field: c for c in queries.history(session, "professionals", paul.id)}
    assert changes["mobile"].old == "06 12340001" and changes["mobile"].new == "06 12340077"
    assert changes["wijken"].new == "batau-test"
    assert changes["mobile"].user_id == w["beheerder"].id
    assert _open(session) == []
    # The same file again changes nothing and records nothing.
    before = session.scalar(select(func.count(Change.id)))
    run_import(session, [Source("import.json", json.dumps(data).encode())])
    session.commit()
    assert session.scalar(select(func.count(Change.id))) == before


def test_beheer_edit_records_history_once_and_closes_reports(client, auth, make, session):
    w = _world(make, session)
    org = w["org"]
    operations.file_report(session, w["reporter"], reason="anders", note="oud nummer",
                           organisation=org)
    session.commit()
    auth.login(w["admin"])
    values = client.get(f"/beheer/organisaties/{org.id}").status_code
    assert values == 200
    response = client.post(f"/beheer/organisaties/{org.id}",
                           data={"name": org.name, "sector": "zorg", "phone": "030 2345679"})
    assert response.status_code == 303
    assert _open(session) == []
    phone_changes = [c for c in queries.history(session, "organisations", org.id)
                     if c.field == "phone"]
    assert len(phone_changes) == 1 and phone_changes[0].new == "030 234 5679"


def test_freshness_per_organisation(client, auth, make, session):
    w = _world(make, session)
    org = w["org"]
    old = utcnow() - timedelta(days=300)
    make.professional(organisation=org, verified_at=old)
    session.commit()
    figure = queries.organisation_freshness(session, org.id, 180)
    assert (figure.total, figure.fresh, figure.percent) == (3, 2, 66)
    assert abs((figure.oldest - old).total_seconds()) < 1
    auth.login(w["outsider"])
    html = client.get(f"/organisaties/{org.id}").get_data(as_text=True)
    assert 'data-fresh="2" data-total="3"' in html and "66%" in html
    auth.logout()
    auth.login(w["beheerder"])
    html = client.get("/verifieren").get_data(as_text=True)
    assert f'data-organisation-id="{org.id}"' in html


def test_two_taps_at_once_make_one_report(app, make, session):
    w = _world(make, session)
    first = operations.file_report(session, w["reporter"], reason="anders", note="a",
                                   professional=w["paul"])
    second = operations.file_report(session, w["reporter"], reason="anders", note="b",
                                    professional=w["paul"])
    session.commit()
    assert first.new and not second.new and first.report.id == second.report.id
    # The database refuses a second open report even past the check.
    from sqlalchemy.exc import IntegrityError

    session.add(RecordReport(reporter_id=w["reporter"].id, professional_id=w["paul"].id,
                             reason="anders", note="c"))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
    else:
        raise AssertionError("a second open report by the same reporter was stored")


def test_an_organisations_history_stands_once_in_the_page_body(client, auth, make, session):
    """The page's <title> is the organisation's name; the history is one section (its id once)."""
    import re

    w = _world(make, session)
    from netwerk.history import record_change

    record_change(session, w["beheerder"], w["org"], "phone", "030 1111111", "030 2345678")
    session.commit()
    auth.login(w["beheerder"])
    html = client.get(f"/organisaties/{w['org'].id}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.split("·")[0].strip() == w["org"].name
    head = html.split("</head>", 1)[0]
    assert "030 1111111" not in head
    assert html.count("030 1111111") == 1
