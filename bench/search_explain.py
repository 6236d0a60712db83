"""EXPLAIN (ANALYZE, BUFFERS) of every statement the directory search runs, on PostgreSQL.

    python -m bench.search_explain postgresql+psycopg://postgres@127.0.0.1/bench
    python -m bench.search_explain postgresql+psycopg://… --show 2    # the 2 slowest plans

Runs the query mix of bench/lookup.py through ``netwerk.directory.search.search`` (no web
layer), records each statement with its parameters, then runs each again under
``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)``. Prints per kind of statement (the number lookup,
the word index, the typo step, the hits' rows, the organisations' rows, an organisation's
people after a typo) how often it ran, p50 / p95 of the execution time the server reports, the
shared buffers it touched, and how many of its plans scan a whole table (``Seq Scan`` on a
``search_*``, ``professionals`` or ``organisations`` table); with ``--show N`` the text plans of
the N slowest statements.
"""

from __future__ import annotations

import argparse
import json
import statistics

from sqlalchemy import event

BIG_TABLES = ("search_people", "search_orgs", "professionals", "organisations")


def _kind(statement: str) -> str:
    if "typo_keys &&" in statement and "doc LIKE" in statement:
        return "words + typo step"
    if "typo_keys &&" in statement:
        return "typo step"
    if "doc LIKE" in statement:
        return "words"
    if "right(" in statement or "mobile =" in statement:
        return "number"
    if "string_agg" in statement:
        return "hits' rows"
    if statement.lstrip().startswith("SELECT professionals.id \nFROM") or (
            "ORDER BY professionals.name" in statement):
        return "typo organisation's people"
    if "FROM organisations" in statement:
        return "organisations' rows"
    return "other"


def _walk(node: dict, out: list[dict]) -> None:
    out.append(node)
    for child in node.get("Plans", []):
        _walk(child, out)


def run(url: str, show: int = 0) -> None:
    from bench.lookup import build_queries
    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.directory.search import search

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        session = db.session
        queries = build_queries(session)
        recorded: list[tuple[str, str, object]] = []

        def record(conn, cursor, statement, parameters, context, executemany) -> None:
            recorded.append((current[0], statement, parameters))

        current = [""]
        engine = db.engine
        for _, q in queries:  # warm the caches first, as the app's own would be
            search(session, q)
        event.listen(engine, "before_cursor_execute", record)
        try:
            for kind, q in queries:
                current[0] = f"{kind}: {q}"
                search(session, q)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        results: dict[str, list[tuple[float, int, int, str, str]]] = {}
        raw = session.connection().connection.driver_connection
        for label, statement, parameters in recorded:
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
                plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan_text = "\n".join(r[0] for r in cursor.fetchall())
            top = plan[0]
            nodes: list[dict] = []
            _walk(top["Plan"], nodes)
            seq = sum(1 for n in nodes if n.get("Node Type") == "Seq Scan"
                      and n.get("Relation Name") in BIG_TABLES)
            buffers = top["Plan"].get("Shared Hit Blocks", 0) + top["Plan"].get(
                "Shared Read Blocks", 0)
            results.setdefault(_kind(statement), []).append(
                (top["Execution Time"], buffers, seq, label, plan_text))
        session.rollback()
    searches = len(queries)
    print(f"{searches} searches, {len(recorded)} statements "
          f"({len(recorded) / searches:.1f} per search, sign-in not included)")
    print(f"{'statement':30}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'buffers p95':>13}{'seq scans':>11}")
    everything = []
    for kind, rows in sorted(results.items()):
        times = sorted(r[0] for r in rows)
        bufs = sorted(r[1] for r in rows)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        b95 = bufs[min(len(bufs) - 1, int(round(0.95 * (len(bufs) - 1))))]
        print(f"{kind:30}{len(rows):6}{statistics.median(times):9.2f}{p95:9.2f}"
              f"{times[-1]:9.2f}{b95:13}{sum(r[2] for r in rows):11}")
        everything += [(r[0], kind, r[3], r[4]) for r in rows]
    for ms, kind, label, plan_text in sorted(everything, reverse=True)[:show]:
        print(f"\n--- {ms:.2f} ms, {kind}, query {label!r}\n{plan_text}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="EXPLAIN every statement of a search")
    parser.add_argument("url")
    parser.add_argument("--show", type=int, default=0, help="print the N slowest plans")
    args = parser.parse_args(argv)
    run(args.url, args.show)


if __name__ == "__main__":
    main()
