"""The installable app: manifest and icons, the service worker at the root, the offline page
(no data in it), the offline directory of one's own wijken and gemeente (no case data ever),
and sign-out clearing what the site kept in the browser."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from netwerk.models import AreaKind, Case, Service
from tests.web.access import build_world

SW = Path(__file__).resolve().parents[2] / "netwerk" / "static" / "js" / "sw.js"
CASE_MARKERS = ("NWG-2026", "Vermoeden van autisme", "Er is een hond in huis", "casus",
                "situation", "claim", "note")


def test_manifest_is_public_with_installable_icons(client):
    response = client.get("/manifest.webmanifest")  # no cookies: how browsers fetch it
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["name"] == "netwerk"
    sizes = {}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png", icon["src"]
        with Image.open(io.BytesIO(image.data)) as png:
            assert f"{png.width}x{png.height}" == icon["sizes"]
        image.close()
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"] and "512x512" in sizes["maskable"]


def test_service_worker_is_served_from_the_root_as_javascript(client, auth, users):
    for signed_in in (False, True):
        if signed_in:
            auth.login(users["medewerker"])
        response = client.get("/sw.js")
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert "no-store" not in response.headers["Cache-Control"]
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "Service-Worker-Allowed" not in response.headers  # the root scope needs none
        assert "caches" in response.get_data(as_text=True)


def _shell_urls() -> list[str]:
    source = SW.read_text()
    block = re.search(r"var SHELL_URLS = \[(.*?)\];", source, re.S).group(1)
    return re.findall(r'"(/[^"]*)"', block) + (["/offline"] if "OFFLINE_URL," in block else [])


def test_the_shell_holds_only_public_files_without_data(client, auth, users):
    """Everything the service worker keeps as shell answers the same to anyone, without
    no-store, and is none of the pages that hold people's or cases' data."""
    urls = _shell_urls()
    assert "/offline" in urls and "/static/js/offline.js" in urls
    anonymous = {}
    for url in urls:
        response = client.get(url)
        anonymous[url] = response.data
        response.close()
    auth.login(users["medewerker"])
    for url in urls:
        assert not re.match(r"/(casussen|plek|api|personen|zoeken|wijken|organisaties)", url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        if url != "/offline":  # the page carries a fresh CSP nonce header only, same body
            assert response.data == anonymous[url], url
        response.close()
    page = client.get("/offline").get_data(as_text=True)
    assert users["medewerker"].email not in page and "csrf_token" not in page
    assert users["medewerker"].professional.name not in page
    assert "<script>" not in page and "<script " not in page.replace(
        '<script src="/static/js/offline.js" defer></script>', "")


def test_the_service_worker_never_keeps_case_pages_claims_or_the_api():
    source = SW.read_text()
    never = re.search(r"var NEVER = \[(.*?)\];", source, re.S).group(1)
    for path in ("casussen", "plek", "api", "login", "account", "beheer"):
        assert path in never, path
    assert 'indexOf("no-store") === -1' in source  # no-store answers are never kept
    assert "cache.put" in source and source.count("cache.put") == 1  # only through put()


def test_offline_directory_needs_a_session_and_answers_401(client):
    response = client.get("/offline/gids.json")
    assert response.status_code == 401 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"


def test_offline_directory_holds_ones_own_wijken_and_gemeente(client, auth, users, make,
                                                              session):
    regio = make.area(kind=AreaKind.REGIO, name="Regio Test")
    home = make.area(kind=AreaKind.GEMEENTE, name="Thuisgemeente", parent=regio)
    other = make.area(kind=AreaKind.GEMEENTE, name="Verregemeente", parent=regio)
    mine = make.area(name="Eigen wijk", parent=home)
    next_door = make.area(name="Buurwijk", parent=home)
    far = make.area(name="Verre wijk", parent=other)
    me = users["medewerker"].professional
    me.areas = [mine]
    colleague = make.professional(name="Carla Collega", mobile="0611112222", role="buurtcoach")
    colleague.areas = [mine]
    neighbour = make.professional(name="Nico Buur")
    neighbour.areas = [next_door]
    stranger = make.professional(name="Vera Ver")
    stranger.areas = [far]
    serving = make.organisation(name="Gemeentelijke Dienst", phone="0301234567")
    service = Service(organisation=serving, name="Loket")
    service.areas = [home]
    session.add(service)
    make.organisation(name="Onbekende Stichting", phone="0307654321")
    session.commit()
    auth.login(users["medewerker"])
    response = client.get("/offline/gids.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    data = response.get_json()
    names = {p["name"] for p in data["people"]}
    assert {"Carla Collega", "Nico Buur", me.name} <= names and "Vera Ver" not in names
    carla = next(p for p in data["people"] if p["name"] == "Carla Collega")
    assert carla["mobile"] == "+31611112222" and carla["mobile_display"] == "06 11112222"
    assert carla["role"] == "buurtcoach" and carla["can_text"] is True
    assert carla["wijken"] == ["Eigen wijk"]
    orgs = {o["name"]: o for o in data["organisations"]}
    assert orgs["Gemeentelijke Dienst"]["phone"] == "+31301234567"
    assert "Onbekende Stichting" not in orgs
    assert {a["name"] for a in data["scope"]} == {"Eigen wijk", "Buurwijk", "Thuisgemeente"}
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", data["generated_at"])


def test_offline_directory_never_holds_case_data(app, client, session, make, seeded):
    """The coordinator of a case, in the case's own wijk: the copy has names and numbers,
    nothing of the case (reference, situation, notes), whatever field it might hide in."""
    world = build_world(session, make)
    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0001"))
    coordinator = world.users["coordinator"]
    coordinator.professional.areas = [case.area]
    session.commit()
    from tests.conftest import PASSWORD

    client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    data = client.get("/offline/gids.json").get_json()
    assert len(data["people"]) > 3
    text = json.dumps(data, ensure_ascii=False)
    for marker in CASE_MARKERS:
        assert marker not in text, marker
    assert case.situation[:40] not in text
    allowed = {"id", "name", "role", "organisation", "organisation_id", "mobile",
               "mobile_display", "landline", "landline_display", "email", "can_text", "wijken"}
    assert all(set(p) == allowed for p in data["people"])
    assert all(set(o) == {"id", "name", "sector", "phone", "phone_display", "crisis_phone",
                          "crisis_phone_display"} for o in data["organisations"])
    # And the case page itself is never cacheable.
    assert "no-store" in client.get(f"/casussen/{case.id}").headers["Cache-Control"]


def test_an_account_without_wijken_gets_an_empty_copy(client, auth, make, session):
    user = make.user()
    session.commit()
    auth.login(user)
    data = client.get("/offline/gids.json").get_json()
    assert data["people"] == [] and data["organisations"] == [] and data["scope"] == []


def test_sign_out_and_sign_out_everywhere_clear_site_data(client, auth, users):
    auth.login(users["medewerker"])
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    auth.login(users["medewerker"])
    response = client.post("/account/overal-afmelden")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    # The session is over: the directory answers 401 (the service worker then wipes its copy).
    assert client.get("/offline/gids.json").status_code == 401


def test_every_page_links_the_manifest_and_registers_the_worker_only_when_signed_in(
        client, auth, users):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'src="/static/js/pwa.js" data-signed-in="0"' in page
    auth.login(users["medewerker"])
    page = client.get("/").get_data(as_text=True)
    assert 'src="/static/js/pwa.js" data-signed-in="1"' in page
