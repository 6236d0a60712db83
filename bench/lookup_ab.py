"""Search latency of two versions of the code, interleaved query by query.

    git archive <commit> | tar -x -C /tmp/before        # a tree of the code to compare with
    python -m bench.lookup_ab postgresql+psycopg://…/bench /tmp/before .

Separate runs of bench/lookup.py drift with the load of a shared machine (the same code gave
p95 18 and 28 ms two minutes apart). Here each version runs in a process of its own (the
directory holding its ``netwerk`` package first on its path), signed in as bench/lookup.py's
user, and the same query goes to each in turn (which one first alternates), so both see the
same load. ``GET /zoeken?q=…&format=json`` through the Flask test client, the query mix of
bench/lookup.py, one warm-up round, then ``--rounds``. Prints p50 / p95 per kind and overall
per version and the ratio of the first to the second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def _worker(url: str) -> None:
    """Answer each query read from stdin (a JSON string) with the request's milliseconds."""
    from bench.lookup import BENCH_PASSWORD, BENCH_USER
    from netwerk.app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "TESTING": True,
                      "SEARCH_RATE_LIMIT": "1000000 per minute"})
    client = app.test_client()
    client.post("/login", data={"email": BENCH_USER, "password": BENCH_PASSWORD})
    print("ready", flush=True)
    for line in sys.stdin:
        start = time.perf_counter()
        response = client.get("/zoeken", query_string={"q": json.loads(line), "format": "json"})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        print(elapsed, flush=True)


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1,
                                                   int(round(0.95 * (len(ordered) - 1))))]


def run(url: str, trees: list[str], rounds: int = 3) -> dict[str, dict[str, list[float]]]:
    from bench.lookup import build_queries
    from netwerk.app import create_app
    from netwerk.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        queries = build_queries(db.session)
        db.session.rollback()
    here = os.path.abspath(__file__)
    workers = []
    for tree in trees:
        tree = os.path.abspath(tree)
        process = subprocess.Popen(
            [sys.executable, here, "--worker", url], cwd=tree,
            env={**os.environ, "PYTHONPATH": tree}, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        workers.append(process)
    out: list[dict[str, list[float]]] = [{} for _ in trees]
    try:
        for r in range(rounds + 1):  # the first round warms up
            for i, (kind, q) in enumerate(queries):
                order = list(range(len(trees)))
                if (i + r) % 2:
                    order.reverse()
                for n in order:
                    process = workers[n]
                    assert process.stdin is not None and process.stdout is not None
                    process.stdin.write(json.dumps(q) + "\n")
                    process.stdin.flush()
                    elapsed = float(process.stdout.readline())
                    if r:
                        out[n].setdefault(kind, []).append(elapsed)
    finally:
        for process in workers:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=30)
    return dict(zip(trees, out, strict=True))


def report(result: dict[str, dict[str, list[float]]]) -> None:
    trees = list(result)
    print(f"{'':14}" + "".join(f"{'p50':>9}{'p95':>9}" for _ in trees) + "   (" +
          " | ".join(trees) + ")")
    for kind in [*result[trees[0]], "alles"]:
        row = f"{kind:14}"
        for tree in trees:
            data = result[tree]
            samples = [x for v in data.values() for x in v] if kind == "alles" else data[kind]
            p50, p95 = _ms(samples)
            row += f"{p50:9.2f}{p95:9.2f}"
        print(row)
    first, second = (_ms([x for v in result[t].values() for x in v]) for t in trees[:2])
    print(f"ratio {trees[0]} / {trees[1]}: p50 {first[0] / second[0]:.2f}×, "
          f"p95 {first[1] / second[1]:.2f}×")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--worker"]:
        _worker(args[1])
        return
    parser = argparse.ArgumentParser(description="Search latency of two versions, interleaved")
    parser.add_argument("url")
    parser.add_argument("first", help="directory holding the first version's netwerk package")
    parser.add_argument("second", help="directory holding the second version's netwerk package")
    parser.add_argument("--rounds", type=int, default=3)
    parsed = parser.parse_args(args)
    report(run(parsed.url, [parsed.first, parsed.second], rounds=parsed.rounds))


if __name__ == "__main__":
    main()
