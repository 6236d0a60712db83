"""Person, organisation and wijk pages; photos; vCards and QR codes; the smoelenboek."""

from __future__ import annotations

import io

import vobject
from PIL import Image

from netwerk.models import (
    Case,
    CaseInvolvement,
    EligibilityRule,
    RuleKind,
    Service,
    Tie,
    Urgency,
)


def _png(width=800, height=600, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def test_person_page_shows_details_ties_and_only_visible_cases(client, auth, users, make, session):
    wijk = make.area("Vreeswijk")
    anna = make.professional("Anna de Boer", mobile="0612345678", role="wijkverpleegkundige",
                             email="anna@example.org")
    anna.areas = [wijk]
    bob = make.professional("Bob Smit")
    session.add(Tie(a_id=min(anna.id, bob.id), b_id=max(anna.id, bob.id)))
    case = Case(reference="NWG-TEST-1", area=wijk, urgency=Urgency.SPOED)
    session.add(case)
    session.flush()
    session.add(CaseInvolvement(case_id=case.id, professional_id=anna.id))
    session.commit()

    auth.login(users["medewerker"])
    html = client.get(f"/personen/{anna.id}").get_data(as_text=True)
    assert "Anna de Boer" in html and "wijkverpleegkundige" in html
    assert 'href="tel:+31612345678"' in html
    assert "anna@example.org" in html and "Vreeswijk" in html
    assert "gecontroleerd op" in html
    assert "Bob Smit" in html
    assert "<svg" in html  # QR code drawn by the app
    assert "NWG-TEST-1" not in html  # a colleague does not see the case
    assert ">AB<" in html  # initials without a photo
    auth.logout()

    auth.login(users["beheerder"])
    html = client.get(f"/personen/{anna.id}").get_data(as_text=True)
    assert "NWG-TEST-1" in html


def test_vcard_parses_back(client, auth, users, make, session):
    wijk = make.area("Batau-Noord")
    p = make.professional("Femke van den Berg", mobile="06-12345678", role="wijkagent",
                          email="femke@example.org")
    p.areas = [wijk]
    session.commit()
    auth.login(users["medewerker"])
    response = client.get(f"/personen/{p.id}.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    card = vobject.readOne(response.get_data(as_text=True))
    assert card.fn.value == "Femke van den Berg"
    assert card.n.value.family == "van den Berg"
    assert card.tel.value == "+31612345678"
    assert "CELL" in card.tel.params["TYPE"]
    assert card.email.value == "femke@example.org"
    assert card.title.value == "wijkagent"


def test_wijk_and_selection_vcards_hold_everyone(client, auth, users, make, session):
    wijk = make.area("Galecop")
    people = [make.professional(f"Persoon Galecop {i}") for i in range(3)]
    for p in people:
        p.areas = [wijk]
    session.commit()
    auth.login(users["medewerker"])
    cards = list(vobject.readComponents(client.get(f"/wijken/{wijk.id}.vcf").get_data(as_text=True)))
    assert sorted(c.fn.value for c in cards) == sorted(p.name for p in people)
    ids = "&".join(f"id={p.id}" for p in people[:2])
    cards = list(vobject.readComponents(client.get(f"/personen.vcf?{ids}").get_data(as_text=True)))
    assert len(cards) == 2


def test_qr_is_svg(client, auth, users, make, session):
    p = make.professional("Qr Persoon")
    session.commit()
    auth.login(users["medewerker"])
    response = client.get(f"/personen/{p.id}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).lstrip().startswith("<svg")


def test_photo_upload_is_resized_and_served(client, auth, users, session):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    response = client.post(
        f"/personen/{me.id}/bewerken",
        data={"name": me.name, "role": "buurtwerker", "mobile": "0612340000",
              "version": str(me.version), "photo": (io.BytesIO(_png()), "foto.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    photo = client.get(f"/personen/{me.id}/foto")
    assert photo.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(photo.data)).size == (320, 320)
    html = client.get(f"/personen/{me.id}").get_data(as_text=True)
    assert f"/personen/{me.id}/foto" in html
    card = vobject.readOne(client.get(f"/personen/{me.id}.vcf").get_data(as_text=True))
    assert card.photo.value == photo.data  # the photo travels in the vCard


def test_not_an_image_is_refused(client, auth, users):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    response = client.post(
        f"/personen/{me.id}/bewerken",
        data={"name": me.name, "photo": (io.BytesIO(b"not an image"), "foto.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Foto:" in response.get_data(as_text=True)


def test_organisation_page(client, auth, users, make, session):
    wijk = make.area("Jutphaas")
    org = make.organisation("Maatschappelijk werk", crisis_phone="030 123 4567",
                            intake_route="Bel het wijkteam")
    service = Service(organisation=org, name="Algemeen maatschappelijk werk")
    service.areas = [wijk]
    service.rules = [EligibilityRule(kind=RuleKind.REQUIRES_FIXED_ADDRESS),
                     EligibilityRule(kind=RuleKind.MIN_AGE, int_value=18)]
    session.add(service)
    make.professional("Karin Werker", organisation=org)
    session.commit()
    auth.login(users["medewerker"])
    html = client.get(f"/organisaties/{org.id}").get_data(as_text=True)
    assert "vereist een vast adres" in html
    assert "vanaf 18 jaar" in html
    assert "Bel het wijkteam" in html
    assert 'href="tel:+31301234567"' in html
    assert "Jutphaas" in html and "Karin Werker" in html


def test_wijk_page_and_smoelenboek(client, auth, users, make, session):
    wijk = make.area("Zuilenstein")
    org = make.organisation("Welzijn Zuid", sector="welzijn")
    service = Service(organisation=org, name="Buurtwerk")
    service.areas = [wijk]
    session.add(service)
    p = make.professional("Sanne Buurt", mobile="0638765432", organisation=org)
    p.areas = [wijk]
    session.commit()
    auth.login(users["medewerker"])
    html = client.get(f"/wijken/{wijk.id}").get_data(as_text=True)
    assert "Welzijn Zuid" in html and "Sanne Buurt" in html and '<h3 class="sector">Welzijn</h3>' in html
    faces = client.get(f"/wijken/{wijk.id}/smoelenboek").get_data(as_text=True)
    assert "Sanne Buurt" in faces and 'href="tel:+31638765432"' in faces


def test_seeded_pages_render(client, auth, users, seeded, session):
    from sqlalchemy import select

    from netwerk.models import Area, AreaKind, Organisation, Professional, WorkSession

    auth.login(users["beheerder"])
    for p in session.scalars(select(Professional).limit(5)):
        assert client.get(f"/personen/{p.id}").status_code == 200
    for o in session.scalars(select(Organisation).limit(5)):
        assert client.get(f"/organisaties/{o.id}").status_code == 200
    for a in session.scalars(select(Area).where(Area.kind == AreaKind.WIJK).limit(3)):
        assert client.get(f"/wijken/{a.id}").status_code == 200
    ws = session.scalars(select(WorkSession)).first()
    assert client.get(f"/smoelenboek/werksessie/{ws.id}").status_code == 200
