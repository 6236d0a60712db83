"""Load: many signed-in users against gunicorn, on SQLite and on PostgreSQL.

    python bench/load.py [--duration 60] [--users 50] [--think 1.0] [--workers 4] [--threads 4]
                         [--postgres postgresql+psycopg://postgres@127.0.0.1/netwerk_bench]
                         [--only sqlite|postgresql]

Run from the repository root (needs the ``bench`` extra: gunicorn). Loopback only; every run is
bounded by --duration. Each engine gets a fresh database (SQLite: a temporary file;
PostgreSQL: the given database's public schema is DROPPED and recreated) with the demo seed and
one account per user, each linked to a seed professional. Then ``--users`` client threads,
each with its own session, run a mix for ``--duration`` seconds, pausing ``--think`` seconds
on average between actions (a person at a phone; ``--think 0`` runs flat out and measures
the saturation throughput instead):

- lookup (70 %): ``GET /zoeken?q=…&format=json`` with names, organisations, wijken, numbers;
- map (10 %): ``GET /netwerk?gebied=<a gemeente or wijk>`` — only when the network map is
  installed (404 otherwise: the share goes to lookups and the report says so);
- claim / release (20 %): ``POST /plek/<id>/claimen`` on a bed or place count, or
  ``/vrijgeven`` of a place this user holds; "net vergeven" (409) is a correct answer.

Printed per engine: requests, throughput, p50/p95/max per kind, errors (5xx, refused
connections, any answer other than the expected ones) and the overbooking check: no count
below 0 or above its total, and per count the event chain consistent (each event's
``available_after`` = previous + delta, the last one equals the count, the sum of deltas
equals the change). Goal: 0 errors, 0 overbookings, p95 of lookup ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from netwerk.migrate import upgrade  # noqa: E402
from netwerk.models import (  # noqa: E402
    Area,
    AreaKind,
    Capacity,
    CapacityEvent,
    CapacityType,
    CapacityUnit,
    Organisation,
    Professional,
    Role,
    User,
)
from netwerk.seed import load_seed  # noqa: E402

PASSWORD = "bench-load-password"
SECRET = "bench-load-secret"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, users: int) -> tuple[list[str], list[int], list[str], dict[int, int],
                                             list[int]]:
    """Fresh schema, the demo seed, ``users`` accounts. Returns (emails, capacity ids to race
    on, lookup terms, initial available per capacity, area ids for the map)."""
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)
    engine = create_engine(url)
    with Session(engine) as s:
        load_seed(s, ROOT / "seed_data")
        s.flush()
        people = s.scalars(select(Professional).order_by(Professional.id)).all()
        emails = []
        # A cheap hash: the bench measures the app, not scrypt at sign-in.
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        for i in range(users):
            email = f"load{i}@bench.example"
            s.add(User(email=email, role=Role.MEDEWERKER, professional=people[i % len(people)],
                       password_hash=hashed, session_version=1))
            emails.append(email)
        caps = s.scalars(
            select(Capacity).join(CapacityType)
            .where(CapacityType.unit != CapacityUnit.UUR_PER_WEEK).order_by(Capacity.id)
        ).all()
        cap_ids = [c.id for c in caps]
        initial = {c.id: c.available for c in caps}
        terms = [p.name.split()[0] for p in people[:30]] + [p.name.split()[-1] for p in people[:20]]
        terms += [o.name.split()[0] for o in s.scalars(select(Organisation)).all()[:20]]
        terms += ["wijkteam", "lister", "politie", "0970 2000", "ann", "batau", "vreeswijk", "ggz"]
        areas = s.scalars(select(Area.id).where(Area.kind != AreaKind.REGIO)).all()
        s.commit()
    engine.dispose()
    return emails, cap_ids, terms, initial, list(areas)


def start_gunicorn(url: str, workers: int, threads: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "NETWERK_DATABASE_URL": url, "NETWERK_SECRET_KEY": SECRET,
           "NETWERK_LOGIN_RATE_LIMIT": "100000 per minute", "PYTHONPATH": str(ROOT)}
    out = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
         "-k", "gthread", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "netwerk.app:create_app()"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start:\n" + log.read_text())


def sign_in(base: str, email: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(base + "/login").text
    m = CSRF.search(page)
    token = m.group(1) or m.group(2)
    r = s.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
               allow_redirects=False)
    if r.status_code not in (302, 303):
        raise SystemExit(f"sign-in of {email} failed: {r.status_code}")
    # The token is per session: the one on any signed-in page does for every form.
    token = CSRF.search(s.get(base + "/account/wachtwoord").text)
    return s, token.group(1) or token.group(2)


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.answers: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, kind: str, seconds: float, status: int, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.answers[kind][status] += 1
            if not ok:
                self.errors.append(f"{kind} {status} {detail}"[:200])


def user_loop(base, email, cap_ids, terms, areas, with_map, stop_at, stats, seed,
              think) -> None:
    rng = random.Random(seed)
    session, token = sign_in(base, email)
    held: list[int] = []
    while time.monotonic() < stop_at:
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            if time.monotonic() >= stop_at:
                break
        roll = rng.random()
        try:
            if roll < 0.7 or (roll < 0.8 and not with_map):
                kind, method, path, data, expected = (
                    "lookup", "GET", f"/zoeken?q={rng.choice(terms)}&format=json", None, {200})
            elif roll < 0.8:
                kind, method, path, data, expected = (
                    "map", "GET", f"/netwerk?gebied={rng.choice(areas)}", None, {200})
            elif held and rng.random() < 0.5:
                cap = held.pop(rng.randrange(len(held)))
                kind, method, path, data, expected = (
                    "release", "POST", f"/plek/{cap}/vrijgeven", {"csrf_token": token}, {303})
            else:
                cap = rng.choice(cap_ids)
                kind, method, path, data, expected = (
                    "claim", "POST", f"/plek/{cap}/claimen", {"csrf_token": token}, {303, 409})
            started = time.perf_counter()
            r = session.request(method, base + path, data=data, allow_redirects=False,
                                timeout=30)
            took = time.perf_counter() - started
            ok = r.status_code in expected
            stats.add(kind, took, r.status_code, ok, path)
            if kind == "claim" and r.status_code == 303:
                held.append(cap)
        except requests.RequestException as exc:
            stats.add("connection", 0.0, 0, False, repr(exc))


def check_counts(url: str, initial: dict[int, int]) -> tuple[int, list[str]]:
    """Overbookings and inconsistent event chains (0 and [] is the goal)."""
    engine = create_engine(url)
    problems = []
    overbooked = 0
    with Session(engine) as s:
        for cap in s.scalars(select(Capacity)).all():
            if cap.available < 0 or cap.available > cap.maximum:
                overbooked += 1
                problems.append(f"capacity {cap.id}: {cap.available} of {cap.maximum}")
            events = s.scalars(select(CapacityEvent).where(CapacityEvent.capacity_id == cap.id)
                               .order_by(CapacityEvent.id)).all()
            if not events:
                continue
            level = initial.get(cap.id)
            for e in events:
                if level is not None and e.available_after != level + e.delta:
                    problems.append(f"capacity {cap.id}: event {e.id} after {e.available_after}"
                                    f" != {level} + {e.delta}")
                if e.available_after < 0:
                    overbooked += 1
                    problems.append(f"capacity {cap.id}: event {e.id} left {e.available_after}")
                level = e.available_after
            if events[-1].available_after != cap.available:
                problems.append(f"capacity {cap.id}: last event {events[-1].available_after} "
                                f"!= count {cap.available}")
            if cap.id in initial and initial[cap.id] + sum(e.delta for e in events) != \
                    cap.available:
                problems.append(f"capacity {cap.id}: deltas do not add up")
    engine.dispose()
    return overbooked, problems


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run(label: str, url: str, args, log_dir: Path) -> bool:
    print(f"\n== {label}: {args.users} users (think {args.think:g} s), {args.duration:.0f} s, "
          f"gunicorn {args.workers} workers x {args.threads} threads ==", flush=True)
    emails, cap_ids, terms, initial, areas = prepare(url, args.users)
    proc, base = start_gunicorn(url, args.workers, args.threads, log_dir / f"{label}.log")
    try:
        probe, _ = sign_in(base, emails[0])
        with_map = probe.get(base + "/netwerk", allow_redirects=False).status_code == 200
        probe.close()
        if not with_map:
            print("map: /netwerk is not installed on this branch (404): skipped, its share "
                  "goes to lookups", flush=True)
        stats = Stats()
        start = time.monotonic()
        stop_at = start + args.duration
        threads = [threading.Thread(target=user_loop, daemon=True,
                                    args=(base, email, cap_ids, terms, areas, with_map, stop_at, stats, i,
                                          args.think))
                   for i, email in enumerate(emails)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.duration + 60)
        wall = time.monotonic() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    total = sum(len(v) for v in stats.times.values())
    print(f"requests: {total} in {wall:.1f} s = {total / wall:.0f} per second", flush=True)
    print(f"{'kind':10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  answers")
    for kind in ("lookup", "map", "claim", "release", "connection"):
        times = stats.times.get(kind)
        if not times:
            continue
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(stats.answers[kind].items()))
        print(f"{kind:10} {len(times):7d} {pct(times, 50) * 1000:8.1f} "
              f"{pct(times, 95) * 1000:8.1f} {max(times) * 1000:8.1f}  {answers}")
    overbooked, problems = check_counts(url, initial)
    print(f"errors: {len(stats.errors)}" + (f" (first: {stats.errors[:3]})" if stats.errors else ""))
    print(f"overbookings: {overbooked}; event chain problems: {len(problems)}"
          + (f" (first: {problems[:3]})" if problems else ""))
    lookup_p95 = pct(stats.times.get("lookup", []), 95) * 1000
    goal = not stats.errors and overbooked == 0 and not problems and lookup_p95 <= 100
    print(f"goal (0 errors, 0 overbookings, p95 lookup <= 100 ms): "
          f"{'met' if goal else 'NOT met'} (p95 lookup {lookup_p95:.1f} ms)", flush=True)
    return goal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per engine")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause of a user between actions in seconds (0 = flat out)")
    parser.add_argument("--postgres", help="PostgreSQL URL (its public schema is dropped!)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if args.only in (None, "sqlite"):
            results.append(run("sqlite", f"sqlite:///{tmp_path / 'load.sqlite3'}", args,
                               tmp_path))
        if args.only in (None, "postgresql"):
            if args.postgres:
                results.append(run("postgresql", args.postgres, args, tmp_path))
            else:
                print("\npostgresql: skipped (give --postgres URL)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
