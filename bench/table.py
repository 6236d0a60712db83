"""The facilitator's table at scale: ``/netwerk/data.json`` for a regio (cold: first view,
layout computed and stored; warm: cached) with its size in bytes, the freshness check of a
warm view (the data counter vs. the area fingerprint it replaces), on SQLite and, with
``--pg URL``, on PostgreSQL. Prints figures; never a test.

    python -m bench.table [--scale 0.3] [--pg postgresql+psycopg://…/bench_table]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.generate import generate


def ms(fn, repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, result


def run(url: str, label: str) -> None:
    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.models import Area, AreaKind, Professional, Role, User, professional_areas
    from netwerk.models.area import area_and_descendant_ids
    from netwerk.network import graph
    from netwerk.settings import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        WTF_CSRF_ENABLED = False

    app = create_app(BenchConfig)
    with app.app_context():
        s = db.session
        # the regio with most professionals
        best = None
        for regio in s.scalars(select(Area).where(Area.kind == AreaKind.REGIO)):
            ids = area_and_descendant_ids(s, regio.id)
            n = s.scalar(select(func.count()).select_from(professional_areas)
                         .where(professional_areas.c.area_id.in_(ids)))
            if best is None or n > best[1]:
                best = (regio, n)
        regio = best[0]
        user = s.scalar(select(User).where(User.email == "bench@table.example"))
        if user is None:
            user = User(email="bench@table.example", role=Role.FACILITATOR, session_version=1)
            user.set_password("bench-table-wachtwoord") if hasattr(user, "set_password") else None
            from werkzeug.security import generate_password_hash
            user.password_hash = generate_password_hash("bench-table-wachtwoord",
                                                        method="pbkdf2:sha256:1000")
            s.add(user)
            s.commit()
        people = s.scalar(select(func.count()).select_from(Professional))
        regio_id, regio_name = regio.id, regio.name
        fp, _v = ms(lambda: graph._fingerprint(s, regio_id), repeat=5)
        counter, _c = ms(lambda: graph.network_counter(s), repeat=20)
        s.rollback()
    client = app.test_client()
    client.post("/login", data={"email": "bench@table.example",
                                "password": "bench-table-wachtwoord"})
    graph.clear_cache()
    cold, r = ms(lambda: client.get(f"/netwerk/data.json?gebied={regio_id}"))
    assert r.status_code == 200, r.status_code
    size = len(r.data)
    data = r.get_json()
    warm, r2 = ms(lambda: client.get(f"/netwerk/data.json?gebied={regio_id}"), repeat=5)
    tag = r2.headers["ETag"]
    poll, r3 = ms(lambda: client.get(f"/netwerk/data.json?gebied={regio_id}",
                                     headers={"If-None-Match": tag}), repeat=10)
    assert r3.status_code == 304
    graph.clear_cache()
    restart, _ = ms(lambda: client.get(f"/netwerk/data.json?gebied={regio_id}"))
    orgs = sum(1 for n in data["nodes"] if n["kind"] == "organisation")
    pros = sum(1 for n in data["nodes"] if n["kind"] == "professional")
    print(f"{label}: {people:,} professionals in the database; regio {regio_name}: "
          f"{orgs:,} organisations, {pros:,} professionals, {len(data['edges']):,} lines")
    print(f"  data.json cold (layout computed + stored)   {cold:9.1f} ms")
    print(f"  data.json after a restart (positions read)   {restart:9.1f} ms")
    print(f"  data.json warm                               {warm:9.1f} ms")
    print(f"  poll with ETag (304)                         {poll:9.1f} ms")
    print(f"  size                                         {size:9,d} bytes "
          f"({size / 500_000:.2f} × the 500 kB budget)")
    print(f"  freshness: data counter                      {counter:9.2f} ms")
    print(f"  freshness: area fingerprint (before)         {fp:9.2f} ms "
          f"({fp / max(counter, 0.001):.0f} × the counter)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--sqlite", help="an existing generated SQLite file")
    parser.add_argument("--pg", help="an empty PostgreSQL database URL")
    args = parser.parse_args()
    if args.sqlite:
        url = f"sqlite:///{Path(args.sqlite).resolve()}"
    else:
        path = Path(tempfile.mkdtemp()) / "table.sqlite3"
        url = f"sqlite:///{path}"
        generate(url, args.scale, quiet=True)
    run(url, f"SQLite (scale {args.scale})")
    if args.pg:
        generate(args.pg, args.scale, quiet=True)
        run(args.pg, f"PostgreSQL (scale {args.scale})")


if __name__ == "__main__":
    main()
