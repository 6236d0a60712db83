"""Jobs: work that happens after a request, or at a time (docs/loops.md).

An operation asks for a job with ``enqueue(session, name, key, **kwargs)``; nothing runs until
the session commits (a rolled-back request queues nothing). Then the app's runner takes it:

* ``NETWERK_REDIS_URL`` set: RQ on Redis. The job goes on the queue ``netwerk`` with the key
  as RQ's job id; ``netwerk worker`` works the queue (RQ's forking worker with its scheduler
  for delayed jobs) and enqueues the ``tick`` every ``JOB_TICK_SECONDS`` (APScheduler).
* no Redis (``netwerk demo``, the default): the same jobs run inside the app process, on an
  APScheduler background scheduler (a delayed job is a date trigger, the tick an interval).
* ``JOBS_INLINE`` (the test suite): right after the commit, in the committing thread.

Every job is idempotent: it re-reads the database and changes rows with conditional UPDATEs
(a hold leaves ``open`` once, a message leaves ``wacht`` once), so a job run twice — a worker
killed mid-job and the job run again, two workers on one tick — does its work once. The
outbox, not the queue, is the source of truth: the tick re-queues what a lost job left behind.

A job is ``fn(**kwargs)`` registered with ``@job("name")``; it runs in an app context and uses
``db.session`` (its own session: a fresh app context), committing itself.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from rq import Queue

log = logging.getLogger(__name__)

JOBS: dict[str, Callable[..., Any]] = {}
QUEUE_NAME = "netwerk"
_PENDING = "netwerk_jobs"


WARMERS: list[Callable[[Session], None]] = []


def job(name: str):
    """Register ``fn`` as the job ``name``."""
    def register(fn):
        JOBS[name] = fn
        return fn
    return register


def warmer(fn: Callable[[Session], None]) -> Callable[[Session], None]:
    """Register ``fn(session)``: run once by ``netwerk worker`` before it forks, doing what a
    job does first in a fresh process (compiling its statements, the first e-mail message)
    without changing anything — so no work horse pays for it again."""
    WARMERS.append(fn)
    return fn


def enqueue(session: Session, name: str, key: str, delay: float = 0, **kwargs) -> None:
    """Run job ``name`` with ``kwargs`` once ``session`` commits (after ``delay`` seconds).

    The key names the job: asked for twice with one key (in one transaction, or while the
    first is still waiting on the queue), it runs once."""
    pending = session.info.setdefault(_PENDING, [])
    if any(p[1] == key for p in pending):
        return
    pending.append((name, key, delay, kwargs))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint released; commit comes later
        return
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    from flask import current_app, has_app_context

    if not has_app_context():  # a plain session outside the app (scripts): nobody to run them
        log.warning("jobs dropped outside an app context: %s", [p[0] for p in pending])
        return
    runner = current_app.extensions.get("netwerk_jobs")
    if runner is None:
        return
    for name, key, delay, kwargs in pending:
        runner.submit(name, key, delay, kwargs)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.pop(_PENDING, None)


def run_job(app, name: str, kwargs: dict) -> Any:
    """Run one job inside a fresh app context (so it has its own ``db.session``)."""
    from netwerk.db import db

    with app.app_context():
        try:
            return JOBS[name](**kwargs)
        finally:
            db.session.remove()


def _load_jobs() -> None:
    """Import the modules that register jobs (they are imported lazily elsewhere)."""
    import netwerk.capacity.holds
    import netwerk.interchange.jobs
    import netwerk.notify.outbox
    import netwerk.notify.timed  # noqa: F401


class InlineRunner:
    """Runs each job right after the commit, in the committing thread (tests)."""

    def __init__(self, app) -> None:
        self.app = app

    def submit(self, name: str, key: str, delay: float, kwargs: dict) -> None:
        if delay:
            return  # a delayed job is a retry; the tick (called by the test) catches up
        try:
            run_job(self.app, name, kwargs)
        except Exception:  # a failing job never fails the request that queued it
            log.exception("job %s (%s) failed", name, key)

    def start(self) -> None:
        pass


class LocalRunner:
    """The app process works its own jobs (no Redis): an APScheduler background scheduler
    runs each job on its thread pool, delayed ones at their time, and the tick periodically."""

    def __init__(self, app) -> None:
        self.app = app
        self._scheduler = None
        self._lock = threading.Lock()

    def _ensure(self):
        with self._lock:
            if self._scheduler is None:
                from apscheduler.executors.pool import ThreadPoolExecutor
                from apscheduler.schedulers.background import BackgroundScheduler

                scheduler = BackgroundScheduler(
                    executors={"default": ThreadPoolExecutor(2)},
                    job_defaults={"coalesce": True, "max_instances": 1,
                                  "misfire_grace_time": 3600},
                    timezone="UTC")
                scheduler.start()
                self._scheduler = scheduler
        return self._scheduler

    def start(self) -> None:
        """Start the periodic tick (the first request does this in a served app)."""
        scheduler = self._ensure()
        if scheduler.get_job("tick") is None:
            scheduler.add_job(self._run, "interval", id="tick", replace_existing=True,
                              seconds=self.app.config["JOB_TICK_SECONDS"],
                              args=("tick", "tick", {}),
                              next_run_time=datetime.now().astimezone() + timedelta(seconds=2))

    def _run(self, name: str, key: str, kwargs: dict) -> None:
        try:
            run_job(self.app, name, kwargs)
        except Exception:
            log.exception("job %s (%s) failed", name, key)

    def submit(self, name: str, key: str, delay: float, kwargs: dict) -> None:
        from apscheduler.jobstores.base import ConflictingIdError

        scheduler = self._ensure()
        when = datetime.now().astimezone() + timedelta(seconds=delay)
        try:  # the key is the id: a job still waiting under it is not added again
            scheduler.add_job(self._run, "date", run_date=when, args=(name, key, kwargs),
                              id=key, replace_existing=False)
        except ConflictingIdError:
            log.info("job %s (%s) already waiting", name, key)

    def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)


def redis_connection(url: str):
    from redis import Redis

    return Redis.from_url(url)


def rq_job_id(key: str) -> str:
    """RQ job ids allow letters, digits, ``-`` and ``_``."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in key)[:200]


class RQRunner:
    """Puts jobs on the RQ queue; ``netwerk worker`` works them."""

    def __init__(self, app) -> None:
        self.app = app
        self.url = app.config["REDIS_URL"]
        self._queue: Queue | None = None

    def queue(self) -> Queue:
        if self._queue is None:
            from rq import Queue

            self._queue = Queue(QUEUE_NAME, connection=redis_connection(self.url))
        return self._queue

    def waiting(self, job_id: str) -> bool:
        """Whether the job ``job_id`` is still to run (queued, scheduled or deferred): asked
        for again, RQ would put it on the queue a second time."""
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        try:
            status = Job.fetch(job_id, connection=self.queue().connection).get_status()
        except NoSuchJobError:
            return False
        return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)

    def submit(self, name: str, key: str, delay: float, kwargs: dict) -> None:
        queue = self.queue()
        options = {"job_id": rq_job_id(key), "result_ttl": 600, "failure_ttl": 7 * 86400,
                   "job_timeout": self.app.config["JOB_TIMEOUT_SECONDS"]}
        try:
            if self.waiting(options["job_id"]):
                return
            if delay:
                queue.enqueue_in(timedelta(seconds=delay), rq_entry, name, kwargs, **options)
            else:
                queue.enqueue(rq_entry, name, kwargs, **options)
        except Exception:  # Redis away: the outbox and the tick still catch up later
            log.exception("could not enqueue job %s (%s)", name, key)

    def start(self) -> None:
        pass


def runner_for(app):
    if app.config.get("JOBS_INLINE"):
        return InlineRunner(app)
    if app.config.get("REDIS_URL"):
        return RQRunner(app)
    return LocalRunner(app)


def init_app(app) -> None:
    _load_jobs()
    runner = runner_for(app)
    app.extensions["netwerk_jobs"] = runner
    if isinstance(runner, LocalRunner) and app.config.get("JOBS_IN_PROCESS_TICK", True):
        started = threading.Event()

        @app.before_request
        def _start_ticking():
            if not started.is_set():
                started.set()
                runner.start()


# -- the RQ side: what ``netwerk worker`` runs ---------------------------------------------

_WORKER_APP = None
_WORKER_PID = 0  # the worker's own process; a work horse forked from it has another


def rq_entry(name: str, kwargs: dict) -> Any:
    """The function RQ calls: run job ``name`` in the worker's app."""
    if _WORKER_APP is None:
        raise RuntimeError("netwerk worker has no app")
    from netwerk.db import db

    if os.getpid() != _WORKER_PID:  # a forked work horse never shares its parent's sockets
        with _WORKER_APP.app_context():
            db.engine.dispose(close=False)
    return run_job(_WORKER_APP, name, kwargs)


def warm(app) -> None:
    """Do once, before RQ forks a work horse per job, what every horse would otherwise do
    again (a horse starts from its parent's memory and loses what it learnt when it exits):
    import the jobs, configure the ORM's mappers, connect once so the dialect knows its
    database, and run the jobs' warmers (their statements compiled, rolled back). Then the
    connection is closed: a horse never shares its parent's."""
    from sqlalchemy.orm import configure_mappers

    import netwerk.models  # noqa: F401
    from netwerk.db import db

    _load_jobs()
    configure_mappers()
    with app.app_context():
        try:
            for fn in WARMERS:
                fn(db.session)
        finally:
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()


def work(app, burst: bool = False, simple: bool = False) -> None:
    """Work the queue until stopped: RQ's worker (with its scheduler for delayed jobs) and an
    APScheduler that enqueues the tick every ``JOB_TICK_SECONDS``."""
    global _WORKER_APP, _WORKER_PID
    from rq import SimpleWorker, Worker

    _WORKER_APP, _WORKER_PID = app, os.getpid()
    warm(app)
    connection = redis_connection(app.config["REDIS_URL"])
    runner = RQRunner(app)
    scheduler = None
    if not burst:
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduler = BackgroundScheduler(timezone="UTC")

        def tick_job():
            slot = int(datetime.now().timestamp()) // app.config["JOB_TICK_SECONDS"]
            runner.submit("tick", f"tick-{slot}", 0, {})

        scheduler.add_job(tick_job, "interval", seconds=app.config["JOB_TICK_SECONDS"],
                          id="tick", next_run_time=datetime.now().astimezone())
        scheduler.start()
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([QUEUE_NAME], connection=connection)
    try:
        worker.work(with_scheduler=not burst, burst=burst, logging_level="WARNING")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
