"""The address books over CardDAV (netwerk/carddav), with plain HTTP PROPFIND/REPORT requests:
who gets in (an app password, nothing else), what each book holds, that nothing can be written,
and that no one reads another's books. The real client (vdirsyncer) is in
tests/e2e/test_carddav_sync.py."""

from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import delete, func, select

from netwerk.carddav.passwords import create_app_password, revoke_app_passwords
from netwerk.models import AppPassword, Favourite, Professional, User, professional_areas
from tests.conftest import PASSWORD

GETETAG = ('<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')
PRINCIPAL = ('<?xml version="1.0"?><propfind xmlns="DAV:"><prop><current-user-principal/>'
             '</prop></propfind>')
SYNC = ('<?xml version="1.0"?><sync-collection xmlns="DAV:"><sync-token>{token}</sync-token>'
        '<sync-level>1</sync-level><prop><getetag/></prop></sync-collection>')
MULTIGET = ('<?xml version="1.0"?><C:addressbook-multiget xmlns="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><getetag/><C:address-data/></prop>'
            '{hrefs}</C:addressbook-multiget>')


def basic(email: str, password: str) -> dict:
    raw = f"{email}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def dav(client, method, path, headers=None, body=None, depth="1"):
    return client.open(path, method=method, headers={"Depth": depth, **(headers or {})},
                       data=body)


@pytest.fixture
def wijk_world(session, make):
    """Anna (with an account) works in wijk A with Bram and Cor; Dirk works in wijk B."""
    wijk_a, wijk_b = make.area("Wijk A"), make.area("Wijk B")
    org = make.organisation("Buurtteam")
    anna = make.professional("Anna Aalbers", org, areas=[wijk_a])
    bram = make.professional("Bram Bos", org, areas=[wijk_a])
    cor = make.professional("Cor Claes", org, areas=[wijk_a, wijk_b])
    dirk = make.professional("Dirk Dekker", org, areas=[wijk_b])
    user = make.user(professional=anna, email="anna@netwerk.example")
    other = make.user(professional=dirk, email="dirk@netwerk.example")
    _row, password = create_app_password(session, user, "iPhone")
    _row, other_password = create_app_password(session, other, "Android")
    session.commit()
    return {"user": user, "other": other, "password": password,
            "other_password": other_password, "anna": anna, "bram": bram, "cor": cor,
            "dirk": dirk, "wijk_a": wijk_a, "wijk_b": wijk_b}


def book(email: str, slug: str = "mijn-wijken") -> str:
    return f"/carddav/{email}/{slug}/"


def hrefs(response) -> list[str]:
    return re.findall(r"<href>([^<]+\.vcf)</href>", response.get_data(as_text=True))


def card_ids(client, w, slug="mijn-wijken") -> set[int]:
    r = dav(client, "PROPFIND", book(w["user"].email, slug), basic(w["user"].email,
                                                                   w["password"]), GETETAG)
    assert r.status_code == 207
    return {int(h.rsplit("/", 1)[1].removesuffix(".vcf")) for h in hrefs(r)}


def test_without_credentials_401_and_nothing_shown(client, wijk_world):
    for path in ("/carddav/", book("anna@netwerk.example"),
                 book("anna@netwerk.example") + f"{wijk_world['bram'].id}.vcf"):
        for method in ("PROPFIND", "GET", "REPORT"):
            r = dav(client, method, path, body=GETETAG if method != "GET" else None)
            assert r.status_code == 401, (method, path)
            assert r.headers["WWW-Authenticate"].startswith("Basic ")
            text = r.get_data(as_text=True)
            assert "Bram" not in text and ".vcf" not in text and "+31" not in text


def test_a_browser_session_opens_nothing(client, auth, wijk_world):
    assert auth.login(wijk_world["user"]).status_code == 302
    assert dav(client, "PROPFIND", book("anna@netwerk.example"), body=GETETAG).status_code == 401


def test_discovery_and_the_two_books(client, wijk_world):
    w = wijk_world
    headers = basic("Anna@Netwerk.example", w["password"])  # the e-mail as typed
    assert client.get("/.well-known/carddav").headers["Location"].endswith("/carddav/")
    r = dav(client, "PROPFIND", "/.well-known/carddav", headers, PRINCIPAL, depth="0")
    assert r.status_code == 301 and r.headers["Location"].endswith("/carddav/")
    r = dav(client, "PROPFIND", "/carddav/", headers, PRINCIPAL, depth="0")
    assert r.status_code == 207
    assert "/carddav/anna%40netwerk.example/" in r.get_data(as_text=True)
    r = dav(client, "PROPFIND", "/carddav/anna@netwerk.example/", headers)
    text = r.get_data(as_text=True)
    assert r.status_code == 207
    assert "<displayname>Mijn wijken</displayname>" in text
    assert "<displayname>Favorieten</displayname>" in text
    assert text.count("<CR:addressbook />") == 2
    # Mijn wijken: the people of Anna's wijk, not herself, not Dirk of the other wijk.
    assert card_ids(client, w) == {w["bram"].id, w["cor"].id}
    assert card_ids(client, w, "favorieten") == set()


def test_cards_are_vcard_3_with_a_stable_uid(client, session, wijk_world):
    w = wijk_world
    headers = basic(w["user"].email, w["password"])
    path = book(w["user"].email) + f"{w['bram'].id}.vcf"
    r = client.get(path, headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/vcard"
    text = r.get_data(as_text=True)
    assert "VERSION:3.0" in text and f"UID:netwerk-professional-{w['bram'].id}" in text
    assert f"TEL;TYPE=CELL:{w['bram'].mobile}" in text and "FN:Bram Bos" in text
    r = dav(client, "REPORT", book(w["user"].email), headers,
            MULTIGET.format(hrefs=f"<href>{path}</href>"))
    assert r.status_code == 207 and "FN:Bram Bos" in r.get_data(as_text=True)


def _etags(client, w) -> dict[str, str]:
    r = dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, w["password"]),
            GETETAG)
    return dict(re.findall(r"<href>([^<]+)</href><propstat><prop><getetag>([^<]+)</getetag>",
                           r.get_data(as_text=True)))


def test_etag_changes_with_the_record_and_only_then(client, session, wijk_world):
    w = wijk_world
    before = _etags(client, w)
    assert _etags(client, w) == before
    bram = session.get(Professional, w["bram"].id)
    bram.mobile = "0687654321"
    session.commit()
    after = _etags(client, w)
    bram_href = next(h for h in after if h.endswith(f"/{w['bram'].id}.vcf"))
    cor_href = next(h for h in after if h.endswith(f"/{w['cor'].id}.vcf"))
    assert after[bram_href] != before[bram_href]
    assert after[cor_href] == before[cor_href]
    collection = next(h for h in after if h.endswith("/mijn-wijken/"))
    assert after[collection] != before[collection]  # the book's ctag moves too


def test_sync_token_unchanged_book_reports_nothing(client, session, wijk_world):
    w = wijk_world
    headers = basic(w["user"].email, w["password"])
    first = dav(client, "REPORT", book(w["user"].email), headers, SYNC.format(token=""))
    assert first.status_code == 207 and len(hrefs(first)) == 2
    token = re.search(r"<sync-token>([^<]+)</sync-token>", first.get_data(as_text=True))[1]
    again = dav(client, "REPORT", book(w["user"].email), headers, SYNC.format(token=token))
    assert again.status_code == 207 and hrefs(again) == []
    session.get(Professional, w["bram"].id).role = "buurtwerker"
    session.commit()
    stale = dav(client, "REPORT", book(w["user"].email), headers, SYNC.format(token=token))
    assert stale.status_code == 403 and "valid-sync-token" in stale.get_data(as_text=True)


def test_who_leaves_the_book(client, session, make, wijk_world):
    w = wijk_world
    session.add(Favourite(user_id=w["user"].id, professional_id=w["dirk"].id))
    session.commit()
    assert card_ids(client, w, "favorieten") == {w["dirk"].id}
    # Deactivated: gone from both books.
    session.get(Professional, w["bram"].id).active = False
    session.get(Professional, w["dirk"].id).active = False
    session.commit()
    assert card_ids(client, w) == {w["cor"].id}
    assert card_ids(client, w, "favorieten") == set()
    # Moved out of the wijk.
    session.execute(delete(professional_areas).where(
        professional_areas.c.professional_id == w["cor"].id,
        professional_areas.c.area_id == w["wijk_a"].id))
    session.commit()
    assert card_ids(client, w) == set()
    # Unfavourited.
    session.get(Professional, w["dirk"].id).active = True
    session.commit()
    assert card_ids(client, w, "favorieten") == {w["dirk"].id}
    session.execute(delete(Favourite).where(Favourite.user_id == w["user"].id))
    session.commit()
    assert card_ids(client, w, "favorieten") == set()


def test_an_account_without_wijken_gets_empty_books(client, session, make):
    user = make.user(email="los@netwerk.example")  # no professional
    _row, password = create_app_password(session, user)
    session.commit()
    r = dav(client, "PROPFIND", book(user.email), basic(user.email, password), GETETAG)
    assert r.status_code == 207 and hrefs(r) == []


def test_only_an_app_password_opens_the_books(client, session, wijk_world):
    w = wijk_world
    path = book(w["user"].email)
    assert dav(client, "PROPFIND", path, basic(w["user"].email, PASSWORD),
               GETETAG).status_code == 401
    assert dav(client, "PROPFIND", path, basic(w["user"].email, w["other_password"]),
               GETETAG).status_code == 401  # someone else's app password
    assert dav(client, "PROPFIND", path, basic(w["user"].email, w["password"].upper()
                                                .replace("-", " ")), GETETAG).status_code == 207
    revoke_app_passwords(session, w["user"])
    session.commit()
    assert dav(client, "PROPFIND", path, basic(w["user"].email, w["password"]),
               GETETAG).status_code == 401
    # An inactive account: refused with a live app password too.
    other = session.get(User, w["other"].id)
    other.active = False
    session.commit()
    assert dav(client, "PROPFIND", book(other.email), basic(other.email, w["other_password"]),
               GETETAG).status_code == 401


def test_an_app_password_does_not_sign_in_on_the_web(client, wijk_world):
    w = wijk_world
    r = client.post("/login", data={"email": w["user"].email, "password": w["password"]})
    assert r.status_code == 200 and "/login" not in r.headers.get("Location", "")
    assert client.get("/").status_code == 302  # still signed out


def test_password_change_and_sign_out_everywhere_revoke_app_passwords(app, session, client,
                                                                       auth, wijk_world):
    w = wijk_world
    path = book(w["user"].email)
    auth.login(w["user"])
    r = client.post("/account/wachtwoord", data={"current": PASSWORD,
                                                 "new": "een heel ander wachtwoord 42",
                                                 "again": "een heel ander wachtwoord 42"})
    assert r.status_code == 303
    assert dav(client, "PROPFIND", path, basic(w["user"].email, w["password"]),
               GETETAG).status_code == 401
    _row, second = create_app_password(session, session.get(User, w["user"].id))
    session.commit()
    assert dav(client, "PROPFIND", path, basic(w["user"].email, second),
               GETETAG).status_code == 207
    assert client.post("/account/overal-afmelden").status_code == 303
    assert dav(client, "PROPFIND", path, basic(w["user"].email, second),
               GETETAG).status_code == 401


def test_a_restore_revokes_every_app_password(session, wijk_world):
    from netwerk.trust import after_restore

    after_restore(session)
    session.commit()
    assert session.scalar(select(func.count()).select_from(AppPassword)
                          .where(AppPassword.revoked_at.is_(None))) == 0


@pytest.mark.parametrize("path", [
    "/carddav/dirk@netwerk.example/",
    "/carddav/dirk@netwerk.example/mijn-wijken/",
    "/carddav/dirk@netwerk.example/favorieten/",
    "/carddav/anna@netwerk.example/../dirk@netwerk.example/mijn-wijken/",
    "/carddav/anna@netwerk.example/mijn-wijken/../../dirk@netwerk.example/mijn-wijken/",
    "/carddav/anna@netwerk.example/%2e%2e/dirk@netwerk.example/mijn-wijken/",
    "/carddav/Dirk@Netwerk.example/mijn-wijken/",
    "/carddav/anna@netwerk.example/mijn-wijken/../../../",
])
def test_an_outsider_cannot_read_anothers_books(client, wijk_world, path):
    w = wijk_world
    headers = basic(w["user"].email, w["password"])
    for method, body in (("PROPFIND", GETETAG), ("REPORT", SYNC.format(token="")),
                         ("GET", None)):
        r = dav(client, method, path, headers, body)
        text = r.get_data(as_text=True)
        assert "Dirk" not in text and f"{w['dirk'].id}.vcf" not in text, (method, path)
        assert "dirk@netwerk.example/mijn-wijken" not in text.lower()
        if path.endswith("../../../"):
            continue  # the root: readable, shows only one's own principal
        assert r.status_code in (403, 404), (method, path, r.status_code)
    # A card of Dirk's book by its own path.
    r = client.get(f"/carddav/dirk@netwerk.example/mijn-wijken/{w['cor'].id}.vcf",
                   headers=headers)
    assert r.status_code in (403, 404) and "Cor" not in r.get_data(as_text=True)


def test_a_script_name_header_cannot_move_the_mount(client, wijk_world):
    w = wijk_world
    r = dav(client, "PROPFIND", "/carddav/", {**basic(w["user"].email, w["password"]),
                                              "X-Script-Name": "/elders"}, PRINCIPAL, "0")
    assert r.status_code == 207 and "/elders" not in r.get_data(as_text=True)


@pytest.mark.parametrize("method,suffix,body", [
    ("PUT", "nieuw.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:X\r\nEND:VCARD\r\n"),
    ("PUT", "{bram}.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:netwerk-professional-{bram}\r\n"
                          "FN:Iemand Anders\r\nTEL:+31612345678\r\nEND:VCARD\r\n"),
    ("DELETE", "{bram}.vcf", None),
    ("DELETE", "", None),
    ("MKCOL", "../nieuw-boek/", None),
    ("PROPPATCH", "", '<?xml version="1.0"?><propertyupdate xmlns="DAV:"><set><prop>'
                      '<displayname>Gekaapt</displayname></prop></set></propertyupdate>'),
    ("MOVE", "{bram}.vcf", None),
])
def test_writes_are_refused(client, session, wijk_world, method, suffix, body):
    w = wijk_world
    headers = basic(w["user"].email, w["password"])
    path = book(w["user"].email) + suffix.format(bram=w["bram"].id)
    extra = {"Content-Type": "text/vcard"} if method == "PUT" else {}
    if method == "MOVE":
        extra["Destination"] = book(w["user"].email) + "elders.vcf"
    before = _etags(client, w)
    r = dav(client, method, path, {**headers, **extra},
            body.format(bram=w["bram"].id) if body else None, depth="0")
    assert r.status_code in (403, 405, 409), (method, path, r.status_code)
    assert _etags(client, w) == before
    session.expire_all()
    assert session.get(Professional, w["bram"].id).name == "Bram Bos"
    text = dav(client, "PROPFIND", "/carddav/anna@netwerk.example/", headers).get_data(
        as_text=True)
    assert "Gekaapt" not in text and "nieuw-boek" not in text
    # POST is no CardDAV method here.
    assert client.post(book(w["user"].email), headers=headers).status_code == 405


def fresh_counts(app):
    """Failure counts start at zero (the limiter's storage lives as long as the process)."""
    from netwerk.extensions import limiter

    with app.test_request_context():
        limiter.storage.reset()


def test_failed_attempts_are_throttled_per_address(app, client, wijk_world):
    w = wijk_world
    fresh_counts(app)
    app.config["CARDDAV_ADDRESS_FAILURE_LIMIT"] = 3
    path = book(w["user"].email)
    for _ in range(3):
        assert dav(client, "PROPFIND", path, basic(w["user"].email, "geraden"),
                   GETETAG).status_code == 401
    r = dav(client, "PROPFIND", path, basic(w["user"].email, w["password"]), GETETAG)
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert "Bram" not in r.get_data(as_text=True)
    # Another address is not blocked by these failures.
    r = client.open(path, method="PROPFIND", headers={"Depth": "1",
                                                      **basic(w["user"].email, w["password"])},
                    data=GETETAG, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 207


def test_failed_attempts_slow_the_account_down_not_its_web_sign_in(app, client, wijk_world,
                                                                   monkeypatch):
    from netwerk.auth import throttle as login_throttle
    from netwerk.carddav import throttle

    w = wijk_world
    fresh_counts(app)
    app.config["LOGIN_SLOWDOWN_AFTER"] = 2
    waited: list[float] = []
    monkeypatch.setattr(throttle, "_sleep", waited.append)
    for _ in range(4):
        dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, "fout"), GETETAG)
    assert waited and waited[-1] > waited[0] > 0  # doubling after the second failure
    with app.test_request_context():
        assert login_throttle.failed_attempts(w["user"].email) == 0


# --- /account/apparaten and the CLI -----------------------------------------------------------
def test_devices_page_makes_names_shows_once_and_revokes(app, session, client, auth,
                                                         wijk_world):
    w = wijk_world
    auth.login(w["user"])
    page = client.get("/account/apparaten")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "iPhone" in text and w["password"] not in text
    assert "/carddav/" in text and w["user"].email in text
    r = client.post("/account/apparaten", data={"name": "Telefoon werk", "create": "1"})
    assert r.status_code == 200
    shown = re.search(r'<code class="token">([a-z0-9-]+)</code>', r.get_data(as_text=True))[1]
    assert dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, shown),
               GETETAG).status_code == 207
    again = client.get("/account/apparaten").get_data(as_text=True)
    assert shown not in again and "Telefoon werk" in again
    row = session.scalar(select(AppPassword).where(AppPassword.name == "Telefoon werk"))
    assert shown not in row.secret_hash and row.last_used_at is not None
    # Revoking another account's app password by its id revokes nothing.
    theirs = session.scalar(select(AppPassword).where(AppPassword.user_id == w["other"].id))
    r = client.post("/account/apparaten", data={"revoke": str(theirs.id)})
    assert r.status_code == 303
    assert dav(client, "PROPFIND", book(w["other"].email),
               basic(w["other"].email, w["other_password"]), GETETAG).status_code == 207
    r = client.post("/account/apparaten", data={"revoke": str(row.id)})
    assert r.status_code == 303
    assert dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, shown),
               GETETAG).status_code == 401
    assert "Telefoon werk" not in client.get("/account/apparaten").get_data(as_text=True)
    # The first one still works: only the one revoked stops.
    assert dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, w["password"]),
               GETETAG).status_code == 207
    assert client.post("/account/apparaten", data={"name": "x" * 101, "create": "1"}) \
        .status_code == 400


def test_account_page_links_to_devices(client, auth, wijk_world):
    auth.login(wijk_world["user"])
    assert 'href="/account/apparaten"' in client.get("/account/").get_data(as_text=True)


def test_cli_create_app_password_prints_it_once(runner, client, session, wijk_world):
    w = wijk_world
    result = runner.invoke(args=["create-app-password", w["user"].email, "--name", "iPad"])
    assert result.exit_code == 0, result.output
    password = result.output.strip()
    assert re.fullmatch(r"[a-z0-9]{5}(-[a-z0-9]{5}){3}", password)
    assert dav(client, "PROPFIND", book(w["user"].email), basic(w["user"].email, password),
               GETETAG).status_code == 207
    row = session.scalar(select(AppPassword).where(AppPassword.name == "iPad"))
    assert row is not None and password not in row.secret_hash
    unknown = runner.invoke(args=["create-app-password", "niemand@netwerk.example"])
    assert unknown.exit_code != 0 and "geen account" in unknown.output


def test_payloads_in_names_are_shown_as_text_and_carried_as_card_values(client, session, auth,
                                                                      make, wijk_world):
    """Stored XSS: app-password names on /account/apparaten and people's names in the cards
    (tests/xss_payloads.py, scanned like tests/web/test_xss.py does)."""
    import vobject

    from tests.web.test_xss import Scan, _norm
    from tests.xss_payloads import PAYLOADS

    w = wijk_world
    user = session.get(User, w["user"].id)
    names = [p[:100] for p in PAYLOADS]
    for name in names:
        create_app_password(session, user, name)
    people = [make.professional(p[:200], areas=[w["wijk_a"]], role=p[:120])
              for p in PAYLOADS[:20]]
    session.commit()
    auth.login(user)
    page = client.get("/account/apparaten")
    scan = Scan()
    scan.feed(page.get_data(as_text=True))
    scan.close()
    assert scan.problems == []
    visible = _norm(" ".join(scan.shown))
    missing = [n for n in names if _norm(n.strip()) and _norm(n.strip()) not in visible]
    assert not missing, missing[:3]
    headers = basic(user.email, w["password"])
    for person in people:
        r = client.get(book(user.email) + f"{person.id}.vcf", headers=headers)
        card = vobject.readOne(r.get_data(as_text=True))
        assert card.fn.value == person.name and card.title.value == person.role
