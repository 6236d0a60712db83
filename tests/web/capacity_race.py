"""Helpers to race many claims against real server processes (used by the concurrency test and
by bench/capacity_claims.py). Not a test module itself.

Each server is ``python -c SERVER_CODE PORT``: the worktree's netwerk app behind werkzeug's
threaded server, with the production configuration (CSRF on). Several servers on one database
make the race cross-process as well as cross-thread.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET = "race-secret-shared-by-all-servers"
SERVER_CODE = (
    "import sys\n"
    "from werkzeug.serving import make_server\n"
    "from netwerk.app import create_app\n"
    "srv = make_server('127.0.0.1', int(sys.argv[1]), create_app(), threaded=True)\n"
    "print('ready', flush=True)\n"
    "srv.serve_forever()\n"
)
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Servers:
    procs: list[subprocess.Popen] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    def log_text(self) -> str:
        return "\n".join(p.read_text() for p in self.logs if p.exists())


def start_servers(database_url: str, count: int, log_dir: Path,
                  extra_env: dict | None = None) -> Servers:
    """Start ``count`` threaded server processes on ``database_url``; wait until they answer.
    Each works its own jobs (no Redis, no mail unless ``extra_env`` sets them): its scheduler
    ticks every ``NETWERK_JOB_TICK_SECONDS`` (``extra_env`` may set it), so several processes
    expire holds at once."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("NETWERK_REDIS_URL", "NETWERK_MAIL_URL")}
    env.update({"NETWERK_DATABASE_URL": database_url, "NETWERK_SECRET_KEY": SECRET,
                "PYTHONPATH": str(ROOT), **(extra_env or {})})
    servers = Servers()
    for i in range(count):
        port = _free_port()
        log = log_dir / f"server{i}.log"
        with open(log, "w") as out:
            servers.procs.append(subprocess.Popen(
                [sys.executable, "-c", SERVER_CODE, str(port)], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT,
            ))
        servers.bases.append(f"http://127.0.0.1:{port}")
        servers.logs.append(log)
    deadline = time.monotonic() + 60
    for proc, base in zip(servers.procs, servers.bases, strict=True):
        while True:
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                servers.stop()
                raise RuntimeError("server did not start:\n" + servers.log_text())
            time.sleep(0.1)
    return servers


def csrf_token(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no csrf_token in page"
    return m.group(1) or m.group(2)


def sign_in(base: str, email: str, password: str) -> requests.Session:
    s = requests.Session()
    token = csrf_token(s.get(base + "/login").text)
    r = s.post(base + "/login", data={"email": email, "password": password, "csrf_token": token},
               allow_redirects=False)
    assert r.status_code in (302, 303), r.text[:500]
    return s


@dataclass
class RaceResult:
    statuses: list[int]
    bodies: list[str]
    seconds: float

    @property
    def successes(self) -> int:
        return sum(1 for s in self.statuses if s == 303)


def race(bases: list[str], sessions: list[requests.Session], path: str, n: int,
         data_for=lambda i: {}) -> RaceResult:
    """POST ``path`` ``n`` times at once (released together by a barrier), round-robin over the
    servers and signed-in sessions; each request carries its session's CSRF token."""
    tokens = [csrf_token(s.get(bases[0] + "/plek").text) for s in sessions]
    barrier = threading.Barrier(n)

    def one(i: int) -> tuple[int, str]:
        s = requests.Session()
        s.cookies.update(sessions[i % len(sessions)].cookies)
        data = {"csrf_token": tokens[i % len(sessions)], **data_for(i)}
        url = bases[i % len(bases)] + path
        barrier.wait()
        r = s.post(url, data=data, allow_redirects=False, timeout=60)
        return r.status_code, r.text

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(one, range(n)))
    seconds = time.perf_counter() - start
    return RaceResult([s for s, _ in results], [b for _, b in results], seconds)
