"""CardDAV address books: how long a phone's sync of a 500-person "Mijn wijken" book takes.

    python -m bench.carddav [--people 500] [--runs 5] [--url sqlite:///…]

Builds one wijk with N active professionals (0970 numbers: machine-to-machine, nobody's phone)
plus the account's own professional in it, serves netwerk with werkzeug in a thread, and times
over HTTP, as a client does it:

- full sync: PROPFIND Depth 1 (every card's ETag) + one addressbook-multiget REPORT of all cards
  (what vdirsyncer and DAVx⁵ do on a first sync);
- unchanged re-sync by ETag: the PROPFIND alone (nothing to fetch);
- unchanged re-sync by sync-token: sync-collection REPORT with the last token (RFC 6578);
- one change: PROPFIND + multiget of the one changed card;
- baseline: GET /wijken/<id>.vcf of the same people with a browser session (the download the
  directory offers) — same data, no WebDAV.
Figures are medians of ``--runs`` runs in milliseconds, with ratios against the baseline.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

GETETAG = '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'
MULTIGET = ('<?xml version="1.0"?><C:addressbook-multiget xmlns="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><getetag/><C:address-data/></prop>'
            '{hrefs}</C:addressbook-multiget>')
SYNC = ('<?xml version="1.0"?><sync-collection xmlns="DAV:"><sync-token>{token}</sync-token>'
        '<sync-level>1</sync-level><prop><getetag/></prop></sync-collection>')
PASSWORD = "bench wachtwoord voor het adresboek 2026"


def build(url: str, people: int) -> dict:
    from netwerk.app import create_app
    from netwerk.carddav.passwords import create_app_password
    from netwerk.db import db
    from netwerk.migrate import upgrade
    from netwerk.models import Area, AreaKind, Organisation, Professional, Role, Sector, User

    upgrade(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "LOGIN_RATE_LIMIT": "100000 per minute",
                      "LOGIN_IP_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        s = db.session
        regio = Area(name="Bench-regio", kind=AreaKind.REGIO)
        gemeente = Area(name="Bench-gemeente", kind=AreaKind.GEMEENTE, parent=regio)
        wijk = Area(name="Bench-wijk", kind=AreaKind.WIJK, parent=gemeente)
        orgs = [Organisation(name=f"Bench-organisatie {i}", sector=Sector.ZORG) for i in range(20)]
        s.add_all([regio, gemeente, wijk, *orgs])
        own = Professional(name="Eigen Persoon", role="wijkcoach", organisation=orgs[0],
                           mobile="+3197090000000", areas=[wijk])
        s.add(own)
        for i in range(people):
            s.add(Professional(name=f"Persoon {i:04d} van Bench", role="wijkverpleegkundige",
                               organisation=orgs[i % 20], mobile=f"+31970{91000000 + i}",
                               email=f"persoon{i}@bench.example", areas=[wijk]))
        from werkzeug.security import generate_password_hash

        user = User(email="bench@netwerk.example", role=Role.MEDEWERKER, professional=own,
                    password_hash=generate_password_hash(PASSWORD))
        s.add(user)
        s.flush()
        _row, app_password = create_app_password(s, user, "bench")
        s.commit()
        return {"app": app, "wijk_id": wijk.id, "email": user.email,
                "app_password": app_password, "changed_id": own.id + 1}


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", default=None, help="an empty database (default: a temp SQLite)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'carddav.sqlite3'}"
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    world = build(url, args.people)
    server, base = serve(world["app"])
    book = f"{base}/carddav/{world['email']}/mijn-wijken/"
    dav = requests.Session()
    dav.auth = (world["email"], world["app_password"])

    def propfind():
        r = dav.request("PROPFIND", book, data=GETETAG, headers={"Depth": "1"})
        assert r.status_code == 207, r.status_code
        return re.findall(r"<href>([^<]+\.vcf)</href>", r.text)

    def full_sync():
        hrefs = propfind()
        body = MULTIGET.format(hrefs="".join(f"<href>{h}</href>" for h in hrefs))
        r = dav.request("REPORT", book, data=body, headers={"Depth": "1"})
        assert r.status_code == 207 and r.text.count("BEGIN:VCARD") == len(hrefs)
        return len(hrefs)

    def first_token():
        r = dav.request("REPORT", book, data=SYNC.format(token=""), headers={"Depth": "1"})
        return re.search(r"<sync-token>([^<]+)</sync-token>", r.text)[1]

    token = first_token()

    def sync_unchanged():
        r = dav.request("REPORT", book, data=SYNC.format(token=token), headers={"Depth": "1"})
        assert r.status_code == 207 and ".vcf" not in r.text
        return 0

    web = requests.Session()
    page = web.get(f"{base}/login").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    web.post(f"{base}/login", data={"email": world["email"], "password": PASSWORD,
                                    **({"csrf_token": csrf[1]} if csrf else {})})

    def vcf_download():
        r = web.get(f"{base}/wijken/{world['wijk_id']}.vcf")
        assert r.status_code == 200, r.status_code
        return r.text.count("BEGIN:VCARD")

    def one_change():
        from netwerk.db import db
        from netwerk.models import Professional

        with world["app"].app_context():
            person = db.session.get(Professional, world["changed_id"])
            person.role = "buurtwerker" if person.role != "buurtwerker" else "wijkverpleegkundige"
            db.session.commit()
        start = time.perf_counter()
        hrefs = propfind()
        changed = [h for h in hrefs if h.endswith(f"/{world['changed_id']}.vcf")]
        body = MULTIGET.format(hrefs="".join(f"<href>{h}</href>" for h in changed))
        dav.request("REPORT", book, data=body, headers={"Depth": "1"})
        return (time.perf_counter() - start) * 1000

    from netwerk.carddav import books

    books._CARD_CACHE.clear()
    cold, _ = timed(full_sync, 1)  # the first sync after a start: every card serialised
    vcf_download()
    baseline, n_vcf = timed(vcf_download, args.runs)
    full, n_cards = timed(full_sync, args.runs)
    etag_only, _ = timed(propfind, args.runs)
    by_token, _ = timed(sync_unchanged, args.runs)
    change = statistics.median(one_change() for _ in range(args.runs))
    server.shutdown()

    print(f"CardDAV book 'Mijn wijken' of {n_cards} people ({n_vcf} in the .vcf baseline), "
          f"{url.split(':')[0]}, median of {args.runs} runs")
    rows = [("baseline: GET /wijken/<id>.vcf", baseline),
            ("full sync, cold (first after a start)", cold),
            ("full sync (PROPFIND + multiget)", full),
            ("unchanged re-sync by ETag (PROPFIND)", etag_only),
            ("unchanged re-sync by sync-token (REPORT)", by_token),
            ("one card changed (PROPFIND + multiget of 1)", change)]
    for name, ms in rows:
        print(f"  {name:46s} {ms:8.1f} ms   {ms / baseline:5.2f}× baseline")


if __name__ == "__main__":
    main()
