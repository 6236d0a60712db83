"""A job asked for twice under one key runs once: within one transaction (netwerk/jobs.py's
pending list), on the app's own scheduler (no Redis) and on RQ (the machine's Redis, db from
NETWERK_TEST_REDIS_URL; skipped without Redis)."""

from __future__ import annotations

import os

import pytest

from netwerk import jobs

REDIS_URL = os.environ.get("NETWERK_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
RAN: list[str] = []


@jobs.job("test_count")
def _count(label: str) -> str:
    RAN.append(label)
    return label


def test_one_key_twice_in_one_transaction_runs_once(app, session):
    RAN.clear()
    jobs.enqueue(session, "test_count", "same", label="a")
    jobs.enqueue(session, "test_count", "same", label="b")
    jobs.enqueue(session, "test_count", "other", label="c")
    session.commit()
    assert RAN == ["a", "c"]
    jobs.enqueue(session, "test_count", "same", label="d")  # a later transaction: runs again
    session.commit()
    assert RAN == ["a", "c", "d"]


def test_the_apps_own_scheduler_keeps_one_waiting_job_per_key(app):
    runner = jobs.LocalRunner(app)
    try:
        runner.submit("test_count", "mail-7", 60, {"label": "x"})
        runner.submit("test_count", "mail-7", 60, {"label": "y"})
        runner.submit("test_count", "mail-8", 60, {"label": "z"})
        assert sorted(j.id for j in runner._ensure().get_jobs()) == ["mail-7", "mail-8"]
    finally:
        runner.shutdown()


def test_rq_keeps_one_waiting_job_per_key(app):
    try:
        from redis import Redis

        redis = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        redis.ping()
    except Exception:
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.flushdb()  # our own test database number only
    app.config["REDIS_URL"] = REDIS_URL
    runner = jobs.RQRunner(app)
    try:
        for _ in range(3):
            runner.submit("test_count", "mail-9", 0, {"label": "x"})
        runner.submit("test_count", "mail-10", 0, {"label": "y"})
        assert runner.queue().count == 2
        runner.submit("test_count", "mail-11", 30, {"label": "later"})
        runner.submit("test_count", "mail-11", 30, {"label": "later"})
        assert runner.queue().scheduled_job_registry.count == 1
    finally:
        redis.flushdb()
