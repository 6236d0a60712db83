"""/api/v1: bearer tokens (hash only), 401 JSON without a redirect, pagination, no cases."""

import pytest
from sqlalchemy import select

from netwerk.api.tokens import create_token
from netwerk.models import ApiToken, Professional
from netwerk.models.api_token import hash_token


@pytest.fixture
def token(users, session):
    value = create_token(session, users["medewerker"])
    session.commit()
    return value


def get(client, path, token=None, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers, **kw)


def test_without_a_token_the_api_answers_401_json_not_a_redirect(client):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.is_json
    assert "Bearer" in response.json["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused(client, token):
    assert get(client, "/api/v1/people", token + "x").status_code == 401


def test_only_the_hash_is_stored(session, token):
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hash_token(token)]
    assert token not in stored


def test_people_with_pagination(client, token, make, session):
    for _ in range(5):
        make.professional()
    session.commit()
    total = session.query(Professional).count()
    response = get(client, "/api/v1/people?per_page=2&page=2", token)
    assert response.status_code == 200
    body = response.json
    assert body["meta"] == {"page": 2, "per_page": 2, "total": total,
                            "pages": (total + 1) // 2}
    assert len(body["data"]) == 2
    assert "page=3" in body["links"]["next"] and "page=1" in body["links"]["prev"]
    person = body["data"][0]
    assert person["mobile"].startswith("+316") and "organisation" in person
    assert get(client, "/api/v1/people?per_page=100000", token).json["meta"]["per_page"] == 200
    bad = get(client, "/api/v1/people?page=nul", token)
    assert bad.status_code == 400 and bad.is_json


def test_organisations_areas_capacities_and_single_items(client, token, seeded, session):
    orgs = get(client, "/api/v1/organisations?per_page=5", token).json
    assert orgs["meta"]["total"] >= 25 and orgs["data"][0]["services"] is not None
    one = get(client, f"/api/v1/organisations/{orgs['data'][0]['id']}", token).json["data"]
    assert one["name"] == orgs["data"][0]["name"]
    wijken = get(client, "/api/v1/areas?kind=wijk", token).json
    assert wijken["data"] and {a["kind"] for a in wijken["data"]} == {"wijk"}
    caps = get(client, "/api/v1/capacities", token).json
    assert caps["meta"]["total"] > 0 and {"available", "maximum", "stale"} <= set(caps["data"][0])
    missing = get(client, "/api/v1/people/999999", token)
    assert missing.status_code == 404 and missing.is_json


def test_cases_are_not_in_the_api(client, token, seeded):
    response = get(client, "/api/v1/cases", token)
    assert response.status_code == 404
    assert response.is_json and response.json["error"]["status"] == 404
    document = client.get("/api/v1/openapi.json").json
    assert not any("case" in path for path in document["paths"])


def test_revoked_token_stops_working(client, token, users, session):
    assert get(client, "/api/v1/areas", token).status_code == 200
    from netwerk.api.tokens import revoke_tokens

    revoke_tokens(session, users["medewerker"])
    session.commit()
    assert get(client, "/api/v1/areas", token).status_code == 401


def test_inactive_account_token_is_refused(client, token, users, session):
    users["medewerker"].active = False
    session.commit()
    assert get(client, "/api/v1/areas", token).status_code == 401


def test_last_used_is_recorded(client, token, session):
    get(client, "/api/v1/areas", token)
    session.expire_all()
    assert session.scalar(select(ApiToken.last_used_at)) is not None


def test_openapi_document_is_3_1_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json
    assert doc["openapi"].startswith("3.1")
    assert {"/people", "/organisations", "/areas", "/capacities"} <= set(doc["paths"])
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_token_page_creates_and_revokes(client, auth, users, session):
    auth.login(users["medewerker"])
    page = client.get("/api-token")
    assert page.status_code == 200 and "Je hebt nog geen token" in page.text
    import re

    created = client.post("/api-token", data={"create": "1"})
    assert "maar één keer getoond" in created.text
    token = re.search(r'id="token">(nw_[^<]+)<', created.text).group(1)
    assert get(client, "/api/v1/areas", token).status_code == 200
    # Each revoke button says which token it revokes (screen readers hear a list of buttons).
    listed = client.get("/api-token").text
    assert re.search(r'<button[^>]*name="revoke"[^>]*aria-label="[^"]+ intrekken"', listed)
    client.post("/api-token", data={"revoke": "1"})
    assert get(client, "/api/v1/areas", token).status_code == 401


def test_create_token_command(runner, users):
    result = runner.invoke(args=["create-token", users["coordinator"].email])
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("nw_")
    assert runner.invoke(args=["create-token", "niemand@x.example"]).exit_code != 0


def test_openapi_document_is_a_valid_openapi_3_1_document(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)  # raises on an invalid document


def test_responses_match_the_openapi_schemas(client, token, seeded):
    """Every list endpoint's real answer validates against the schema the document gives it."""
    from jsonschema import Draft202012Validator

    document = client.get("/api/v1/openapi.json").json
    for path in ("/people", "/organisations", "/areas", "/capacities"):
        schema = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        schema = {**schema, "components": document["components"]}
        body = get(client, f"/api/v1{path}?per_page=5", token).json
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
        assert errors == [], path


def test_a_page_far_past_the_end_is_empty_not_an_error(client, token, make, session):
    make.professional()
    session.commit()
    response = get(client, "/api/v1/people?page=2147483647&per_page=200", token)
    assert response.status_code == 200
    assert response.json["data"] == [] and response.json["meta"]["total"] >= 1
    for query in ("page=249277576541329583", "organisation_id=9223372036854775808"):
        response = get(client, f"/api/v1/people?{query}", token)
        assert response.status_code == 400 and "te groot" in response.json["error"]["message"]
