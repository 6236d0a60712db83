"""netwerk backup / restore: a round trip while the app is serving."""

import threading
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from netwerk.db import db
from netwerk.models import Organisation


@pytest.fixture
def serving(app):
    """The app served on a free port in a thread, answering while the test works."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _hammer(base: str, stop: threading.Event, failures: list) -> None:
    while not stop.is_set():
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                if r.status != 200:
                    failures.append(r.status)
        except OSError as exc:
            failures.append(repr(exc))


def test_backup_and_restore_round_trip_while_serving(runner, make, session, tmp_path, serving):
    make.organisation(name="Voor de back-up")
    session.commit()
    stop, failures = threading.Event(), []
    load = threading.Thread(target=_hammer, args=(serving, stop, failures))
    load.start()
    try:
        target = tmp_path / "netwerk.backup"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0

        make.organisation(name="Na de back-up")
        session.commit()
        assert session.scalar(select(func.count()).select_from(Organisation)) == 2
        session.close()  # a restore replaces tables; no transaction of ours may hold them

        result = runner.invoke(args=["restore", "--yes", str(target)])
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        load.join()
    session.close()
    db.engine.dispose()
    names = session.scalars(select(Organisation.name)).all()
    assert names == ["Voor de back-up"]
    assert failures == []


def test_restore_refuses_a_file_that_is_no_backup(runner, tmp_path, app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the check reads SQLite files; pg_restore refuses foreign files itself")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    result = runner.invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code != 0
    assert "geen back-up van netwerk" in result.output


def test_backup_never_overwrites(runner, tmp_path, app):
    target = tmp_path / "exists"
    target.write_text("keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "bestaat al" in result.output
    assert target.read_text() == "keep me"
