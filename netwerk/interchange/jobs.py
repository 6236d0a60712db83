"""A web import as a job (docs/loops.md): POST /import keeps the upload with a new ``JobRun``
(the ``payload`` column) and asks for the job ``import``; the page /import/<run> shows its
progress bar, and the import report when it is done.

The job takes the run with ONE conditional UPDATE (``wacht`` → ``bezig``, with the process
that runs it in ``options``), then imports (validation, then the writes in one savepoint, as
``run_import`` always does) and reports its progress. The end state and the report are
written to the ``JobRun`` row in the import's own transaction: a real import and its
``klaar`` commit together; a dry run, a report with problems or an error change nothing.

Progress is not written to the database while the import's transaction is open (on SQLite
that would wait for the import's own write lock): it lives in Redis when there is one (the
worker and the web processes share it), else in this process (the job runs here too).

A run whose process died (a worker killed, a web process restarted, a job over its time
limit) would stay ``bezig``: the tick (``reap``) marks it ``fout`` — at once when the process
ran on this machine and is gone, else after ``JOB_TIMEOUT_SECONDS`` — and asks again for a
run still ``wacht`` after ``WAIT_AGAIN_SECONDS`` (a job lost with Redis).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.i18n import _
from netwerk.jobs import enqueue, job, redis_connection
from netwerk.models import JobRun, User

WAIT, BUSY, DONE, FAILED = "wacht", "bezig", "klaar", "fout"
KIND = "import"
WAIT_AGAIN_SECONDS = 300
_LOCAL: dict[int, tuple[int, int]] = {}
_LOCK = threading.Lock()


def _redis():
    url = current_app.config.get("REDIS_URL")
    return redis_connection(url) if url else None


def set_progress(run_id: int, done: int, total: int) -> None:
    r = _redis()
    if r is not None:
        r.hset(f"netwerk:job:{run_id}", mapping={"done": done, "total": total})
        r.expire(f"netwerk:job:{run_id}", 86400)
        return
    with _LOCK:
        _LOCAL[run_id] = (done, total)


def get_progress(run_id: int) -> tuple[int, int] | None:
    r = _redis()
    if r is not None:
        values = r.hgetall(f"netwerk:job:{run_id}")
        if not values:
            return None
        return int(values[b"done"]), int(values[b"total"])
    with _LOCK:
        return _LOCAL.get(run_id)


def clear_progress(run_id: int) -> None:
    """The run is finished: its row has the figures from now on."""
    r = _redis()
    if r is not None:
        r.delete(f"netwerk:job:{run_id}")
        return
    with _LOCK:
        _LOCAL.pop(run_id, None)


@dataclass
class StoredReport:
    """An import report as kept with its job (what the run page shows of a report)."""

    ok: bool
    dry_run: bool
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        return self.lines

    @classmethod
    def of(cls, report) -> StoredReport:
        return cls(ok=report.ok, dry_run=report.dry_run,
                   problems=[str(p) for p in report.problems],
                   warnings=[str(w) for w in report.warnings],
                   lines=[str(line) for line in report.summary()] if report.ok else [])

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StoredReport | None:
        return cls(**json.loads(text)) if text else None


@dataclass
class RunStatus:
    """What the run page and its status.json show."""

    id: int
    state: str
    done: int
    total: int
    dry_run: bool
    report: StoredReport | None

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def label(self) -> str:
        if self.state == WAIT:
            return _("Wacht op zijn beurt…")
        if self.state == BUSY:
            return _("Bezig: %(pct)s%%", pct=self.percent)
        if self.state == FAILED:
            return _("Mislukt: er is niets veranderd.")
        if self.report is not None and not self.report.ok:
            return _("Klaar: er zijn problemen gevonden, er is niets veranderd.")
        if self.dry_run:
            return _("Klaar: proefimport zonder problemen, er is niets veranderd.")
        return _("Klaar: de import is voltooid.")

    def as_json(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total,
                "percent": self.percent, "finished": self.finished, "label": self.label}


def _dry_run(run: JobRun) -> bool:
    return bool(json.loads(run.options or "{}").get("dry_run", True))


def run_status(run: JobRun) -> RunStatus:
    """The run's state, its progress (the live figures while it runs) and its report."""
    done, total = run.done, run.total
    if run.state in (WAIT, BUSY):
        live = get_progress(run.id)
        if live is not None:
            done, total = live
    return RunStatus(id=run.id, state=run.state, done=done, total=total, dry_run=_dry_run(run),
                     report=StoredReport.from_json(run.result))


def start_import(session: Session, user_id: int | None, files: list[tuple[str, bytes]],
                 dry_run: bool) -> JobRun:
    """Keep the upload with a new JobRun and ask for the import job (after the commit)."""
    payload = json.dumps([[name, base64.b64encode(data).decode()] for name, data in files])
    run = JobRun(key=f"import-{utcnow().timestamp()}-{user_id}", kind=KIND, state=WAIT,
                 options=json.dumps({"dry_run": dry_run}), payload=payload.encode(),
                 user_id=user_id)
    session.add(run)
    session.flush()
    run.key = f"import-{run.id}"
    enqueue(session, "import", run.key, run_id=run.id)
    return run


def _owner() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _failed(problem: str, dry_run: bool) -> str:
    return StoredReport(ok=False, dry_run=dry_run, problems=[problem]).to_json()


@job("import")
def import_job(run_id: int) -> str:
    """Import the stored upload once (a run already finished or started is left alone)."""
    from netwerk.db import db
    from netwerk.interchange.importer import Source, run_import

    session = db.session
    table = JobRun.__table__
    run = session.get(JobRun, run_id)
    if run is None or run.state != WAIT:
        session.rollback()
        return "al gedaan"
    options = json.loads(run.options or "{}") | _owner() | {"started": utcnow().isoformat()}
    taken = session.execute(update(table).where(table.c.id == run_id, table.c.state == WAIT)
                            .values(state=BUSY, options=json.dumps(options)))
    if rowcount(taken) != 1:
        session.rollback()
        return "al gedaan"
    session.commit()
    run = session.get_one(JobRun, run_id)
    assert run.payload is not None  # a waiting run keeps its upload until it is finished
    files = [Source(name, base64.b64decode(data)) for name, data in json.loads(run.payload)]
    dry_run = bool(options.get("dry_run", True))
    user = session.get(User, run.user_id) if run.user_id else None
    total, done = [1], [0]
    set_progress(run_id, 0, 1)

    def on_total(n: int) -> None:
        total[0] = max(n, 1)
        set_progress(run_id, 0, total[0])

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 500 < n or done[0] >= total[0]:
            set_progress(run_id, min(done[0], total[0]), total[0])

    try:
        report = run_import(session, files, dry_run=dry_run, progress=progress,
                            on_total=on_total, user=user)
    except Exception as exc:
        session.rollback()
        run = session.get_one(JobRun, run_id)
        run.state, run.payload, run.finished_at = FAILED, None, utcnow()
        run.result = _failed(_("de import is mislukt (%(reason)s); er is niets veranderd",
                               reason=type(exc).__name__), dry_run)
        session.commit()
        clear_progress(run_id)
        raise
    if not (report.ok and not report.dry_run):
        session.rollback()
    run = session.get_one(JobRun, run_id)
    run.state, run.payload, run.finished_at = DONE, None, utcnow()
    run.done, run.total = total[0], total[0]
    run.result = StoredReport.of(report).to_json()
    session.commit()
    clear_progress(run_id)
    return DONE


def _process_gone(options: dict) -> bool:
    """True when the run's process ran on this machine and is no longer there."""
    if options.get("host") != socket.gethostname() or not options.get("pid"):
        return False
    try:
        os.kill(int(options["pid"]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def reap(session: Session, now: datetime | None = None) -> dict:
    """Runs left behind: a ``bezig`` run whose process is gone (or that ran past the job time
    limit) becomes ``fout`` (nothing of it was committed); a ``wacht`` run past
    ``WAIT_AGAIN_SECONDS`` is asked for again (the job is idempotent). The caller commits."""
    now = now or utcnow()
    config = current_app.config
    limit = timedelta(seconds=config["JOB_TIMEOUT_SECONDS"] + 60)
    table = JobRun.__table__
    dead = 0
    for run in session.scalars(select(JobRun).where(JobRun.kind == KIND, JobRun.state == BUSY)):
        options = json.loads(run.options or "{}")
        started = datetime.fromisoformat(options["started"]) if options.get("started") else None
        if not (_process_gone(options) or started is None or now - started > limit):
            continue
        problem = _("de import is afgebroken (het proces dat hem uitvoerde is gestopt); er is "
                    "niets veranderd")
        marked = session.execute(update(table).where(table.c.id == run.id,
                                                     table.c.state == BUSY)
                                 .values(state=FAILED, payload=None, finished_at=now,
                                         result=_failed(problem, _dry_run(run))))
        if rowcount(marked) == 1:
            dead += 1
            clear_progress(run.id)
    overdue = now - timedelta(seconds=WAIT_AGAIN_SECONDS)
    waiting = list(session.scalars(select(JobRun.id).where(
        JobRun.kind == KIND, JobRun.state == WAIT, JobRun.created_at < overdue)))
    slot = int(now.timestamp()) // 60
    for run_id in waiting:
        enqueue(session, "import", f"import-{run_id}-sweep-{slot}", run_id=run_id)
    return {"dead": dead, "again": len(waiting)}
