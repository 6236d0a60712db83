"""Finding 18: weak and common passwords refused (zxcvbn), a lockout no stranger can trigger for
someone else, and the client's address taken from trusted proxies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from netwerk.app import create_app
from netwerk.auth import throttle
from netwerk.auth.passwords import WeakPassword, check_password_strength
from netwerk.db import db
from netwerk.models import User
from tests.conftest import PASSWORD

WEAK = ["aaaaaaaaaa", "1234567890", "Wachtwoord123!", "welkom01welkom", "qwertyuiop",
        "password123", "Welkom2026!", "Nieuwegein1"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_and_common_passwords_are_refused(password):
    with pytest.raises(WeakPassword, match="te makkelijk|minstens"):
        check_password_strength(password, ["anouk.verbeek@portaal.example", "Anouk Verbeek"])


def test_ones_own_name_or_email_is_not_a_password():
    inputs = ["anouk.verbeek@portaal.example", "Anouk Verbeek"]
    for password in ("anouk.verbeek2026", "AnoukVerbeek!", "verbeekanouk"):
        with pytest.raises(WeakPassword):
            check_password_strength(password, inputs)
    check_password_strength("een heel nieuw wachtwoord", inputs)  # a few loose words: fine
    check_password_strength("paars-tegel-fiets-92", inputs)


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "Wachtwoord123!"])
def test_password_change_refuses_a_weak_password(weak, users, auth, client, session):
    user = users["medewerker"]
    auth.login(user)
    response = client.post("/account/wachtwoord",
                           data={"current": PASSWORD, "new": weak, "again": weak})
    assert response.status_code == 400
    assert "te makkelijk te raden" in response.get_data(as_text=True)
    session.expire_all()
    assert user.check_password(PASSWORD) and not user.check_password(weak)


def test_create_user_refuses_a_weak_password(runner, session):
    result = runner.invoke(args=["create-user", "zwak@netwerk.example"], input="aaaaaaaaaa\n")
    assert result.exit_code != 0 and "te makkelijk te raden" in result.output
    assert session.scalar(select(User).where(User.email == "zwak@netwerk.example")) is None


def _attempt(client, email, password, address, **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_a_stranger_cannot_lock_a_colleague_out(users, app, client):
    """Twelve wrong attempts from the stranger's address: the stranger is stopped, the colleague
    signs in from her own address at once."""
    app.config["LOGIN_RATE_LIMIT"] = "10 per minute"
    victim = users["medewerker"].email
    codes = [_attempt(client, victim, "geraden?", "10.66.0.1").status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    own = app.test_client()
    response = _attempt(own, victim, PASSWORD, "10.20.0.2")
    assert response.status_code == 302, "the owner is locked out by a stranger"
    assert own.get("/").status_code == 200


def test_many_addresses_guessing_one_account_are_slowed_not_blocking(users, app, client,
                                                                      monkeypatch):
    """Guesses spread over many addresses: each further attempt on the account waits longer
    (exponential, capped); the owner still gets in, only later."""
    app.config.update(LOGIN_SLOWDOWN_AFTER=5, LOGIN_SLOWDOWN_MAX=4.0)
    waits: list[float] = []
    monkeypatch.setattr(throttle.time, "sleep", waits.append)  # count the waits, do not sleep
    victim = users["medewerker"].email
    for i in range(9):
        assert _attempt(client, victim, "fout", f"10.77.0.{i + 1}").status_code == 200
    with app.test_request_context():
        assert throttle.failed_attempts(victim) == 9
        assert throttle.slowdown_seconds(4) == 0
        assert throttle.slowdown_seconds(5) == 0.25 and throttle.slowdown_seconds(6) == 0.5
        assert throttle.slowdown_seconds(50) == 4.0
    assert waits == [0.25, 0.5, 1.0, 2.0]  # attempts 6..9 waited, doubling
    own = app.test_client()
    assert _attempt(own, victim, PASSWORD, "10.20.0.3").status_code == 302  # slowed, not blocked
    assert waits[-1] == 4.0


def _proxied_app(app, hops: int):
    config = dict(app.config)
    config.update(TRUSTED_PROXIES=hops, LOGIN_IP_RATE_LIMIT="3 per minute",
                  LOGIN_RATE_LIMIT="1000 per minute")
    return create_app(config)


@pytest.mark.parametrize("hops, shared", [(1, False), (0, True)])
def test_behind_a_trusted_proxy_users_do_not_share_one_address(users, app, hops, shared):
    proxied = _proxied_app(app, hops)
    a, b = proxied.test_client(), proxied.test_client()
    proxy = "192.0.2.10"  # every request arrives from the proxy
    try:
        codes = [_attempt(a, f"x{i}@netwerk.example", "fout", proxy,
                          **{"X-Forwarded-For": "203.0.113.1"}).status_code for i in range(4)]
        assert codes == [200, 200, 200, 429]
        other = _attempt(b, users["medewerker"].email, PASSWORD, proxy,
                         **{"X-Forwarded-For": "203.0.113.2"}).status_code
    finally:
        with proxied.app_context():  # the second app's own engine: no connection left open
            db.session.remove()
            db.engine.dispose()
    assert (other == 429) is shared
