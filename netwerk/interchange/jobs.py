"""A web import as a job: the upload is stored with its ``JobRun``, the job imports it
(validation, then the writes in one savepoint, as ``run_import`` always does) and reports its
progress. Not used yet: ``/import`` still imports inside the request; the status endpoint and
the progress bar on the upload page are still to be built (docs/loops.md).

Progress is not written to the database while the import's transaction is open (on SQLite
that would wait for the import's own write lock): it lives in Redis when there is one (the
worker and the web processes share it), else in this process (the job runs here too).
The end state and the report are written to the ``JobRun`` row in the import's transaction.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.jobs import enqueue, job, redis_connection
from netwerk.models import JobRun

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


@dataclass
class StoredReport:
    """An import report as kept with its job (what the upload page shows of a report)."""

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


def start_import(session: Session, user_id: int | None, files: list[tuple[str, bytes]],
                 dry_run: bool) -> JobRun:
    """Keep the upload with a new JobRun and ask for the import job (after the commit)."""
    payload = json.dumps([[name, base64.b64encode(data).decode()] for name, data in files])
    run = JobRun(key=f"import-{utcnow().timestamp()}-{user_id}", kind="import", state="wacht",
                 options=json.dumps({"dry_run": dry_run}), payload=payload.encode(),
                 user_id=user_id)
    session.add(run)
    session.flush()
    run.key = f"import-{run.id}"
    enqueue(session, "import", run.key, run_id=run.id)
    return run


@job("import")
def import_job(run_id: int) -> str:
    """Import the stored upload once (a run already finished or started is left alone)."""
    from sqlalchemy import update

    from netwerk.db import db
    from netwerk.interchange.importer import Source, run_import

    session = db.session
    table = JobRun.__table__
    taken = session.execute(update(table).where(table.c.id == run_id, table.c.state == "wacht")
                            .values(state="bezig"))
    if rowcount(taken) != 1:
        session.rollback()
        return "al gedaan"
    session.commit()
    run = session.get_one(JobRun, run_id)
    assert run.payload is not None  # a waiting run keeps its upload until it is finished
    files = [Source(name, base64.b64decode(data)) for name, data in json.loads(run.payload)]
    dry_run = json.loads(run.options).get("dry_run", True)
    total = [1]
    done = [0]

    def on_total(n: int) -> None:
        total[0] = max(n, 1)
        set_progress(run_id, 0, total[0])

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 500 < n or done[0] >= total[0]:
            set_progress(run_id, min(done[0], total[0]), total[0])

    try:
        report = run_import(session, files, dry_run=dry_run, progress=progress,
                            on_total=on_total)
    except Exception as exc:
        session.rollback()
        run = session.get_one(JobRun, run_id)
        run.state, run.payload, run.finished_at = "fout", None, utcnow()
        run.result = StoredReport(ok=False, dry_run=dry_run, problems=[str(exc)]).to_json()
        session.commit()
        raise
    if not (report.ok and not report.dry_run):
        session.rollback()
    run = session.get_one(JobRun, run_id)
    run.state, run.payload, run.finished_at = "klaar", None, utcnow()
    run.done, run.total = total[0], total[0]
    run.result = StoredReport.of(report).to_json()
    session.commit()
    set_progress(run_id, total[0], total[0])
    return "klaar"
