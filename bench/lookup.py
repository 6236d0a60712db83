"""Directory lookup latency: search through the app vs. the raw index query vs. a naive scan.

    python -m bench.generate sqlite:///bench.sqlite3 --scale 1.0     # once
    python -m bench.lookup sqlite:///bench.sqlite3
    python -m bench.lookup sqlite:///quick.sqlite3 --generate 0.01    # generate, then measure

A fixed, deterministic mix of queries taken from the data (full names, prefixes as typed, names
with one typo, phone numbers in four notations, organisations, wijken) is run:

- **app**: ``GET /zoeken?q=…&format=json`` through the Flask test client, signed in (the whole
  request: sign-in check, search, JSON);
- **floor**: the raw index queries alone, the same ones the app runs (the number lookup; or
  whole words, then beginnings, for people and organisations; then, when those found few, the
  same typo step: FTS5 trigram pairs on SQLite, the GIN lookup of deletion keys on PostgreSQL),
  without the rest of the app (sign-in, rows of the hits — on PostgreSQL the app's words'
  statement brings them along, the floor's does not —, JSON);
- **naive**: ``LIKE '%q%'`` over name, role and organisation name (a full scan).

It prints p50 and p95 in milliseconds per layer and per kind of query, and the ratios.
Goal at 100,000 professionals: p95 ≤ 20 ms through the app.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import select, text

MIX = {"naam": 40, "prefix": 40, "typfout": 40, "nummer": 40, "organisatie": 20, "wijk": 20}
BENCH_USER = "bench@netwerk.example"
BENCH_PASSWORD = "bench-password-not-secret"


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # a letter left out
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def _notations(e164: str, k: int) -> str:
    national = "0" + e164[3:]
    return [
        national[:2] + "-" + national[2:],
        national,
        "+31 " + e164[3:4] + " " + e164[4:8] + " " + e164[8:],
        "00" + e164[1:],
    ][k % 4]


def build_queries(session, seed: int = 7) -> list[tuple[str, str]]:
    """The fixed mix of (kind, query) drawn from the data."""
    from netwerk.models import Area, AreaKind, Organisation, Professional

    rng = random.Random(seed)
    max_id = session.scalar(select(Professional.id).order_by(Professional.id.desc()).limit(1))
    people = []
    while len(people) < 100:
        p = session.get(Professional, rng.randint(1, max_id))
        if p is not None and p.active and p.mobile:
            people.append(p)
    queries: list[tuple[str, str]] = []
    for i in range(MIX["naam"]):
        queries.append(("naam", people[i].name))
    for i in range(MIX["prefix"]):
        first, *rest = people[i + 40].name.split()
        last = rest[-1] if rest else first
        queries.append(("prefix", f"{first} {last[: rng.randint(2, 4)]}"))
    n = 0
    for p in people:
        longest = max(p.name.split(), key=len)
        if len(longest) >= 6 and n < MIX["typfout"]:
            queries.append(("typfout", _typo(longest, rng)))
            n += 1
    for i in range(MIX["nummer"]):
        queries.append(("nummer", _notations(people[i].mobile, i)))
    orgs = session.scalars(select(Organisation.name).order_by(Organisation.id)).all()
    for _ in range(MIX["organisatie"]):
        name = rng.choice(orgs)
        queries.append(("organisatie", " ".join(name.split()[:2])))
    wijken = session.scalars(select(Area.name).where(Area.kind == AreaKind.WIJK)).all()
    for _ in range(MIX["wijk"]):
        queries.append(("wijk", rng.choice(wijken)))
    return queries


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50 * 1000, p95 * 1000


def _time(fn, queries, rounds: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, q in queries:
            start = time.perf_counter()
            fn(q)
            out.setdefault(kind, []).append(time.perf_counter() - start)
    return out


def run(url: str, rounds: int = 3) -> dict:
    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.directory import search as s
    from netwerk.models import Organisation, Professional, Role, User
    from netwerk.phone import try_normalize

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "TESTING": True,
                      # The bench asks far more often than a person may (120 a minute).
                      "SEARCH_RATE_LIMIT": "1000000 per minute"})
    with app.app_context():
        session = db.session
        if session.scalar(select(User).where(User.email == BENCH_USER)) is None:
            prof = session.scalar(select(Professional).order_by(Professional.id).limit(1))
            user = User(email=BENCH_USER, role=Role.MEDEWERKER, professional=prof)
            user.set_password(BENCH_PASSWORD)
            session.add(user)
            session.commit()
        queries = build_queries(session)
        count = session.scalar(select(text("count(*)")).select_from(Professional.__table__))

        def floor(q: str) -> None:
            number = try_normalize(q)
            suffix = None if number else s.digits_suffix(q)
            if number or suffix:
                s._number_owners(session, number, suffix)
                return
            # The index queries the app makes: whole words, then beginnings, then the typo step.
            # (On PostgreSQL the typo step is part of the words' statement, as in the app.)
            words_ = s.query_words(q)
            longest = max((w.text for w in words_), key=len)
            typo = longest if s.FUZZY_MIN_LENGTH <= len(longest) <= s.FUZZY_MAX_LENGTH else None
            people, orgs, candidates = s._index_hits(
                session, words_, s.PEOPLE_LIMIT, s.ORG_LIMIT, typo)
            if typo and candidates is None and len(people) + len(orgs) < s.FEW:
                s._fuzzy_candidates(session, typo, ("people", "orgs"))


        def naive(q: str) -> None:
            pattern = f"%{q}%"
            session.execute(
                select(Professional.id)
                .join(Organisation, Organisation.id == Professional.organisation_id)
                .where(
                    Professional.name.ilike(pattern)
                    | Professional.role.ilike(pattern)
                    | Organisation.name.ilike(pattern)
                    | (Professional.mobile == q)
                )
                .order_by(Professional.name)
                .limit(25)
            ).all()

        floor_t = _time(floor, queries, 1)  # warm up the caches, then measure
        floor_t = _time(floor, queries, rounds)
        naive_t = _time(naive, queries, 1)
        session.rollback()

    client = app.test_client()
    client.post("/login", data={"email": BENCH_USER, "password": BENCH_PASSWORD})

    # Statements per search through the app (sign-in check included).
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    counted: list[int] = []
    import threading

    requests_thread = threading.get_ident()

    def _count_statement(*_args) -> None:
        # Only the request's own statements (the test client runs it in this thread), not the
        # job runner's, which ticks in a thread of its own on the same engine.
        if threading.get_ident() == requests_thread:
            counted[-1] += 1

    event.listen(engine, "before_cursor_execute", _count_statement)
    statements: dict[str, list[int]] = {}
    for kind, q in queries:
        counted.append(0)
        client.get("/zoeken", query_string={"q": q, "format": "json"})
        statements.setdefault(kind, []).append(counted[-1])
    event.remove(engine, "before_cursor_execute", _count_statement)

    def through_app(q: str) -> None:
        response = client.get("/zoeken", query_string={"q": q, "format": "json"})
        assert response.status_code == 200, response.status_code

    _time(through_app, queries, 1)
    app_t = _time(through_app, queries, rounds)
    return {"professionals": count, "queries": len(queries), "rounds": rounds,
            "app": app_t, "floor": floor_t, "naive": naive_t, "statements": statements}


def run_http(url: str, rounds: int = 3, workers: int = 2) -> dict[str, list[float]]:
    """The same mix over HTTP against gunicorn on 127.0.0.1 (a bounded loop; stops itself)."""
    import http.cookiejar
    import os
    import re
    import socket
    import subprocess
    import sys
    import urllib.parse
    import urllib.request

    from netwerk.app import create_app
    from netwerk.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        queries = build_queries(db.session)
        db.session.remove()
        db.engine.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NETWERK_DATABASE_URL": url, "NETWERK_SECRET_KEY": "bench-http"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "netwerk.app:create_app()"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(base + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"email": BENCH_USER, "password": BENCH_PASSWORD, "csrf_token": token}
        ).encode()
        opener.open(base + "/login", data=form, timeout=10).read()

        def over_http(q: str) -> None:
            query = urllib.parse.urlencode({"q": q, "format": "json"})
            with opener.open(f"{base}/zoeken?{query}", timeout=10) as response:
                assert response.status == 200 and response.url.startswith(base + "/zoeken")
                response.read()

        _time(over_http, queries, 1)
        return _time(over_http, queries, rounds)
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(result: dict) -> None:
    print(f"{result['professionals']} professionals, {result['queries']} queries "
          f"× {result['rounds']} rounds (naive: 1 round)")
    print(f"{'':14}{'app p50':>9}{'app p95':>9}{'floor p50':>11}{'floor p95':>11}"
          f"{'naive p50':>11}{'naive p95':>11}")
    kinds = list(result["app"])
    for kind in [*kinds, "alles"]:
        def pick(layer, kind=kind):
            data = result[layer]
            return [x for v in data.values() for x in v] if kind == "alles" else data[kind]

        a, f, n = _ms(pick("app")), _ms(pick("floor")), _ms(pick("naive"))
        print(f"{kind:14}{a[0]:9.2f}{a[1]:9.2f}{f[0]:11.2f}{f[1]:11.2f}{n[0]:11.2f}{n[1]:11.2f}")
    a = _ms([x for v in result["app"].values() for x in v])
    f = _ms([x for v in result["floor"].values() for x in v])
    n = _ms([x for v in result["naive"].values() for x in v])
    print(f"ratio app/floor: p50 {a[0] / f[0]:.1f}×, p95 {a[1] / f[1]:.1f}×;  "
          f"naive/app: p50 {n[0] / a[0]:.1f}×, p95 {n[1] / a[1]:.1f}×")
    print(f"goal p95 ≤ 20 ms through the app: {'gehaald' if a[1] <= 20 else 'NIET gehaald'} "
          f"({a[1]:.1f} ms)")
    per_kind = ", ".join(f"{k} {min(v)}–{max(v)}" for k, v in result["statements"].items())
    print(f"statements per search through the app: {per_kind}")
    if "http" in result:
        h = _ms([x for v in result["http"].values() for x in v])
        print(f"over HTTP (gunicorn, 2 sync workers, one client): p50 {h[0]:.2f} ms, "
              f"p95 {h[1]:.2f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Directory lookup latency")
    parser.add_argument("url")
    parser.add_argument("--generate", type=float, metavar="SCALE",
                        help="first fill the (empty) database with bench.generate at SCALE")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http", action="store_true",
                        help="also measure over HTTP under gunicorn (pip install .[bench])")
    args = parser.parse_args(argv)
    if args.generate:
        from bench.generate import generate

        print(generate(args.url, scale=args.generate))
    result = run(args.url, rounds=args.rounds)
    if args.http:
        result["http"] = run_http(args.url, rounds=args.rounds)
    report(result)


if __name__ == "__main__":
    main()
