"""Free text typed into the beheer forms (names, descriptions, roles, rule descriptions) and
shown back on the beheer pages and their change history stays data (tests/xss_payloads.py)."""

from __future__ import annotations

from sqlalchemy import select

from netwerk.models import Organisation
from tests.web.test_xss import Scan, _norm
from tests.xss_payloads import PAYLOADS, marked


def _scan(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    scan = Scan()
    scan.feed(response.get_data(as_text=True))
    scan.close()
    return scan


def test_beheer_pages_show_typed_payloads_as_data(client, auth, users, session):
    auth.login(users["beheerder"])
    problems = []
    for i, payload in enumerate(PAYLOADS):
        name = marked(i, payload)[:200]
        r = client.post("/beheer/organisaties/nieuw", data={
            "name": name, "sector": "welzijn", "description": payload,
            "intake_route": payload})
        if r.status_code != 303:
            problems.append(f"payload {i}: refused ({r.status_code})")
            continue
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        # The edit form, its history (old and new values) after a change, and the list.
        client.post(f"/beheer/organisaties/{org.id}", data={"description": "gewijzigd"})
        scan = _scan(client, f"/beheer/organisaties/{org.id}")
        problems += [f"organisation {i}: {p}" for p in scan.problems]
        if _norm(payload) not in _norm(" ".join(scan.shown)):
            problems.append(f"organisation {i}: payload not shown as text")
        r = client.post("/beheer/personen/nieuw", data={
            "name": name, "organisation_key": org.external_id, "role": payload})
        if r.status_code != 303:
            problems.append(f"person {i}: refused ({r.status_code})")
    for path in ("/beheer/organisaties?q=xss", "/beheer/personen?q=xss",
                 "/beheer/organisaties?q=xss&page=2"):
        problems += [f"{path}: {p}" for p in _scan(client, path).problems]
    # A search for a payload is echoed as a value, never as markup.
    for payload in PAYLOADS[:10]:
        problems += [f"search: {p}" for p in _scan(
            client, "/beheer/personen?q=" + payload.replace("&", "%26").replace("#", "%23")
        ).problems]
    assert not problems, "\n".join(problems[:40])
