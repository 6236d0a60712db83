"""Issue 12, findings 1-6, 17, 19 (HSDS is in test_interchange_hsds.py): each test reproduces
what an outsider could do before, and fails on the code before the fix (docs/security.md)."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta

from sqlalchemy import select

from netwerk.db import utcnow
from netwerk.models import (
    ApiToken,
    AuditEntry,
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    Case,
    CaseStatus,
    Role,
    Tie,
    TieKind,
    TieSource,
)
from tests.conftest import PASSWORD
from tests.web.access import build_world, untokened


def _login(app, user):
    client = app.test_client()
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 302, user.email
    return client


# -- finding 1: a claim note made for a case is case data ---------------------------------------


def test_claim_note_and_claimer_only_for_the_cases_people(app, session, make, seeded):
    world = build_world(session, make)
    cap = session.get(Capacity, world.ids["capacity"])
    session.add(CapacityEvent(capacity_id=cap.id, kind=CapacityEventKind.CLAIM, delta=0,
                              available_after=cap.available, maximum_after=cap.maximum,
                              case_id=world.ids["case"], user_id=world.users["coordinator"].id,
                              note="crisisopvang na huiselijk geweld"))
    session.commit()
    url = f"/plek/{cap.id}"
    inside = _login(app, world.users["coordinator"]).get(url).text
    assert "crisisopvang na huiselijk geweld" in inside and "Esther Kuipers" in inside
    for outsider in ("medewerker", "collega", "buitenstaander", "facilitator"):
        page = _login(app, world.users[outsider]).get(url).text
        assert "voor een casus" in page
        assert "crisisopvang na huiselijk geweld" not in page, outsider
        assert "Esther Kuipers" not in page, outsider  # who claimed for a case is case data


def test_purge_removes_claim_notes_and_the_purged_ids_from_the_audit_log(app, session, make,
                                                                         seeded):
    from netwerk.matching.operations import purge_closed_cases

    world = build_world(session, make)
    case = session.get(Case, world.ids["case"])
    case_id = case.id
    session.add(AuditEntry(user_id=None, action="list", object_type="case",
                           detail={"case_ids": [case_id, world.ids["other_case"]]}))
    case.status, case.closed_at = CaseStatus.GESLOTEN, utcnow() - timedelta(days=400)
    session.commit()
    purge_closed_cases(session, 90)
    session.commit()
    session.expire_all()
    assert session.get(Case, case_id) is None
    notes = session.scalars(select(CapacityEvent.note).where(
        CapacityEvent.capacity_id == world.ids["capacity"])).all()
    assert "voor de casus" not in notes
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "case")):
        assert entry.object_id != case_id
        assert case_id not in (entry.detail or {}).get("case_ids", [])
    listed = session.scalar(select(AuditEntry).where(AuditEntry.action == "list"))
    assert listed.detail["case_ids"] == [world.ids["other_case"]]


# -- finding 2: small counts and the origin of ties ------------------------------------------------

def test_open_case_counts_below_the_minimum_are_left_out_for_outsiders(app, session, make):
    from netwerk.matching.operations import Intake, register_case
    from netwerk.models import NeedWeight, Urgency
    from netwerk.network.queries import open_need_counts

    wijk = make.area()
    need = make.domain("huiselijk_geweld")
    coordinator = make.professional()
    coord_user = make.user(Role.COORDINATOR, professional=coordinator)
    outsider = make.user(Role.MEDEWERKER, professional=make.professional())
    admin = make.user(Role.BEHEERDER)

    def intake():
        register_case(session, coordinator.id, Intake(area_id=wijk.id, urgency=Urgency.CRISIS,
                                                      needs={need.id: NeedWeight.PRIMAIR}))
    intake()
    session.commit()
    assert open_need_counts(session, wijk.id) == {"huiselijk_geweld": 1}
    assert open_need_counts(session, wijk.id, viewer=outsider, minimum=5) == {}
    assert open_need_counts(session, wijk.id, viewer=coord_user, minimum=5) == \
        {"huiselijk_geweld": 1}  # she sees every case counted
    assert open_need_counts(session, wijk.id, viewer=admin, minimum=5) == {"huiselijk_geweld": 1}
    for _ in range(4):
        intake()
    session.commit()
    assert open_need_counts(session, wijk.id, viewer=outsider, minimum=5) == \
        {"huiselijk_geweld": 5}
    app.config["NETWERK_MIN_COUNT"] = 6
    page = _login(app, outsider).get(f"/netwerk?gebied={wijk.id}").text
    assert "(5)" not in page


def test_exports_leave_out_where_a_case_tie_came_from_for_outsiders(app, session, make, seeded):
    world = build_world(session, make)
    case = session.get(Case, world.ids["case"])
    a, b = sorted((world.ids["paul"], case.coordinator_id))
    existing = session.scalar(select(Tie).where(Tie.a_id == a, Tie.b_id == b))
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(Tie(a_id=a, b_id=b, kind=TieKind.WERKT_SAMEN, source=TieSource.CASUS,
                    case_id=case.id, since=date(2026, 3, 14)))
    session.commit()
    area = case.area_id
    for ext in ("graphml", "gexf"):
        url = f"/netwerk/export.{ext}?gebied={area}&niveau=professionals"
        inside = _login(app, world.users["coordinator"]).get(url)
        assert inside.status_code == 200
        assert "2026-03-14" in inside.text and "casus" in inside.text, ext
        for outsider in ("medewerker", "collega", "buitenstaander"):
            body = _login(app, world.users[outsider]).get(url).text
            assert "2026-03-14" not in body, (ext, outsider)
            assert ">casus<" not in body and '"casus"' not in body, (ext, outsider)
        org = _login(app, world.users["medewerker"]).get(
            f"/netwerk/export.{ext}?gebied={area}").text
        assert "2026-03-14" not in org


# -- finding 3: 404 alike, audited; references never reused --------------------------------------

def test_a_case_one_may_not_see_answers_like_a_missing_one_and_is_audited(app, session, make,
                                                                         seeded):
    world = build_world(session, make)
    client = _login(app, world.users["collega"])
    hidden = client.get(f"/casussen/{world.ids['case']}")
    missing = client.get("/casussen/999999")
    assert hidden.status_code == missing.status_code == 404
    # Alike but for the per-request CSRF token (signed with the second it was made in).
    assert untokened(hidden.text) == untokened(missing.text)
    refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [(e.user_id, e.object_id) for e in refused] == \
        [(world.users["collega"].id, world.ids["case"])]


def test_references_are_never_issued_again_after_a_purge(app, session, make):
    from netwerk.matching.operations import Intake, purge_closed_cases, register_case
    from netwerk.models import NeedWeight, Urgency

    wijk, need, coord = make.area(), make.domain(), make.professional()

    def intake():
        return register_case(session, coord.id, Intake(
            area_id=wijk.id, urgency=Urgency.REGULIER, needs={need.id: NeedWeight.PRIMAIR}))[0]
    first, second = intake(), intake()
    refs = [first.reference, second.reference]
    for case in (first, second):
        case.status, case.closed_at = CaseStatus.GESLOTEN, utcnow() - timedelta(days=400)
    session.commit()
    purge_closed_cases(session, 90)
    session.commit()
    third = intake()
    session.commit()
    assert third.reference not in refs
    assert int(third.reference.rsplit("-", 1)[1]) == int(refs[1].rsplit("-", 1)[1]) + 1


# -- finding 4: sign-out ends the session on the server ----------------------------------------

def test_a_copied_cookie_stops_working_after_sign_out(app, session, users):
    user = users["medewerker"]
    client = _login(app, user)
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/zoeken?q=lister").status_code == 200
    client.post("/logout")
    assert thief.get("/zoeken?q=lister").status_code == 302  # to the sign-in page


def test_sign_out_everywhere_ends_every_session(app, session, users):
    user = users["medewerker"]
    phone, laptop = _login(app, user), _login(app, user)
    token = laptop.get("/account/wachtwoord").text.split('name="csrf_token" type="hidden" value="')
    laptop.post("/account/overal-afmelden", data={})
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    del token


# -- finding 5: API tokens -------------------------------------------------------------------------

def _bearer(client, token):
    return client.get("/api/v1/areas", headers={"Authorization": f"Bearer {token}"})


def test_tokens_are_named_expire_and_end_with_a_password_change_or_sign_out(app, session,
                                                                          users, client):
    from netwerk.api.tokens import create_token

    user = users["medewerker"]
    token = create_token(session, user, "Excel-koppeling")
    session.commit()
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.name == "Excel-koppeling"
    assert row.expires_at - row.created_at == timedelta(days=90)
    assert _bearer(client, token).status_code == 200
    session.expire_all()
    assert session.get(ApiToken, row.id).last_used_at is not None
    page = _login(app, user).get("/api-token").text
    assert "Excel-koppeling" in page
    # Expired: refused.
    row = session.get(ApiToken, row.id)
    row.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert _bearer(client, token).status_code == 401
    # A password change revokes.
    token = create_token(session, user, "tweede")
    session.commit()
    signed_in = _login(app, user)
    r = signed_in.post("/account/wachtwoord", data={"current": PASSWORD,
                                                   "new": "een heel ander wachtwoord 42",
                                                   "again": "een heel ander wachtwoord 42"})
    assert r.status_code == 303
    assert _bearer(client, token).status_code == 401
    # Sign out everywhere revokes.
    token = create_token(session, user, "derde")
    session.commit()
    assert _bearer(client, token).status_code == 200
    signed_in.post("/account/overal-afmelden")
    assert _bearer(client, token).status_code == 401


def test_token_lifetime_is_configurable(app, session, users):
    app.config["API_TOKEN_LIFETIME_DAYS"] = 7
    client = _login(app, users["coordinator"])
    assert client.post("/api-token", data={"create": "1", "name": "kort"}).status_code == 200
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == users["coordinator"].id))
    assert row.name == "kort" and row.expires_at - row.created_at == timedelta(days=7)


# -- finding 6: restore ends sessions and tokens; backups 0600 -----------------------------------

def test_restore_ends_every_session_and_token_and_backups_are_private(app, session, users,
                                                                       runner, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        import shutil

        import pytest
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump not installed")
    from netwerk.api.tokens import create_token

    user = users["medewerker"]
    client = _login(app, user)
    token = create_token(session, user, "voor de back-up")
    session.commit()
    target = tmp_path / "backup.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert "afgemeld" in result.output
    assert client.get("/").status_code == 302
    assert _bearer(app.test_client(), token).status_code == 401


# -- finding 17: refused access and failed sign-ins audited; /beheer/audit ------------------------

def test_failed_sign_ins_are_audited_without_the_typed_text(app, session, users, client):
    client.post("/login", data={"email": users["medewerker"].email, "password": "fout-wachtwoord"})
    client.post("/login", data={"email": "geheim-wachtwoord@netwerk.example", "password": "x"})
    failed = session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")
                             .order_by(AuditEntry.id)).all()
    assert [e.user_id for e in failed] == [users["medewerker"].id, None]
    assert "geheim-wachtwoord" not in repr([e.detail for e in failed])


def test_the_audit_page_shows_filters_pages_and_exports(app, session, make, seeded):
    world = build_world(session, make)
    _login(app, world.users["collega"]).get(f"/casussen/{world.ids['case']}")
    _login(app, world.users["coordinator"]).get(f"/casussen/{world.ids['case']}")
    app.test_client().post("/login", data={"email": world.users["medewerker"].email,
                                           "password": "mis"})
    admin = _login(app, world.users["beheerder"])
    page = admin.get("/beheer/audit").text
    assert "collega@matrix.example" in page and "Nicole van Rijn" in page
    assert "geweigerd" in page and "aanmelden mislukt" in page and "bekeken" in page
    assert "NWG-2026-0001" in page
    only = admin.get("/beheer/audit?wat=refused").text
    assert "collega@matrix.example" in only and "coordinator@matrix.example" not in only
    by_case = admin.get("/beheer/audit?casus=nwg-2026-0001&wie=kuipers").text
    assert "coordinator@matrix.example" in by_case and "collega@matrix.example" not in by_case
    today = date.today().isoformat()
    assert "bekeken" in admin.get(f"/beheer/audit?van={today}&tot={today}").text
    assert "collega" not in admin.get("/beheer/audit?van=2000-01-01&tot=2000-01-02").text
    assert admin.get("/beheer/audit?van=gisteren").status_code == 400
    assert admin.get("/beheer/audit?wat=iets").status_code == 400
    csv_text = admin.get("/beheer/audit.csv?wat=refused").text
    assert "collega@matrix.example" in csv_text and "NWG-2026-0001" in csv_text
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "audit_export")
                          .where(AuditEntry.user_id == world.users["beheerder"].id))
    # Pages of 50.
    for _ in range(60):
        session.add(AuditEntry(user_id=world.users["medewerker"].id, action="login",
                               object_type="user"))
    session.commit()
    first = admin.get("/beheer/audit?wat=login").text
    assert "Pagina 1 van 2" in first
    assert "Pagina 2 van 2" in admin.get("/beheer/audit?wat=login&pagina=2").text
    assert _login(app, world.users["medewerker"]).get("/beheer/audit").status_code == 403




def test_references_from_concurrent_intakes_are_all_different(app, session):
    """Three transactions asking for the first reference of a year at once (the counter row
    does not exist yet): each gets its own number, none fails."""
    import threading

    from sqlalchemy.orm import Session as OrmSession

    from netwerk.db import db
    from netwerk.matching.operations import next_reference

    engine = db.engine
    barrier = threading.Barrier(3)
    got, errors = [], []

    def work():
        with OrmSession(engine) as s:
            try:
                barrier.wait(timeout=10)
                got.append(next_reference(s, 2031))
                s.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(got) == ["NWG-2031-0001", "NWG-2031-0002", "NWG-2031-0003"]
