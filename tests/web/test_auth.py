"""Sign-in, sign-out, every page behind sign-in, CSRF on every form."""

import os

import pytest

from netwerk.app import PUBLIC_ENDPOINTS, SELF_AUTHENTICATING_BLUEPRINTS
from netwerk.db import db
from tests.conftest import PASSWORD
from tests.redis_db import redis_url


def _get_routes(app):
    """Every GET route of the app, with 1 for each URL argument."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        if rule.endpoint.split(".")[0] in SELF_AUTHENTICATING_BLUEPRINTS:
            continue  # the API answers 401 itself (tests/web/test_api.py)
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", "1")
            for conv in ("int", "string", "path"):
                url = url.replace(f"<{conv}:{arg}>", "1")
        yield url


def test_anonymous_users_are_sent_to_sign_in_from_every_page(app, client):
    routes = list(_get_routes(app))
    assert "/" in routes
    for url in routes:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_sign_in_page_and_health_need_no_account(client):
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_sign_in_then_home_shows_the_three_journeys(users, auth, client):
    response = auth.login(users["medewerker"], follow=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for journey in ("Zoeken", "Netwerk", "Casussen"):
        assert journey in page
    assert 'href="/zoeken"' in page and 'href="/casussen"' in page


def test_sign_in_returns_to_the_page_asked_for_but_never_offsite(users, client):
    email = users["medewerker"].email
    r = client.post("/login?next=/healthz", data={"email": email, "password": PASSWORD})
    assert r.headers["Location"] == "/healthz"
    client.post("/logout")
    r = client.post("/login?next=https://evil.example/", data={"email": email, "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_wrong_password_and_unknown_account_get_the_same_message(users, auth):
    wrong = auth.login(users["medewerker"], password="wrong password").get_data(as_text=True)
    unknown = auth.login("nobody@netwerk.example").get_data(as_text=True)
    assert "Onjuist e-mailadres of wachtwoord." in wrong
    assert "Onjuist e-mailadres of wachtwoord." in unknown


def test_sign_out_ends_the_session(users, auth, client):
    auth.login(users["medewerker"])
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions(users, auth, client, app):
    user = users["coordinator"]
    auth.login(user)
    assert client.get("/").status_code == 200
    user.set_password("a completely new password")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_deactivated_account_cannot_sign_in(users, auth, client):
    user = users["medewerker"]
    user.active = False
    db.session.commit()
    response = auth.login(user, follow=True)
    assert "Onjuist e-mailadres of wachtwoord." in response.get_data(as_text=True)


def test_passwords_are_hashed_with_scrypt(users):
    user = users["medewerker"]
    user.set_password(PASSWORD)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "!")


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_form_post_without_csrf_token_is_refused(users, csrf_client):
    response = csrf_client.post(
        "/login", data={"email": users["medewerker"].email, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_sign_out_without_csrf_token_is_refused(users, csrf_client):
    page = csrf_client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    r = csrf_client.post("/login", data={"email": users["medewerker"].email,
                                         "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/").status_code == 200


def test_pages_send_security_headers(users, auth, client):
    auth.login(users["medewerker"])
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_sign_in_is_rate_limited_without_revealing_accounts(users, client, app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    app.config["LOGIN_IP_RATE_LIMIT"] = "5 per minute"
    limited_client = client
    for email in (users["medewerker"].email, "nobody@netwerk.example"):
        codes = [limited_client.post("/login", data={"email": email, "password": "wrong"},
                                     environ_base={"REMOTE_ADDR": f"10.0.0.{len(email)}"})
                 .status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
    medewerker = users["medewerker"].email
    page = limited_client.post("/login", data={"email": medewerker, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{len(medewerker)}"}
                               ).get_data(as_text=True)
    assert "Te veel pogingen" in page  # from that address even the right password waits
    # ... but only there: the account's owner elsewhere is not locked out (finding 18).
    assert limited_client.post("/login", data={"email": medewerker, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302
    limited_client.post("/logout")
    # Per address: different accounts from one address, until the address's limit.
    codes = [limited_client.post("/login", data={"email": f"x{i}@netwerk.example",
                                                 "password": "wrong"},
                                 environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
             for i in range(6)]
    assert codes == [200] * 5 + [429]


def test_home_links_to_admin_pages_only_for_the_beheerder(users, auth, client):
    auth.login(users["medewerker"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/verifieren"' in page and 'href="/werksessies"' in page
    assert 'href="/import"' not in page and 'href="/export/hsds.json"' not in page
    auth.logout()
    auth.login(users["beheerder"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/import"' in page and 'href="/export/hsds.json"' in page


# The database is flushed: one of its own (tests/redis_db.py).
REDIS_URL = redis_url(1)


def _redis_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_sign_in_limit_is_shared_between_workers_through_redis(database_url, users):
    """Two app instances (two workers) with the same Redis count one limit together."""
    if not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    from netwerk.app import create_app
    from netwerk.settings import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings |= {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": REDIS_URL,
                 "LOGIN_RATE_LIMIT": "3 per minute"}
    apps = [create_app(settings) for _ in range(2)]
    workers = [a.test_client() for a in apps]
    email = users["medewerker"].email
    codes = [workers[i % 2].post("/login", data={"email": email, "password": "wrong"})
             .status_code for i in range(4)]
    for worker_app in apps:  # close their pooled connections now, not at garbage collection
        with worker_app.app_context():
            db.engine.dispose()
    keys = redis.Redis.from_url(REDIS_URL).keys("*")
    redis.Redis.from_url(REDIS_URL).flushdb()
    assert codes == [200, 200, 200, 429]
    assert any(b"login:" + email.encode() in k for k in keys), keys  # counted in Redis
