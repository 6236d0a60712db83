"""Holds, mail and the job queue: figures (printed, never asserted as timings).

    python -m bench.holds [--postgres postgresql+psycopg://postgres@127.0.0.1/db]
                          [--redis redis://127.0.0.1:6379/5] [--claims 50] [--free 10]
                          [--samples 40] [--messages 300]

Run from the repository root. SQLite always (temporary files); PostgreSQL when --postgres is
given (that database's public schema is DROPPED and recreated for each part); the parts with
``netwerk worker`` when --redis is given (that Redis database is FLUSHED).

1. **Concurrent holds**: ``--claims`` claims fired at once (a barrier) through two real server
   processes at one place with ``--free`` free: exactly ``--free`` open holds, the count at 0,
   nothing overbooked (the open holds never exceed the maximum).
2. **Claim to the provider's e-mail**: ``--samples`` claims one after the other; for each, the
   time from sending the claim to the provider's "hold_new" e-mail arriving at a real SMTP
   server process (aiosmtpd, tests/mail_server.py), p50/p95 — with the app's own jobs (no
   Redis) and with ``netwerk worker`` on Redis (RQ's forking worker).
3. **Worker throughput**: ``--messages`` messages in the outbox sent by ``netwerk worker
   --burst`` (forking, and ``--simple``), messages per second from the first to the last
   arrival, against the same run's baseline: plain smtplib sending the same messages to the
   same server, one connection per message as the job does; and RQ's own floor, no-op jobs
   through its forking worker and its SimpleWorker.
"""

from __future__ import annotations

import argparse
import json
import os
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import capacity_claims  # noqa: E402
from netwerk.migrate import upgrade  # noqa: E402
from netwerk.models import (  # noqa: E402
    Capacity,
    CapacityHold,
    HoldStatus,
    MailMessage,
)
from tests.web.capacity_race import csrf_token, race, sign_in, start_servers  # noqa: E402

PASSWORD = capacity_claims.PASSWORD
CLAIMANTS = capacity_claims.USERS
PROVIDER = "aanbieder@bench.example"

SMTP_CODE = (
    "import json, sys, time\n"
    "from tests.mail_server import MailServer\n"
    "class Printing(MailServer):\n"
    "    async def handle_DATA(self, server, session, envelope):\n"
    "        print(json.dumps({'t': time.time(), 'rcpt': list(envelope.rcpt_tos)}), flush=True)\n"
    "        return '250 OK'\n"
    "s = Printing().start()\n"
    "print(json.dumps({'port': s.port}), flush=True)\n"
    "sys.stdin.read()\n"
)


class SMTPProcess:
    """aiosmtpd in its own process; each accepted message is a line (arrival time, rcpt)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", SMTP_CODE], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert self.proc.stdout is not None
        self.port = json.loads(self.proc.stdout.readline())["port"]
        self.arrivals: list[tuple[float, list[str]]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            item = json.loads(line)
            with self._lock:
                self.arrivals.append((item["t"], item["rcpt"]))

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def wait_for(self, n: int, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while self.count() < n:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait(10)


def fresh(url: str) -> None:
    """An empty, migrated database at ``url``."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


def prepare(url: str, free: int) -> int:
    """A provider (one staff account) with a place of ``free`` of ``free``, and claimants of
    another organisation (so the only one told of a new hold is the provider's account)."""
    fresh(url)
    return capacity_claims.prepare(url, free, provider_staff=PROVIDER)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- 1. concurrent holds -------------------------------------------------------------------

def concurrent_holds(label: str, url: str, claims: int, free: int, log_dir: Path) -> bool:
    cap_id = prepare(url, free)
    servers = start_servers(url, count=2, log_dir=log_dir,
                            extra_env={"NETWERK_JOBS_IN_PROCESS": "0"})
    try:
        sessions = [sign_in(servers.bases[i % 2], f"bench{i}@netwerk.example", PASSWORD)
                    for i in range(CLAIMANTS)]
        result = race(servers.bases, sessions, f"/plek/{cap_id}/claimen", claims)
    finally:
        servers.stop()
    engine = create_engine(url)
    with Session(engine) as s:
        cap = s.get_one(Capacity, cap_id)
        held = s.scalar(select(func.coalesce(func.sum(CapacityHold.amount), 0)).where(
            CapacityHold.capacity_id == cap_id, CapacityHold.status == HoldStatus.OPEN))
        holds = s.scalar(select(func.count()).select_from(CapacityHold).where(
            CapacityHold.capacity_id == cap_id))
        available, maximum = cap.available, cap.maximum
    engine.dispose()
    overbooked = max(0, held + available - maximum) + max(0, -available)
    refused = sum(1 for st, body in zip(result.statuses, result.bodies, strict=True)
                  if st == 409 and "Net vergeven" in body)
    other = claims - result.successes - refused
    ok = holds == free and held == free and available == 0 and overbooked == 0 and other == 0
    print(f"holds      {label:10} claims={claims} free={free} successes={result.successes} "
          f"net_vergeven={refused} other={other} holds={holds} open_held={held} "
          f"available={available} overbooked={overbooked} time={result.seconds:.2f}s "
          f"{'OK' if ok else 'FAILED'}")
    return ok


# -- 2. claim to the provider's e-mail -------------------------------------------------------

def start_worker(url: str, redis_url: str, mail_url: str, log: Path, *options: str):
    env = {**os.environ, "NETWERK_DATABASE_URL": url, "NETWERK_REDIS_URL": redis_url,
           "NETWERK_MAIL_URL": mail_url, "NETWERK_SECRET_KEY": "bench-worker",
           "PYTHONPATH": str(ROOT)}
    out = open(log, "a")  # noqa: SIM115 - the worker's own output, closed with the process
    return subprocess.Popen([sys.executable, "-m", "netwerk", "worker", *options], cwd=ROOT,
                            env=env, stdout=out, stderr=subprocess.STDOUT)


def flush(redis_url: str) -> None:
    from redis import Redis

    Redis.from_url(redis_url).flushdb()


def claim_to_mail(label: str, url: str, samples: int, log_dir: Path,
                  redis_url: str | None) -> list[float] | None:
    cap_id = prepare(url, samples + 5)
    smtp = SMTPProcess()
    env = {"NETWERK_MAIL_URL": smtp.url, "NETWERK_JOBS_IN_PROCESS": "0"}
    worker = None
    if redis_url:
        flush(redis_url)
        env["NETWERK_REDIS_URL"] = redis_url
        worker = start_worker(url, redis_url, smtp.url, log_dir / "worker.log")
    servers = start_servers(url, count=1, log_dir=log_dir, extra_env=env)
    latencies: list[float] = []
    try:
        session = sign_in(servers.bases[0], "bench0@netwerk.example", PASSWORD)
        token = csrf_token(session.get(servers.bases[0] + "/plek").text)
        if worker is not None:  # the worker is up once it has sent a first message
            time.sleep(2)
        for _ in range(samples):
            before = smtp.count()
            start = time.time()
            r = session.post(f"{servers.bases[0]}/plek/{cap_id}/claimen",
                             data={"csrf_token": token}, allow_redirects=False, timeout=30)
            if r.status_code != 303:
                print(f"mail       {label}: claim answered {r.status_code}")
                return None
            if not smtp.wait_for(before + 1, timeout=30):
                print(f"mail       {label}: no e-mail within 30 s")
                return None
            arrival, rcpt = smtp.arrivals[before]
            assert rcpt == [PROVIDER], rcpt
            latencies.append((arrival - start) * 1000)
            time.sleep(0.05)
    finally:
        servers.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(10)
        smtp.stop()
    print(f"mail       {label:26} n={len(latencies)} p50={pct(latencies, 0.5):.0f} ms "
          f"p95={pct(latencies, 0.95):.0f} ms max={max(latencies):.0f} ms")
    return latencies


# -- 3. worker throughput --------------------------------------------------------------------

def queue_messages(url: str, redis_url: str, mail_url: str, n: int) -> list[tuple]:
    """``n`` messages in the outbox, their send jobs on RQ; returns what to send."""
    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.notify import outbox

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url,
                      "MAIL_URL": mail_url, "SECRET_KEY": "bench", "JOBS_INLINE": False})
    with app.app_context():
        for i in range(n):
            outbox.queue(db.session, f"bench:{i}", f"ontvanger{i}@bench.example",
                         "netwerk: Er wacht een reservering op je antwoord",
                         f"Er is een plek gereserveerd.\n\nhttp://netwerk.test/plek/{i}\n")
        db.session.commit()
        rows = [(m.to_addr, m.subject, m.body, outbox.header_id(m)) for m in
                db.session.scalars(select(MailMessage).order_by(MailMessage.id))]
        db.session.remove()
        db.engine.dispose()
    return rows


def throughput(label: str, url: str, redis_url: str, n: int, log_dir: Path) -> None:
    from netwerk.notify import mail

    smtp = SMTPProcess()
    try:
        figures = {}
        for mode, options in (("fork", ("--burst",)), ("simple", ("--burst", "--simple"))):
            fresh(url)
            flush(redis_url)
            rows = queue_messages(url, redis_url, smtp.url, n)
            before = smtp.count()
            started = time.time()
            worker = start_worker(url, redis_url, smtp.url, log_dir / "worker.log", *options)
            worker.wait(600)
            if not smtp.wait_for(before + n, timeout=30):
                print(f"throughput {label} {mode}: only {smtp.count() - before} of {n} arrived")
                return
            times = [t for t, _ in smtp.arrivals[before:before + n]]
            steady = (n - 1) / max(times[-1] - times[0], 1e-9)
            figures[mode] = steady
            print(f"throughput {label:10} worker {mode:6} n={n} {steady:.0f} msg/s "
                  f"(first to last arrival; {n / (times[-1] - started):.0f} msg/s with the "
                  f"worker's start)")
        floor = rq_floor(redis_url, n)
        before = smtp.count()
        start = time.time()
        server = mail.parse_mail_url(smtp.url)
        for to, subject, body, message_id in rows:
            with smtplib.SMTP(server.host, server.port, timeout=10) as conn:
                conn.send_message(mail.build_message("netwerk@localhost", to, subject, body,
                                                     message_id))
        smtp.wait_for(before + n)
        baseline = n / (time.time() - start)
        print(f"throughput {label:10} baseline smtplib n={n} {baseline:.0f} msg/s (one "
              f"connection per message); worker/baseline: fork "
              f"{figures['fork'] / baseline:.2f}, simple {figures['simple'] / baseline:.2f}")
        print(f"throughput {label:10} RQ floor (no-op jobs) fork {floor['fork']:.0f} jobs/s, "
              f"simple {floor['simple']:.0f} jobs/s; worker/floor: fork "
              f"{figures['fork'] / floor['fork']:.2f}, simple "
              f"{figures['simple'] / floor['simple']:.2f}")
    finally:
        smtp.stop()


def rq_floor(redis_url: str, n: int) -> dict[str, float]:
    """RQ's own cost per job on this machine: ``n`` no-op jobs (``time.sleep(0)``) worked by
    RQ's forking worker and by its SimpleWorker, from this process."""
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    connection = Redis.from_url(redis_url)
    queue = Queue("bench-noop", connection=connection)
    rates = {}
    for mode, worker_class in (("fork", Worker), ("simple", SimpleWorker)):
        for _ in range(n):
            queue.enqueue(time.sleep, 0)
        start = time.time()
        worker_class([queue], connection=connection).work(burst=True, logging_level="WARNING")
        rates[mode] = n / (time.time() - start)
    connection.flushdb()
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--redis", default=None)
    parser.add_argument("--claims", type=int, default=50)
    parser.add_argument("--free", type=int, default=10)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--parts", default="holds,mail,throughput",
                        help="which parts to run (comma separated)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        engines = [("sqlite", f"sqlite:///{tmp_path / 'holds.sqlite3'}")]
        if args.postgres:
            engines.append(("postgresql", args.postgres))
        for label, url in engines if "holds" in parts else []:
            ok &= concurrent_holds(label, url, args.claims, args.free, tmp_path)
        for label, url in engines if "mail" in parts else []:
            claim_to_mail(f"{label} in-app jobs", url, args.samples, tmp_path, None)
            if args.redis:
                claim_to_mail(f"{label} netwerk worker", url, args.samples, tmp_path,
                              args.redis)
        if args.redis and "throughput" in parts:
            for label, url in engines:
                throughput(label, url, args.redis, args.messages, tmp_path)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
