"""Single sign-on against a real OpenID Connect provider process (oidc-provider-mock)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from netwerk.models import Role, User
from tests.oidc_provider import provider

USERS = [
    {"sub": "anna", "email": "anna@wijkteam.example", "email_verified": True,
     "groups": ["netwerk-coord"]},
    {"sub": "onbekend", "email": "onbekend@wijkteam.example", "email_verified": True},
    {"sub": "onbevestigd", "email": "medewerker-sso@wijkteam.example", "email_verified": False},
]


@pytest.fixture(scope="module")
def issuer():
    with provider(USERS) as url:
        yield url


@pytest.fixture
def sso_app(app, issuer):
    app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID="netwerk",
                      OIDC_CLIENT_SECRET="geheim")
    return app


def _sign_in(client, subject: str):
    r = client.get("/login/sso")
    assert r.status_code == 302
    location = r.headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert "email" in query["scope"][0].split()
    answer = requests.post(location, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_existing_account_signs_in_by_verified_email(sso_app, client, make, session):
    make.user(Role.MEDEWERKER, email="anna@wijkteam.example")
    session.commit()
    r = _sign_in(client, "anna")
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/"
    assert client.get("/casussen").status_code == 200


def test_role_from_the_group_claim(sso_app, client, make, session):
    sso_app.config["OIDC_ROLE_MAP"] = {"netwerk-coord": "coordinator"}
    make.user(Role.MEDEWERKER, email="anna@wijkteam.example")
    session.commit()
    _sign_in(client, "anna")
    session.expire_all()
    user = session.scalar(select(User).where(User.email == "anna@wijkteam.example"))
    assert user.role == Role.COORDINATOR


def test_unknown_or_unverified_email_gets_no_access(sso_app, client, make, session):
    make.user(Role.MEDEWERKER, email="medewerker-sso@wijkteam.example")
    session.commit()
    for subject in ("onbekend", "onbevestigd"):
        r = _sign_in(client, subject)
        assert urlsplit(r.headers["Location"]).path == "/login"
        assert client.get("/casussen").status_code == 302


def test_a_forged_state_is_refused(sso_app, client):
    client.get("/login/sso")
    r = client.get("/login/sso/terug?code=abc&state=vervalst")
    assert urlsplit(r.headers["Location"]).path == "/login"
    assert client.get("/casussen").status_code == 302


def test_sso_off_without_settings(app, client):
    assert client.get("/login/sso").status_code == 404


def test_unknown_email_becomes_a_join_request_when_set(sso_app, client, make, session):
    from netwerk.models import EmailDomain, JoinRequest

    sso_app.config["OIDC_UNKNOWN_EMAIL"] = "aanmelden"
    org = make.organisation(name="Wijkteam")
    session.add(EmailDomain(organisation_id=org.id, domain="wijkteam.example"))
    session.commit()
    r = _sign_in(client, "onbekend")
    assert urlsplit(r.headers["Location"]).path.startswith("/aanmelden/")
    join = session.scalar(select(JoinRequest))
    assert join.email == "onbekend@wijkteam.example" and join.status == "pending"
    assert client.get("/casussen").status_code == 302  # still nobody signed in


def test_sso_skips_the_required_totp_but_a_later_password_sign_in_does_not(
        sso_app, client, make, session):
    sso_app.config["TOTP_REQUIRED_ROLES"] = ["medewerker"]
    from tests.conftest import PASSWORD

    make.user(Role.MEDEWERKER, email="anna@wijkteam.example")
    session.commit()
    _sign_in(client, "anna")
    assert client.get("/casussen").status_code == 200
    client.post("/logout")
    client.post("/login", data={"email": "anna@wijkteam.example", "password": PASSWORD})
    r = client.get("/casussen")
    assert r.status_code == 302 and r.headers["Location"].endswith("/account/tweestaps")


def test_sso_counts_against_the_sign_in_limit_per_address(sso_app, client):
    """Starting SSO and its callback are sign-in attempts too: past the per-address limit
    they answer 429, from that address only."""
    sso_app.config["LOGIN_IP_RATE_LIMIT"] = "3 per minute"
    starts = [client.get("/login/sso").status_code for _i in range(4)]
    assert starts == [302, 302, 302, 429]
    backs = [client.get("/login/sso/terug?code=geraden&state=geraden").status_code
             for _i in range(4)]
    assert backs[:3] == [302, 302, 302] and backs[3] == 429
    other = sso_app.test_client()
    assert other.get("/login/sso", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302
