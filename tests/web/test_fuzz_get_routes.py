"""Finding 12: every GET route of the URL map, with real ids in its path, tried with malformed
values for every query parameter its module reads: never a 500; a malformed id or enum answers
400 with a Dutch sentence (JSON under /api/), a well-formed id that names nothing 404.

The parameter names are collected from the source of each view's module (``request.args``,
``args.get``/``getlist`` and the netwerk.web helpers ``arg_id``/``arg_int``/``arg_enum``/
``arg_page``), so a new parameter is fuzzed without anyone adding it here; a route whose path
argument has no real id below fails the test until one is added.
"""

from __future__ import annotations

import inspect
import re
import sys

import pytest
from sqlalchemy import select

from netwerk.models import User
from tests.conftest import PASSWORD
from tests.web.access import build_world, changed_tables, snapshot

MALFORMED = ["²", "99999999999999999999", "2147483648", "-1", "0", "foo", "1.5", " ",
             "\u202e1", "١٢"]
_PATTERNS = [
    re.compile(r"""request\.args\.get(?:list)?\(\s*["'](\w+)["']"""),
    re.compile(r"""\bargs\.get(?:list)?\(\s*["'](\w+)["']"""),
    re.compile(r"""\barg_(?:id|int|enum|page|choice)\(\s*["'](\w+)["']"""),
]
# Path arguments -> the key of the world's ids (or a literal value).
PATH_VALUES = {
    "professional_id": "me", "person_id": "me", "organisation_id": "org", "area_id": "wijk",
    "session_id": "session", "ws_id": "session", "capacity_id": "capacity", "case_id": "case",
    "name": "=vis-network.min.js", "kind": "=organisations", "filename": "=css/netwerk.css",
}
SKIP = {"static"}


def query_parameters(view) -> set[str]:
    source = inspect.getsource(sys.modules[view.__module__])
    names = {m for pattern in _PATTERNS for m in pattern.findall(source)}
    if "arg_page()" in source:
        names.add("page")
    return names


def _path(rule, ids) -> str:
    values = {}
    for arg in rule.arguments:
        assert arg in PATH_VALUES, f"{rule.rule}: no real value for <{arg}> in PATH_VALUES"
        key = PATH_VALUES[arg]
        values[arg] = key[1:] if key.startswith("=") else ids[key]
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{arg}>", str(value), path)
    return path


@pytest.fixture
def world(app, session, make, seeded):
    return build_world(session, make)


def _client(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_every_get_route_survives_malformed_query_parameters(app, session, world):
    from netwerk.api.tokens import create_token

    token = create_token(session, session.scalar(
        select(User).where(User.email == "beheerder@matrix.example")))
    session.commit()
    clients = {"coordinator": _client(app, "coordinator@matrix.example"),
               "beheerder": _client(app, "beheerder@matrix.example")}
    tried, statuses = 0, {}
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIP]
    assert len(rules) >= 40
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        path = _path(rule, world.ids)
        names = sorted(query_parameters(view))
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        principals = ["beheerder"] if path.startswith("/api/") else list(clients)
        for principal in principals:
            client = clients[principal]
            plain = client.get(path, headers=headers)
            assert plain.status_code < 500, f"GET {path} as {principal}"
            for name in names:
                for value in MALFORMED:
                    before = snapshot(session, skip=("audit_log", "api_tokens"))
                    response = client.get(path, query_string={name: value}, headers=headers)
                    tried += 1
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    assert response.status_code < 500, \
                        f"GET {path}?{name}={value!r} as {principal}: {response.status_code}"
                    if response.status_code == 400 and path.startswith("/api/"):
                        assert response.is_json, f"{path}?{name}={value!r}: 400 not JSON"
                    assert changed_tables(before, snapshot(
                        session, skip=("audit_log", "api_tokens"))) == [], f"{path} wrote"
    assert tried > 300 and statuses.get(400, 0) > 50, statuses


@pytest.mark.parametrize("url", [
    "/netwerk?gebied=²", "/netwerk?gebied=99999999999999999999", "/netwerk?sessie=²",
    "/netwerk?gebied=2147483648", "/netwerk/export.graphml?gebied=²",
    "/netwerk/export.gexf?sessie=²", "/netwerk/ontbrekend.csv?gebied=99999999999999999999",
    "/werksessies/groei?gebied=²", "/werksessies/nieuw?gebied=²", "/plek?wijk=²",
])
def test_reported_malformed_ids_answer_400_in_dutch(app, world, url):
    client = _client(app, "beheerder@matrix.example")
    response = client.get(url)
    assert response.status_code == 400, url
    assert "geheel getal" in response.get_data(as_text=True) or \
        "te groot" in response.get_data(as_text=True)


def test_unknown_ids_answer_404(app, world):
    client = _client(app, "beheerder@matrix.example")
    for url in ("/netwerk/export.graphml?gebied=2147483647", "/netwerk/ontbrekend.csv?sessie=999999",
                "/werksessies/groei?gebied=2147483647"):
        assert client.get(url).status_code == 404, url


def test_api_unknown_enum_is_a_dutch_json_400(app, session, world):
    from netwerk.api.tokens import create_token

    token = create_token(session, session.scalar(
        select(User).where(User.email == "medewerker@matrix.example")))
    session.commit()
    client = app.test_client()
    response = client.get("/api/v1/areas?kind=foo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.is_json
    assert "onbekende waarde" in response.get_json()["error"]["message"]
