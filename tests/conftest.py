"""Fixtures shared by the whole suite.

Every test that uses ``app`` runs on SQLite, and on PostgreSQL too when
NETWERK_TEST_POSTGRES_URL is set (CI sets it; with CI=true an unreachable server fails the run).
The schema is made by the real migrations once per engine; each test gets a clean database
(SQLite: a copy of the migrated file; PostgreSQL: every table truncated).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash

from netwerk.app import create_app
from netwerk.db import Base, db
from netwerk.migrate import upgrade
from netwerk.models import Area, AreaKind, Domain, Organisation, Professional, Role, Sector, User

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("NETWERK_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    else:
        params.append(
            pytest.param(
                "postgresql",
                id="postgresql",
                marks=[
                    pytest.mark.postgres,
                    pytest.mark.skip(reason="NETWERK_TEST_POSTGRES_URL is not set"),
                ],
            )
        )
    return params


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "netwerk.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    assert PG_URL
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
    finally:
        engine.dispose()
    upgrade(PG_URL)
    return PG_URL


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request, tmp_path) -> str:
    """A clean, migrated database for one test, on each engine."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "netwerk.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_all(url)
    return url


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own ``g`` and its own
    database session (the test's session sees what a request committed, and vice versa)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    from netwerk.settings import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(settings)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    return db.session


_seq = itertools.count(1)


class Factory:
    """Small builders for test data; each returns a flushed model with sensible defaults."""

    def __init__(self, session) -> None:
        self.session = session

    def _add(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def area(self, name=None, kind=AreaKind.WIJK, parent=None):
        n = next(_seq)
        if kind != AreaKind.REGIO and parent is None:
            parent = self.area(kind=AreaKind.REGIO if kind == AreaKind.GEMEENTE else AreaKind.GEMEENTE)
        return self._add(Area(name=name or f"{kind.value} {n}", kind=kind, parent=parent))

    def domain(self, slug=None, name=None):
        n = next(_seq)
        slug = slug or f"domein{n}"
        return self._add(Domain(slug=slug, name=name or slug.title()))

    def organisation(self, name=None, sector=Sector.ZORG, **kw):
        n = next(_seq)
        return self._add(Organisation(name=name or f"Organisatie {n}", sector=sector, **kw))

    def professional(self, name=None, organisation=None, mobile=None, **kw):
        n = next(_seq)
        return self._add(
            Professional(
                name=name or f"Persoon {n}",
                role=kw.pop("role", "wijkconsulent"),
                organisation=organisation or self.organisation(),
                mobile=mobile if mobile is not None else f"0620{n:06d}",
                caseload_max=kw.pop("caseload_max", 10),
                **kw,
            )
        )

    def user(self, role=Role.MEDEWERKER, professional=None, email=None, password=PASSWORD):
        n = next(_seq)
        user = User(email=email or f"{role.value}{n}@netwerk.example", role=role,
                    professional=professional, session_version=1)
        # A cheap hash keeps the suite fast; production hashing is tested in test_auth.py.
        user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")
        return self._add(user)


@pytest.fixture
def make(session) -> Factory:
    return Factory(session)


@pytest.fixture
def users(make, session) -> dict[str, User]:
    """One committed user per role, each linked to a professional (the beheerder too)."""
    result = {role.value: make.user(role, professional=make.professional()) for role in Role}
    session.commit()
    return result


class AuthActions:
    """Signs in through the real /login form."""

    def __init__(self, client) -> None:
        self.client = client

    def login(self, user_or_email, password: str = PASSWORD, follow: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        return self.client.post("/login", data={"email": email, "password": password},
                                follow_redirects=follow)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def seeded(session):
    """The Lekstroom demo network of seed_data/, loaded and committed."""
    from netwerk.seed import load_seed

    report = load_seed(session, ROOT / "seed_data")
    session.commit()
    return report
