"""The web import as a job: POST /import keeps the upload and answers 303 to the run's page,
which shows a progress bar (polled through status.json) and, when done, the same report as
before; who may see a run; a failed import changes nothing and says why; a run whose process
died is marked failed by the tick. The jobs run inline after the commit in the tests; a test
that wants to see a run waiting takes the runner away. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from netwerk.db import utcnow
from netwerk.jobs import run_job
from netwerk.models import JobRun, Organisation, Role
from netwerk.notify.timed import tick

ORGS = b"key;name;sector;phone\r\norg-job;Stichting Baan;welzijn;030 123 4567\r\n"
BAD = b"key,name,sector,phone\norg-job,A,welzijn,06-123\n"


def _post(client, body=ORGS, dry_run=False, name="organisaties.csv"):
    data = {"files": [(io.BytesIO(body), name)]}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/import", data=data, content_type="multipart/form-data")


def _run_id(response) -> int:
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/import/")
    return int(location.rsplit("/", 1)[1])


def _imported(session):
    session.expire_all()
    return session.scalar(select(Organisation.name).where(Organisation.external_id == "org-job"))


def _status(client, run_id):
    response = client.get(f"/import/{run_id}/status.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_an_upload_becomes_a_job_and_its_page_shows_the_bar_and_the_report(
        client, auth, users, session):
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client, dry_run=True))
    page = client.get(f"/import/{run_id}").get_data(as_text=True)
    assert 'id="import-progress"' in page and 'value="100"' in page
    assert "Proefimport: geen problemen" in page and "organisaties: 1 rijen, 1 nieuw" in page
    assert "import-progress.js" not in page  # done: nothing left to poll
    assert _imported(session) is None  # a dry run changes nothing
    assert _status(client, run_id) | {"label": ""} == {
        "state": "klaar", "done": 1, "total": 1, "percent": 100, "finished": True,
        "label": ""}
    run_id = _run_id(_post(client))
    page = client.get(f"/import/{run_id}").get_data(as_text=True)
    assert "Import voltooid" in page and "1 nieuw" in page
    assert _imported(session) == "Stichting Baan"
    run = session.get(JobRun, run_id)
    assert run.payload is None and run.user_id == users["beheerder"].id  # the upload is gone


def test_a_waiting_run_shows_the_bar_the_script_and_a_reload_link(app, client, auth, users,
                                                                  session):
    app.extensions["netwerk_jobs"] = None  # nobody works the queue yet
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client))
    page = client.get(f"/import/{run_id}").get_data(as_text=True)
    assert '<progress id="import-progress"' in page and 'value="0"' in page
    assert "Wacht op zijn beurt" in page
    assert f'href="/import/{run_id}"' in page  # without JavaScript: reload by hand
    assert "/static/js/import-progress.js" in page
    assert f'data-status-url="/import/{run_id}/status.json"' in page
    assert _status(client, run_id)["state"] == "wacht"
    script = client.get("/static/js/import-progress.js")
    assert script.status_code == 200
    script.close()
    # Running: the bar follows the progress store.
    from netwerk.interchange.jobs import set_progress

    session.get(JobRun, run_id).state = "bezig"
    session.commit()
    set_progress(run_id, 3, 4)
    status = _status(client, run_id)
    assert (status["state"], status["done"], status["total"], status["percent"]) == (
        "bezig", 3, 4, 75)
    assert "75%" in client.get(f"/import/{run_id}").get_data(as_text=True)
    session.get(JobRun, run_id).state = "wacht"
    session.commit()
    # The worker picks it up: done, written, the page shows the report.
    assert run_job(app, "import", {"run_id": run_id}) == "klaar"
    assert run_job(app, "import", {"run_id": run_id}) == "al gedaan"  # once
    assert _status(client, run_id)["finished"] is True
    assert "Import voltooid" in client.get(f"/import/{run_id}").get_data(as_text=True)
    assert _imported(session) == "Stichting Baan"


def test_an_import_with_problems_changes_nothing_and_says_why(client, auth, users, session):
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client, BAD, name="organisations.csv"))
    page = client.get(f"/import/{run_id}").get_data(as_text=True)
    assert "rij 2, telefoon: &#39;06-123&#39; is geen geldig telefoonnummer" in page
    assert "Er is niets veranderd" in page
    assert _imported(session) is None
    assert session.get(JobRun, run_id).state == "klaar"


def test_an_import_that_fails_changes_nothing_and_the_page_says_so(
        client, auth, users, session, monkeypatch):
    from netwerk.interchange import importer

    real = importer.run_import

    def breaks(session_, sources, **kwargs):
        real(session_, sources, **kwargs)  # it wrote, then the process hit an error
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "run_import", breaks)
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client))
    page = client.get(f"/import/{run_id}").get_data(as_text=True)
    assert "Import mislukt" in page and "RuntimeError" in page and "niets veranderd" in page
    assert "disk full" not in page  # the exception's text is for the log, not the page
    assert _imported(session) is None
    assert _status(client, run_id)["state"] == "fout"


def test_who_may_see_a_run(client, auth, users, make, session):
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client, dry_run=True))
    other = make.user(Role.BEHEERDER, email="tweede-beheerder@test.example")
    daily = JobRun(key="daily-test", kind="daily", state="klaar")
    session.add(daily)
    session.commit()
    auth.logout()
    auth.login(other)  # another beheerder: the import concerns the whole network
    assert client.get(f"/import/{run_id}").status_code == 200
    assert client.get(f"/import/{run_id}/status.json").status_code == 200
    for ident in (run_id + 1000, 0, "²", "2147483648", "abc", "-1", daily.id):
        assert client.get(f"/import/{ident}").status_code == 404, ident
        assert client.get(f"/import/{ident}/status.json").status_code == 404, ident
    auth.logout()
    for role in ("medewerker", "coordinator", "facilitator"):
        auth.login(users[role])
        for ident in (run_id, run_id + 1000):  # refused before anything is looked up
            assert client.get(f"/import/{ident}").status_code == 403, role
            assert client.get(f"/import/{ident}/status.json").status_code == 403, role
        auth.logout()
    response = client.get(f"/import/{run_id}/status.json")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def _busy_run(session, options) -> int:
    run = JobRun(key=f"import-test-{options}", kind="import", state="bezig",
                 options=json.dumps({"dry_run": False} | options), payload=b"[]")
    session.add(run)
    session.commit()
    return run.id


def test_the_tick_marks_a_run_whose_process_died_as_failed(client, auth, users, session):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    here, now = socket.gethostname(), utcnow()

    dead = _busy_run(session, {"host": here, "pid": gone.pid, "started": now.isoformat()})
    alive = _busy_run(session, {"host": here, "pid": os.getpid(), "started": now.isoformat()})
    elsewhere_old = _busy_run(session, {"host": "elders", "pid": 1, "started": (
        now - timedelta(hours=5)).isoformat()})
    elsewhere_new = _busy_run(session, {"host": "elders", "pid": 1, "started": now.isoformat()})
    done = tick(session)
    assert done["imports"] == {"dead": 2, "again": 0}
    session.expire_all()
    states = {i: session.get(JobRun, i).state for i in (dead, alive, elsewhere_old,
                                                         elsewhere_new)}
    assert states == {dead: "fout", alive: "bezig", elsewhere_old: "fout",
                      elsewhere_new: "bezig"}
    assert session.get(JobRun, dead).payload is None
    auth.login(users["beheerder"])
    page = client.get(f"/import/{dead}").get_data(as_text=True)
    assert "Import mislukt" in page and "afgebroken" in page
    assert tick(session)["imports"]["dead"] == 0  # once


def test_the_tick_asks_again_for_a_run_whose_job_was_lost(app, client, auth, users, session):
    app.extensions["netwerk_jobs"] = None  # the job is lost (Redis restarted)
    auth.login(users["beheerder"])
    run_id = _run_id(_post(client))
    from netwerk.jobs import InlineRunner

    app.extensions["netwerk_jobs"] = InlineRunner(app)
    assert tick(session)["imports"]["again"] == 0  # just queued: left to its own job
    session.get(JobRun, run_id).created_at = utcnow() - timedelta(minutes=10)
    session.commit()
    assert tick(session)["imports"]["again"] == 1
    session.expire_all()
    assert session.get(JobRun, run_id).state == "klaar"
    assert _imported(session) == "Stichting Baan"
