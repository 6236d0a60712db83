"""One's own password (/account/wachtwoord) and signing out everywhere."""

from __future__ import annotations

from sqlalchemy import func, select

from netwerk.db import db
from netwerk.models import AuditEntry, User
from tests.conftest import PASSWORD

NEW = "een heel nieuw wachtwoord"


def _change(client, current=PASSWORD, new=NEW, again=NEW):
    return client.post("/account/wachtwoord",
                       data={"current": current, "new": new, "again": again})


def test_password_page_is_for_signed_in_users(users, auth, client):
    assert client.get("/account/wachtwoord").headers["Location"].startswith("/login")
    auth.login(users["medewerker"])
    page = client.get("/account/wachtwoord").get_data(as_text=True)
    assert "Huidig wachtwoord" in page and "Nieuw wachtwoord nogmaals" in page


def test_changing_the_password_keeps_this_session_and_ends_the_others(users, auth, client, app):
    user = users["medewerker"]
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    auth.login(user)

    response = _change(client)
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # this device stays signed in
    assert other.get("/").status_code == 302  # the phone left signed in elsewhere does not

    auth.logout()
    auth.login(user)  # the old password
    assert client.get("/").status_code == 302  # the old password no longer works
    auth.login(user, password=NEW)
    assert client.get("/").status_code == 200
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.user_id == user.id)).all()
    assert "password_change" in actions


def test_wrong_current_short_or_different_new_password_changes_nothing(users, auth, client):
    user = users["coordinator"]
    auth.login(user)
    before = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    cases = [
        ({"current": "niet mijn wachtwoord"}, "Huidig wachtwoord: dit klopt niet."),
        ({"new": "kort", "again": "kort"}, "Nieuw wachtwoord:"),
        ({"again": NEW + "x"}, "niet gelijk"),
        ({"new": PASSWORD, "again": PASSWORD}, "ander wachtwoord"),
        ({"current": ""}, "Huidig wachtwoord:"),
    ]
    for change, message in cases:
        response = _change(client, **change)
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
        db.session.expire_all()
        assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == before
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_session(users, auth, client, app):
    user = users["facilitator"]
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    auth.login(user)
    response = client.post("/account/overal-afmelden")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 302
    auth.login(user)  # the password still works
    assert client.get("/").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "sign_out_everywhere")) == 1


def test_next_never_leaves_the_site(users, client):
    """``/\\host`` and control characters are what browsers turn into ``//host``."""
    from netwerk.safe_redirect import local_path

    for target in ["/\\evil.example", "/\\/evil.example", "//evil.example", "https://evil.example",
                   "/\t/evil.example", "javascript:alert(1)", "", None, "zoeken"]:
        assert local_path(target) is None, target
    assert local_path("/zoeken?q=anouk") == "/zoeken?q=anouk"
    for target in ["/\\evil.example", "/%5Cevil.example"]:
        response = client.post(f"/login?next={target}",
                               data={"email": users["medewerker"].email, "password": PASSWORD})
        location = response.headers["Location"]
        assert location in ("/", target) and "\\" not in location, location


def test_klopt_nog_returns_only_to_a_page_of_this_site(users, auth, client):
    me = users["medewerker"]
    auth.login(me)
    url = f"/personen/{me.professional_id}/klopt"
    assert client.post(url, data={"next": "/\\evil.example"}).headers["Location"] == \
        f"/personen/{me.professional_id}"
    assert client.post(url, data={"next": "/verifieren"}).headers["Location"] == "/verifieren"
