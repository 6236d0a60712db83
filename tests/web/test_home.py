"""Home for a worker: favourites, recently opened, the people of one's own wijken, each with one
tap to call; the recently-opened list is personal (only its user sees it, removed with the
account) and keeps the last 20; the favourite button answers JSON for the page's script."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select, text

from netwerk import phone
from netwerk.db import db
from netwerk.main import operations, queries
from netwerk.models import AreaKind, Professional, RecentlyOpened, Tie, TieKind, User
from netwerk.models.recent import KEEP


def _recent_count(session, user_id=None) -> int:
    query = select(func.count()).select_from(RecentlyOpened)
    if user_id is not None:
        query = query.where(RecentlyOpened.user_id == user_id)
    return session.scalar(query)


def _section(html: str, section_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_opening_profiles_lists_them_newest_first_on_ones_own_home(client, auth, users, make,
                                                                     session):
    first = make.professional(name="Eerste Geopend")
    second = make.professional(name="Tweede Geopend", mobile="0612345678")
    session.commit()
    auth.login(users["medewerker"])
    client.get(f"/personen/{first.id}")
    client.get(f"/personen/{second.id}")
    recent = _section(client.get("/").get_data(as_text=True), "recent")
    assert recent.index("Tweede Geopend") < recent.index("Eerste Geopend")
    # One tap to call the mobile number; sms and WhatsApp for a mobile number.
    assert 'href="tel:+31612345678"' in recent
    assert 'href="sms:+31612345678"' in recent and "wa.me/31612345678" in recent
    client.get(f"/personen/{first.id}")  # opened again: back on top, still listed once
    recent = _section(client.get("/").get_data(as_text=True), "recent")
    assert recent.index("Eerste Geopend") < recent.index("Tweede Geopend")
    assert recent.count(f'data-professional-id="{first.id}"') == 1
    assert _recent_count(session, users["medewerker"].id) == 2


def test_ones_own_profile_is_not_listed(client, auth, users, session):
    auth.login(users["medewerker"])
    client.get(f"/personen/{users['medewerker'].professional_id}")
    assert _recent_count(session) == 0


def test_recently_opened_is_private_and_goes_with_the_account(client, auth, users, make,
                                                              session):
    other = make.professional(name="Alleen Voor Mij")
    session.commit()
    auth.login(users["medewerker"])
    client.get(f"/personen/{other.id}")
    auth.logout()
    auth.login(users["coordinator"])
    assert "Alleen Voor Mij" not in client.get("/").get_data(as_text=True)
    auth.logout()
    # The account is removed: its list goes with it (the database cascades).
    user_id = users["medewerker"].id
    session.execute(text("DELETE FROM user_sessions WHERE user_id = :u"), {"u": user_id})
    session.execute(text("DELETE FROM users WHERE id = :u"), {"u": user_id})
    session.commit()
    assert _recent_count(session, user_id) == 0


def test_only_the_last_twenty_are_kept(app, users, make, session):
    people = [make.professional() for _ in range(KEEP + 5)]
    session.commit()
    user = users["medewerker"]
    for p in people:
        operations.record_opened(session, user, p.id)
        session.commit()
    assert _recent_count(session, user.id) == KEEP
    kept = {r.professional_id for r in session.scalars(select(RecentlyOpened))}
    assert kept == {p.id for p in people[-KEEP:]}
    # Someone else's list is untouched by this user's trimming.
    other = users["coordinator"]
    operations.record_opened(session, other, people[0].id)
    operations.record_opened(session, user, people[1].id)
    session.commit()
    assert _recent_count(session, other.id) == 1 and _recent_count(session, user.id) == KEEP


def test_two_opens_at_once_keep_one_row(app, users, make, session):
    other = make.professional()
    session.commit()
    user_id, pid = users["medewerker"].id, other.id
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def open_profile():
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                barrier.wait()
                operations.record_opened(db.session, user, pid)
                db.session.commit()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=open_profile) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _recent_count(session, user_id) == 1


def test_favourites_come_first_and_are_not_repeated_under_recent(client, auth, users, make,
                                                                  session):
    fav = make.professional(name="Fien Favoriet")
    session.commit()
    auth.login(users["medewerker"])
    client.get(f"/personen/{fav.id}")
    client.post(f"/personen/{fav.id}/favoriet", data={"favoriet": "1"})
    html = client.get("/").get_data(as_text=True)
    assert "Fien Favoriet" in _section(html, "favorieten")
    assert "Fien Favoriet" not in _section(html, "recent")
    assert html.index('id="favorieten"') < html.index("Wat wil je doen?")


def test_without_favourites_the_home_says_how_to_add_one(client, auth, users):
    auth.login(users["medewerker"])
    html = client.get("/").get_data(as_text=True)
    assert "Nog geen favorieten" in _section(html, "favorieten")


def test_mijn_wijk_lists_the_people_of_ones_wijken_tied_first_with_a_link(client, auth, users,
                                                                          make, session):
    gemeente = make.area(kind=AreaKind.GEMEENTE, name="Testgemeente")
    wijk = make.area(name="Zonnewijk", parent=gemeente)
    elsewhere = make.area(name="Anderwijk", parent=gemeente)
    me = users["medewerker"].professional
    me.areas = [wijk]
    names = ["Aad Aardig", "Bea Bekend", "Cor Collega", "Dirk Dichtbij", "Els Elders",
             "Fred Feit", "Gert Gewoon"]
    people = [make.professional(name=n) for n in names]
    for p in people:
        p.areas = [wijk]
    tied = people[-1]  # Gert: a tie with me puts him first
    a, b = Tie.ordered(me.id, tied.id)
    session.add(Tie(a_id=a, b_id=b, kind=TieKind.KENT))
    outside = make.professional(name="Olga Ontbreekt")
    outside.areas = [elsewhere]
    gone = make.professional(name="Vera Vertrokken", active=False)
    gone.areas = [wijk]
    session.commit()
    auth.login(users["medewerker"])
    section = _section(client.get("/").get_data(as_text=True), f"wijk-{wijk.id}")
    assert "Mijn wijk: Zonnewijk" in section
    shown = re.findall(r'class="name" href="/personen/\d+">([^<]+)<', section)
    assert shown == ["Gert Gewoon", "Aad Aardig", "Bea Bekend", "Cor Collega", "Dirk Dichtbij"]
    assert "Olga Ontbreekt" not in section and "Vera Vertrokken" not in section
    assert f'href="/wijken/{wijk.id}"' in section and "(7 mensen)" in section
    assert section.count('class="call contact-call" href="tel:') == 5


def test_a_landline_is_called_but_never_texted(client, auth, users, make, session):
    org = make.organisation()
    p = make.professional(name="Vera Vast", organisation=org, mobile="")
    p.mobile = None
    p.landline = "0301234567"
    session.commit()
    auth.login(users["medewerker"])
    client.get(f"/personen/{p.id}")
    recent = _section(client.get("/").get_data(as_text=True), "recent")
    assert 'href="tel:+31301234567"' in recent
    assert "sms:" not in recent and "wa.me" not in recent
    assert not phone.offers_messages("+31301234567", personal_mobile=True) \
        and phone.offers_messages("+31612345678", personal_mobile=True)


def test_an_account_without_a_professional_gets_a_home(client, auth, make, session):
    user = make.user()
    session.commit()
    auth.login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Mijn wijk" not in response.get_data(as_text=True)


def test_favourite_button_answers_json_for_the_script(client, auth, users, make, session):
    other = make.professional()
    session.commit()
    auth.login(users["medewerker"])
    url = f"/personen/{other.id}/favoriet"
    response = client.post(url, data={"favoriet": "1"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json() == {
        "favourite": True, "professional_id": other.id}
    assert [p.id for p in queries.home(session, users["medewerker"]).favourites] == [other.id]
    response = client.post(url, data={"favoriet": "0"}, headers={"Accept": "application/json"})
    assert response.get_json()["favourite"] is False
    # The plain form still answers with a page (no script, or the script's fallback).
    assert client.post(url, data={"favoriet": "1"}).status_code == 303


def test_an_inactive_favourite_is_not_on_the_home_page(client, auth, users, make, session):
    other = make.professional(name="Niet Meer Actief")
    session.commit()
    auth.login(users["medewerker"])
    client.post(f"/personen/{other.id}/favoriet", data={"favoriet": "1"})
    session.get(Professional, other.id).active = False
    session.commit()
    assert "Niet Meer Actief" not in _section(client.get("/").get_data(as_text=True),
                                              "favorieten")
