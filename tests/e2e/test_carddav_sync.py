"""A real CardDAV client against the real server: vdirsyncer syncs the address books of the demo
(``netwerk demo``) into a folder, as a phone's contacts app would. A changed number arrives at
the next sync, a person who leaves the book (deactivated, moved out of the wijk, unfavourited)
disappears, and a revoked app password is refused.

The demo's data is changed between syncs through netwerk's own models on the same SQLite file
(the server reads it fresh on every request); the app password is made with the real
``netwerk create-app-password`` command and revoked on /account/apparaten in the browser's
place (a signed-in HTTP session with the form's CSRF token)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import LOGINS, demo_server

pytestmark = pytest.mark.e2e
requests = pytest.importorskip("requests")

EMAIL, PASSWORD = LOGINS["medewerker"]  # Anouk Verbeek


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("carddav") / "netwerk.sqlite3"
    with demo_server(db, "carddav-secret") as base:
        yield base, db


def _cli(db: Path, *args: str) -> str:
    env = {**os.environ, "NETWERK_DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run([sys.executable, "-m", "netwerk", *args], env=env, text=True,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Vdirsyncer:
    def __init__(self, root: Path, base: str, password: str) -> None:
        self.root = root
        self.contacts = root / "contacts"
        self.contacts.mkdir(parents=True)
        self.config = root / "config"
        self.config.write_text(f"""[general]
status_path = "{root}/status/"

[pair netwerk]
a = "remote"
b = "phone"
collections = ["from a"]

[storage remote]
type = "carddav"
url = "{base}/carddav/"
username = "{EMAIL}"
password = "{password}"

[storage phone]
type = "filesystem"
path = "{self.contacts}/"
fileext = ".vcf"
""")

    def run(self, *args: str, answers: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vdirsyncer", "-c", str(self.config), *args],
                              input=answers, text=True, capture_output=True, timeout=120)

    def sync(self) -> subprocess.CompletedProcess:
        return self.run("sync")

    def cards(self, book: str) -> dict[str, str]:
        """uid -> vCard text of the synced folder of ``book``."""
        folder = self.contacts / book
        return {p.stem: p.read_text() for p in folder.glob("*.vcf")}


def _change(db: Path, change) -> None:
    """Run ``change(session, models)`` on the demo's database and commit."""
    from netwerk import models
    from netwerk.app import create_app
    from netwerk.db import db as flask_db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}", "SECRET_KEY": "x"})
    with app.app_context():
        change(flask_db.session, models)
        flask_db.session.commit()
        flask_db.session.remove()
        flask_db.engine.dispose()


def _signed_in(base: str) -> requests.Session:
    web = requests.Session()
    page = web.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    r = web.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD,
                                        "csrf_token": token}, allow_redirects=False)
    assert r.status_code == 302
    return web


def _uid(db: Path, name: str) -> tuple[int, str]:
    found = {}

    def look(session, models):
        person = session.query(models.Professional).filter_by(name=name).one()
        found["id"] = person.id

    _change(db, look)
    return found["id"], f"netwerk-professional-{found['id']}"


def test_vdirsyncer_follows_the_books(server, tmp_path):
    if shutil.which("vdirsyncer") is None and not _has_module("vdirsyncer"):
        pytest.skip("vdirsyncer is not installed (pip install -e '.[test]')")
    base, db = server
    password = _cli(db, "create-app-password", EMAIL, "--name", "vdirsyncer")
    client = Vdirsyncer(tmp_path, base, password)
    discovered = client.run("discover", answers="y\n" * 4)
    assert discovered.returncode == 0, discovered.stderr
    assert "Mijn wijken" in discovered.stdout + discovered.stderr

    # Two favourites, marked through the web like a user does.
    colleague_id, colleague_uid = _uid(db, "Paul Verhoef")
    second_id, second_uid = _uid(db, "Nicole van Rijn")
    web = _signed_in(base)
    for person_id in (colleague_id, second_id):
        person = web.get(f"{base}/personen/{person_id}").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', person)[1]
        r = web.post(f"{base}/personen/{person_id}/favoriet",
                     data={"favoriet": "1", "csrf_token": token}, allow_redirects=False)
        assert r.status_code == 303

    first = client.sync()
    assert first.returncode == 0, first.stderr
    wijk = client.cards("mijn-wijken")
    assert len(wijk) >= 10
    assert colleague_uid in client.cards("favorieten")
    assert set(client.cards("favorieten")) == {colleague_uid, second_uid}
    # Anouk herself is not in her own book; everyone in it works in one of her wijken.
    own_id, own_uid = _uid(db, "Anouk Verbeek")
    assert own_uid not in wijk

    # 1. A changed number arrives at the next sync.
    target_uid = sorted(wijk)[0]
    target_id = int(target_uid.rsplit("-", 1)[1])

    def new_number(session, models):
        session.get(models.Professional, target_id).mobile = "+3197099990001"

    _change(db, new_number)
    unchanged_before = {u: t for u, t in wijk.items() if u != target_uid}
    second = client.sync()
    assert second.returncode == 0, second.stderr
    wijk = client.cards("mijn-wijken")
    assert "TEL;TYPE=CELL:+3197099990001" in wijk[target_uid]
    assert {u: t for u, t in wijk.items() if u != target_uid} == unchanged_before
    assert second.stdout.count("Copying") + second.stderr.count("Copying") <= 1

    # 2. Who leaves disappears: deactivated, moved out of the wijk, unfavourited.
    gone_uid, moved_uid = sorted(wijk)[1], sorted(wijk)[2]
    gone_id, moved_id = (int(u.rsplit("-", 1)[1]) for u in (gone_uid, moved_uid))

    def leave(session, models):
        session.get(models.Professional, gone_id).active = False
        moved = session.get(models.Professional, moved_id)
        own = session.get(models.Professional, own_id)
        moved.areas = [a for a in moved.areas if a not in own.areas]
        session.query(models.Favourite).filter_by(professional_id=colleague_id).delete()

    _change(db, leave)
    third = client.sync()
    assert third.returncode == 0, third.stderr
    wijk = client.cards("mijn-wijken")
    assert gone_uid not in wijk and moved_uid not in wijk
    assert target_uid in wijk
    assert set(client.cards("favorieten")) == {second_uid}

    # 3. A revoked app password is refused: revoked on /account/apparaten.
    page = web.get(f"{base}/account/apparaten").text
    row = re.search(r'data-app-password-id="(\d+)"', page)[1]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    r = web.post(f"{base}/account/apparaten", data={"revoke": row, "csrf_token": token},
                 allow_redirects=False)
    assert r.status_code == 303
    refused = client.sync()
    assert refused.returncode != 0
    assert "401" in refused.stderr or "Unauthorized" in refused.stderr
    assert set(client.cards("mijn-wijken")) == set(wijk)  # the phone keeps what it had


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
