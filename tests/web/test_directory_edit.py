"""Freshness: people edit their own details, a beheerder anyone's; saving verifies; stale records
are marked and listed; "klopt nog" confirms; a bad number is refused and nothing is half-saved."""

from __future__ import annotations

from datetime import timedelta

from netwerk.db import utcnow
from netwerk.directory.search import search


def _form(p, **changes):
    data = {"name": p.name, "role": p.role, "mobile": "0612345001", "landline": "",
            "email": "", "languages": "nl, en", "version": str(p.version)}
    data.update(changes)
    return data


def test_own_details_edited_and_verified(client, auth, users, session):
    me = users["medewerker"].professional
    me.verified_at = utcnow() - timedelta(days=400)
    session.commit()
    auth.login(users["medewerker"])
    assert client.get(f"/personen/{me.id}/bewerken").status_code == 200
    response = client.post(f"/personen/{me.id}/bewerken",
                           data=_form(me, role="buurtcoach", mobile="06-12 34 50 02"))
    assert response.status_code == 302
    session.expire_all()
    assert me.role == "buurtcoach"
    assert me.mobile == "+31612345002"
    assert me.languages == ["nl", "en"]
    assert utcnow() - me.verified_at < timedelta(minutes=1)
    assert "0612345002" in client.get(f"/personen/{me.id}").get_data(as_text=True).replace(" ", "")


def test_others_details_only_for_beheerder(client, auth, users, make, session):
    other = make.professional("Iemand Anders")
    session.commit()
    auth.login(users["coordinator"])
    assert client.get(f"/personen/{other.id}/bewerken").status_code == 403
    assert client.post(f"/personen/{other.id}/bewerken", data=_form(other)).status_code == 403
    assert client.post(f"/personen/{other.id}/klopt").status_code == 403
    auth.logout()
    auth.login(users["beheerder"])
    response = client.post(f"/personen/{other.id}/bewerken", data=_form(other, role="teamleider"))
    assert response.status_code == 302
    session.expire_all()
    assert other.role == "teamleider"


def test_organisatiebeheerder_edits_colleagues_not_outsiders(client, auth, users, make,
                                                            session):
    """The organisatiebeheerder keeps their organisation's people up to date (issue 17's
    scope), on the same form; a person of another organisation stays out of reach."""
    me = users["medewerker"].professional
    colleague = make.professional("Collega Lister", organisation=me.organisation)
    outsider = make.professional("Iemand Elders")
    manager = make.user(professional=make.professional("Beheer Lister",
                                                       organisation=me.organisation),
                        email="orgbeheer@example.org")
    manager.organisation_admin = True
    session.commit()
    auth.login(manager)
    page = client.get(f"/personen/{colleague.id}").get_data(as_text=True)
    assert f"/personen/{colleague.id}/bewerken" in page
    response = client.post(f"/personen/{colleague.id}/bewerken",
                           data=_form(colleague, role="wijkcoach"))
    assert response.status_code == 302
    assert client.get(f"/personen/{outsider.id}/bewerken").status_code == 403
    assert client.post(f"/personen/{outsider.id}/bewerken",
                       data=_form(outsider, role="gekaapt")).status_code == 403
    session.expire_all()
    assert colleague.role == "wijkcoach"
    assert outsider.role != "gekaapt"


def test_invalid_number_refused_nothing_half_saved(client, auth, users, session):
    me = users["medewerker"].professional
    old_mobile, old_role = me.mobile, me.role
    auth.login(users["medewerker"])
    response = client.post(f"/personen/{me.id}/bewerken",
                           data=_form(me, role="nieuwe functie", mobile="06-123"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Mobiel nummer:" in html and "geen geldig telefoonnummer" in html
    assert 'value="nieuwe functie"' in html  # the form keeps what was typed
    assert 'value="06-123"' in html
    session.expire_all()
    assert me.mobile == old_mobile and me.role == old_role


def test_landline_is_not_a_mobile(client, auth, users, session):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    response = client.post(f"/personen/{me.id}/bewerken", data=_form(me, mobile="030 123 4567"))
    assert response.status_code == 400
    assert "geen mobiel nummer" in response.get_data(as_text=True)


def test_stale_marked_listed_and_confirmed(app, client, auth, users, make, session):
    me = users["medewerker"].professional
    colleague = make.professional("Oud Gegeven", organisation=me.organisation)
    colleague.verified_at = utcnow() - timedelta(days=app.config["STALE_AFTER_DAYS"] + 1)
    session.commit()
    hit = search(session, "oud gegeven").people[0]
    assert hit.stale

    auth.login(users["medewerker"])
    listing = client.get("/verifieren").get_data(as_text=True)
    assert "Oud Gegeven" in listing
    profile = client.get(f"/personen/{colleague.id}").get_data(as_text=True)
    assert "verouderd" in profile
    auth.logout()

    auth.login(users["beheerder"])
    response = client.post(f"/personen/{colleague.id}/klopt", data={"next": "/verifieren"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/verifieren")
    session.expire_all()
    assert utcnow() - colleague.verified_at < timedelta(minutes=1)
    assert not search(session, "oud gegeven").people[0].stale
    assert "Alles is recent gecontroleerd" in client.get("/verifieren").get_data(as_text=True)


def test_klopt_nog_needs_csrf(app, client, auth, users):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/personen/{me.id}/klopt").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _version_on_page(client, prof_id) -> str:
    import re

    page = client.get(f"/personen/{prof_id}/bewerken").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_two_people_editing_one_record_the_stale_save_is_refused(app, client, auth, users,
                                                                  session):
    """Finding 8: the beheerder and Anouk open the same form; Anouk saves her new mobile
    number; the beheerder's save from the older form must not wipe it."""
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    other = app.test_client()
    other.post("/login", data={"email": users["beheerder"].email,
                               "password": "correct horse battery staple"})
    mine, theirs = _version_on_page(client, me.id), _version_on_page(other, me.id)
    assert mine == theirs
    first = client.post(f"/personen/{me.id}/bewerken",
                        data={**_form(me, mobile="0612345099"), "version": mine})
    assert first.status_code == 302
    stale = other.post(f"/personen/{me.id}/bewerken",
                       data={**_form(me, mobile="", role="teamleider"), "version": theirs})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "iemand anders heeft deze gegevens intussen gewijzigd" in html
    assert "06 12345099" in html or "0612345099" in html.replace(" ", "")  # current values
    assert "teamleider" in html  # what the beheerder typed, shown to enter again
    session.expire_all()
    assert me.mobile == "+31612345099" and me.role != "teamleider"
    # With the current version, the beheerder's save goes through.
    again = other.post(f"/personen/{me.id}/bewerken",
                       data={**_form(me, mobile="0612345099", role="teamleider"),
                             "version": _version_on_page(other, me.id)})
    assert again.status_code == 302
    session.expire_all()
    assert me.role == "teamleider" and me.mobile == "+31612345099"


def test_a_save_without_a_version_is_refused(client, auth, users, session):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    data = _form(me, role="zonder versie")
    del data["version"]
    assert client.post(f"/personen/{me.id}/bewerken", data=data).status_code == 409
    session.expire_all()
    assert me.role != "zonder versie"


def test_concurrent_saves_from_one_version_let_exactly_one_through(app, users, session):
    """The conditional UPDATE: of two saves made from the same version, one wins."""
    from netwerk.directory import operations
    from netwerk.models import Professional

    me_id = users["medewerker"].professional_id
    seen = session.get(Professional, me_id).version
    results = []
    for role in ("eerste", "tweede"):
        with app.app_context():
            from netwerk.db import db as inner

            prof = inner.session.get(Professional, me_id)
            data = operations.ProfessionalUpdate(
                name=prof.name, role=role, mobile=None, landline=None, email=None,
                languages=["nl"], area_ids=[], domain_ids=[], seen_version=seen)
            try:
                operations.update_professional(inner.session, prof, data)
                inner.session.commit()
                results.append(role)
            except operations.StaleEdit:
                inner.session.rollback()
    assert results == ["eerste"]
