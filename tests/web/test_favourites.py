"""Favourites: one's own list of numbers, marked from a profile, kept once, private to the user."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from netwerk.db import db
from netwerk.directory import operations, queries
from netwerk.models import Favourite, Professional, User


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Favourite))


def test_marking_a_favourite_shows_on_the_profile_and_unmarks(client, auth, users, make, session):
    other = make.professional(name="Paul Favoriet")
    session.commit()
    auth.login(users["medewerker"])
    page = f"/personen/{other.id}"
    assert "Maak favoriet" in client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/favoriet", data={"favoriet": "1"})
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert 'aria-pressed="true"' in html and "staat bij je favorieten" in html
    assert [p.id for p in queries.favourites_of(session, users["medewerker"].id)] == [other.id]
    client.post(f"{page}/favoriet", data={"favoriet": "1"})  # a second tap keeps one
    assert _count(session) == 1
    client.post(f"{page}/favoriet", data={"favoriet": "0"})
    assert 'aria-pressed="false"' in client.get(page).get_data(as_text=True)
    assert _count(session) == 0


def test_a_favourite_is_private_to_its_user(client, auth, users, make, session):
    other = make.professional()
    session.commit()
    auth.login(users["medewerker"])
    client.post(f"/personen/{other.id}/favoriet", data={"favoriet": "1"})
    auth.logout()
    auth.login(users["coordinator"])
    assert 'aria-pressed="false"' in client.get(f"/personen/{other.id}").get_data(as_text=True)
    assert queries.favourites_of(session, users["coordinator"].id) == []


def test_without_csrf_nothing_is_marked(app, client, auth, users, session):
    me = users["medewerker"].professional
    auth.login(users["medewerker"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/personen/{me.id}/favoriet").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _count(session) == 0


def test_unknown_person_is_404_and_next_stays_local(client, auth, users):
    auth.login(users["medewerker"])
    assert client.post("/personen/999999/favoriet").status_code == 404
    me = users["medewerker"].professional
    response = client.post(f"/personen/{me.id}/favoriet",
                           data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"/personen/{me.id}")


def test_two_taps_at_once_keep_one_favourite(app, users, make, session):
    """Two requests marking the same favourite at the same moment: one row, no error."""
    other = make.professional()
    session.commit()
    user_id, pid = users["medewerker"].id, other.id
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def tap():
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                prof = db.session.get(Professional, pid)
                barrier.wait()
                operations.set_favourite(db.session, user, prof, True)
                db.session.commit()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    session.expire_all()
    assert queries.is_favourite(session, user_id, pid)
    assert _count(session) == 1
