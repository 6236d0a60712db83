"""Fixtures shared by the whole suite.

Every test that uses ``app`` runs on SQLite, and on PostgreSQL too when
NETWERK_TEST_POSTGRES_URL is set (CI sets it; with CI=true an unreachable server fails the run).
The schema is made by the real migrations once per engine; each test gets a clean database:

- SQLite: a copy of the migrated file (a file copy, about a millisecond);
- PostgreSQL: every table (the search tables of the migrations too) emptied with DELETE and
  its id sequence restarted: ~15 ms, where TRUNCATE of all tables cost ~0.5 s per test.

A test that uses ``seeded`` (directly or through another fixture) starts from the demo network,
loaded ONCE per engine and session: SQLite copies a seeded file, PostgreSQL writes the rows kept
from that one load back (a few hundred milliseconds instead of seconds of loading per test).
Every test still gets its own copy, so a test that writes cannot leak into the next one.

Under pytest-xdist (``pytest -n 2``) each worker has its own PostgreSQL database, named after the
given one plus the worker id (``<db>_gw0``, ``<db>_gw1``; created when missing), and its own
temporary directory.
"""

from __future__ import annotations

import copy
import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, Table, create_engine, make_url, select, text
from werkzeug.security import generate_password_hash

from netwerk.app import create_app
from netwerk.db import Base, db
from netwerk.migrate import upgrade
from netwerk.models import Area, AreaKind, Domain, Organisation, Professional, Role, Sector, User

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seed_data"
PG_URL = os.environ.get("NETWERK_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", … under pytest -n N
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


def test_settings(url: str) -> dict:
    """config.TestConfig as a dict, pointed at ``url``."""
    from netwerk.settings import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings["SQLALCHEMY_DATABASE_URI"] = url
    return settings


test_settings.__test__ = False  # a helper, not a test


def _load_seed_into(url: str):
    """The demo network of seed_data/, loaded into ``url`` and committed; returns the report."""
    from netwerk.seed import load_seed

    app = create_app(test_settings(url))
    with app.app_context():
        try:
            report = load_seed(db.session, SEED_DIR)
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()
    return report


# -- SQLite: migrated (and seeded) files, copied per test ------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "netwerk.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_seeded_template(sqlite_template, tmp_path_factory) -> tuple[Path, object]:
    """The migrated file with the demo network loaded once: (path, seed report)."""
    path = tmp_path_factory.mktemp("seeded") / "netwerk.sqlite3"
    shutil.copy(sqlite_template, path)
    return path, _load_seed_into(f"sqlite:///{path}")


# -- PostgreSQL: one migrated database per xdist worker, reset per test ----------------------

def _worker_url(url: str) -> str:
    """``url`` itself, or under pytest-xdist the worker's own database next to it (created
    when missing)."""
    if not XDIST_WORKER:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{XDIST_WORKER}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) \
                    is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@dataclass
class PostgresDatabase:
    """A migrated PostgreSQL database and the statements that reset it between tests."""

    url: str
    engine: object
    # Every table but alembic_version, parents first: the models' tables and the search
    # tables the migrations add beside them (search_people, search_orgs, kept by triggers).
    tables: list[Table]
    sequences: dict[str, str]  # table name -> its id sequence
    superuser: bool = False
    seed_rows: dict[str, list[dict]] | None = None
    seed_report: object = None

    def _empty(self, conn) -> None:
        if self.superuser:
            # No foreign-key triggers while the tables are emptied and refilled: the rows
            # written back are a consistent copy, and the per-row checks of DELETE dominate
            # the cost otherwise. Ends with the transaction.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        # Children before parents; an empty table costs next to nothing.
        for table in reversed(self.tables):
            conn.execute(table.delete())

    def _restart(self, conn, next_ids: dict[str, int]) -> None:
        if self.sequences:
            calls = ", ".join(f"setval('{seq}', {next_ids.get(name, 1)}, false)"
                              for name, seq in self.sequences.items())
            conn.execute(text(f"SELECT {calls}"))

    def reset(self) -> None:
        """Every table empty, every id sequence back at 1 (as TRUNCATE … RESTART IDENTITY)."""
        with self.engine.begin() as conn:
            self._empty(conn)
            self._restart(conn, {})

    def reset_seeded(self) -> None:
        """The database exactly as right after the one seed load of this session."""
        assert self.seed_rows is not None
        with self.engine.begin() as conn:
            self._empty(conn)
            next_ids = {}
            for table in self.tables:
                rows = self.seed_rows[table.name]
                if rows:
                    conn.execute(table.insert(), rows)
                    if "id" in table.c:
                        next_ids[table.name] = max(r["id"] for r in rows) + 1
            self._restart(conn, next_ids)

    def keep_seed(self) -> None:
        """Load the demo network once and keep its rows (in id order) for ``reset_seeded``."""
        self.reset()
        self.seed_report = _load_seed_into(self.url)
        with self.engine.connect() as conn:
            self.seed_rows = {
                table.name: [dict(r) for r in conn.execute(
                    select(table).order_by(*table.primary_key.columns)).mappings()]
                for table in self.tables
            }


@pytest.fixture(scope="session")
def postgres_database() -> PostgresDatabase:
    assert PG_URL
    engine = None
    try:
        url = _worker_url(PG_URL)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if engine is not None:
            engine.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
    upgrade(url)
    reflected = MetaData()
    reflected.reflect(engine)
    tables = [t for t in reflected.sorted_tables if t.name != "alembic_version"]
    assert {t.name for t in Base.metadata.sorted_tables} <= {t.name for t in tables}
    with engine.connect() as conn:
        sequences = {}
        for table in tables:
            if "id" in table.c:
                seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                  {"t": f'"{table.name}"'})
                if seq:
                    sequences[table.name] = seq
        superuser = bool(conn.scalar(text("SELECT rolsuper FROM pg_roles "
                                          "WHERE rolname = current_user")))
    database = PostgresDatabase(url=url, engine=engine, tables=tables, sequences=sequences,
                                superuser=superuser)
    yield database
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_database) -> str:
    return postgres_database.url


@pytest.fixture(scope="session")
def postgres_seeded(postgres_database) -> PostgresDatabase:
    postgres_database.keep_seed()
    return postgres_database


def _wants_seed(request) -> bool:
    return "seeded" in request.fixturenames


@pytest.fixture(params=_backends())
def database_url(request, tmp_path) -> str:
    """A clean, migrated database for one test, on each engine (with the demo network already
    in it when the test uses ``seeded``)."""
    if request.param == "sqlite":
        path = tmp_path / "netwerk.sqlite3"
        if _wants_seed(request):
            template, report = request.getfixturevalue("sqlite_seeded_template")
            shutil.copy(template, path)
            request.node.netwerk_seed_report = report
        else:
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    if _wants_seed(request):
        database = request.getfixturevalue("postgres_seeded")
        database.reset_seeded()
        request.node.netwerk_seed_report = database.seed_report
    else:
        database = request.getfixturevalue("postgres_database")
        database.reset()
    return database.url


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own ``g`` and its own
    database session (the test's session sees what a request committed, and vice versa)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    # One graph cache per database engine; a test restored to the same data on the same
    # PostgreSQL URL must not see an earlier test's cached objects either.
    from netwerk.network.cache import clear_all

    clear_all()
    app = create_app(test_settings(database_url))
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
def seeded(request, session):
    """The Lekstroom demo network of seed_data/, loaded and committed.

    ``database_url`` has already restored it from the session's one load (see the module
    docstring); only when ``seeded`` is asked for late (``request.getfixturevalue``) is it
    loaded here."""
    report = getattr(request.node, "netwerk_seed_report", None)
    if report is not None:
        return copy.deepcopy(report)
    from netwerk.seed import load_seed

    report = load_seed(session, SEED_DIR)
    session.commit()
    return report


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd, in this process) that the app mails to."""
    from tests.mail_server import MailServer

    server = MailServer().start()
    app.config["MAIL_URL"] = server.url
    try:
        yield server
    finally:
        server.stop()
