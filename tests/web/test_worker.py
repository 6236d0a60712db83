"""`netwerk worker` on the machine's Redis: killed mid-send and restarted, it sends each
message once (the outbox's lease, the tick's sweep). Skipped when Redis does not answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from netwerk.models import MailMessage
from netwerk.notify import notify
from tests.redis_db import redis_url

REDIS_URL = redis_url(0)  # flushed: a database of its own (tests/redis_db.py)
ROOT = Path(__file__).resolve().parents[2]


def _redis():
    try:
        from redis import Redis

        r = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        r.ping()
        return r
    except Exception:
        return None


def _worker(database_url, mail_url, log):
    env = {**os.environ, "NETWERK_DATABASE_URL": database_url, "NETWERK_REDIS_URL": REDIS_URL,
           "NETWERK_MAIL_URL": mail_url, "NETWERK_MAIL_LEASE_SECONDS": "2",
           "NETWERK_JOB_TICK_SECONDS": "1", "NETWERK_SECRET_KEY": "worker-test",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "netwerk", "worker"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def test_killed_worker_sends_each_message_once(app, session, users, database_url, tmp_path):
    r = _redis()
    if r is None:
        pytest.skip(f"no Redis at {REDIS_URL}")
    r.flushdb()  # our own test database number only
    from netwerk.jobs import RQRunner
    from tests.mail_server import MailServer

    smtp = MailServer().start()
    app.config.update(MAIL_URL=smtp.url, REDIS_URL=REDIS_URL, JOBS_INLINE=False)
    app.extensions["netwerk_jobs"] = RQRunner(app)
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - handed to two processes
    worker = None
    try:
        recipients = list(users.values())
        smtp.block_rcpt()  # the first message hangs in the middle of its SMTP conversation
        for i, user in enumerate(recipients):
            notify(session, [user.id], "report", f"/personen/{i + 1}", key=f"kill:{i}")
        session.commit()
        worker = _worker(database_url, smtp.url, log)
        assert smtp.rcpt_seen.wait(60), (tmp_path / "worker.log").read_text()
        os.killpg(worker.pid, signal.SIGKILL)  # mid-job: the message is held, not sent
        worker.wait(10)
        smtp.release()
        worker = _worker(database_url, smtp.url, log)
        received = smtp.wait_for(len(recipients), timeout=60)
        time.sleep(3)  # a duplicate would arrive within a lease and a tick
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(10)
        smtp.stop()
        log.close()
        r.flushdb()
    got = sorted(m.rcpt[0] for m in smtp.messages)
    assert got == sorted(u.email for u in recipients), (tmp_path / "worker.log").read_text()
    assert len({m.message_id for m in received}) == len(recipients)
    session.expire_all()
    assert {m.state for m in session.scalars(select(MailMessage))} == {"verstuurd"}
