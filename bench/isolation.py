"""What a clean database costs per test: the suite's isolation (tests/conftest.py) against what it
replaced, measured in the same run.

    python -m bench.isolation                                   # SQLite only
    python -m bench.isolation postgresql+psycopg://postgres@127.0.0.1:5432/scratch

The PostgreSQL database's ``public`` schema is DROPPED (use a scratch database). Per engine:

- **empty**: before, TRUNCATE of every table (PostgreSQL) / a copy of the migrated file (SQLite);
  now, DELETE with foreign-key triggers off and the id sequences restarted (PostgreSQL; SQLite
  is unchanged);
- **seeded**: before, an empty database plus ``load_seed`` of seed_data/ per test; now, the rows
  of one load written back (PostgreSQL) / a copy of the seeded file (SQLite).

It prints the median milliseconds of ``--repeat`` rounds and the ratio before/now.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(fn, repeat: int, before=None) -> float:
    """Median of ``fn()`` over ``repeat`` rounds, ``before()`` run untimed ahead of each."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _row(name: str, before: float, now: float) -> None:
    print(f"  {name:8} before {before:9.1f} ms   now {now:8.1f} ms   ratio {before / now:6.1f}x")


def sqlite(repeat: int) -> None:
    from netwerk.migrate import upgrade
    from tests.conftest import _load_seed_into

    work = Path(tempfile.mkdtemp(prefix="bench-isolation-"))
    try:
        template = work / "template.sqlite3"
        upgrade(f"sqlite:///{template}")
        seeded = work / "seeded.sqlite3"
        shutil.copy(template, seeded)
        _load_seed_into(f"sqlite:///{seeded}")
        target = work / "test.sqlite3"

        def copy_empty():
            shutil.copy(template, target)

        def load_per_test():
            shutil.copy(template, target)
            _load_seed_into(f"sqlite:///{target}")

        def copy_seeded():
            shutil.copy(seeded, target)

        print("sqlite")
        empty = _median_ms(copy_empty, repeat)
        _row("empty", empty, empty)
        _row("seeded", _median_ms(load_per_test, repeat), _median_ms(copy_seeded, repeat))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def postgresql(url: str, repeat: int) -> None:
    from sqlalchemy import MetaData, create_engine, text

    from netwerk.db import Base
    from netwerk.migrate import upgrade
    from tests.conftest import PostgresDatabase, _load_seed_into

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(url)
        meta = MetaData()
        meta.reflect(engine)
        tables = [t for t in meta.sorted_tables if t.name != "alembic_version"]
        with engine.connect() as conn:
            sequences = {t.name: conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                             {"t": f'"{t.name}"'})
                         for t in tables if "id" in t.c}
            superuser = bool(conn.scalar(text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")))
        database = PostgresDatabase(url=url, engine=engine, tables=tables,
                                    sequences={k: v for k, v in sequences.items() if v},
                                    superuser=superuser)
        database.keep_seed()
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)

        def truncate():
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

        def load_per_test():
            truncate()
            _load_seed_into(url)

        print(f"postgresql (superuser: {superuser})")
        # Emptying a database that the previous test filled with the demo network.
        _row("empty", _median_ms(truncate, repeat, before=database.reset_seeded),
             _median_ms(database.reset, repeat, before=database.reset_seeded))
        _row("seeded", _median_ms(load_per_test, repeat), _median_ms(database.reset_seeded, repeat))
        database.reset()
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("postgres_url", nargs="?", help="a scratch PostgreSQL database")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # tests.conftest
    sqlite(args.repeat)
    if args.postgres_url:
        postgresql(args.postgres_url, args.repeat)


if __name__ == "__main__":
    main()
