"""Numbers people can trust: what the freshness figures and the "klopt niet" queue cost.

    python -m bench.trust sqlite:////tmp/trust.sqlite3 --scale 0.2 [--reports 2000]

Generates the synthetic network (bench/generate.py) into an empty database, files
``--reports`` reports on random people and organisations, and times (p50/p95, milliseconds,
50 rounds each) the reads the pages make: the freshness of one organisation (organisation
page), the 20 least fresh organisations (/verifieren for a beheerder), the queue of a beheerder
and of an organisatiebeheerder. The baseline, measured in the same run, is a plain
``SELECT count(*)`` over the active professionals (one scan of the table): each figure is also
given as a ratio to it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session


def _time(fn, rounds: int = 50) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--reports", type=int, default=2000)
    args = parser.parse_args()

    from bench.generate import generate
    from netwerk.directory import queries
    from netwerk.models import Organisation, Professional, RecordReport, Role, User

    counts = generate(args.url, args.scale, quiet=True)
    engine = create_engine(args.url)
    rng = random.Random(14)
    with Session(engine) as session:
        people = session.scalars(select(Professional.id)).all()
        orgs = session.scalars(select(Organisation.id)).all()
        admin_prof = session.get(Professional, people[0])
        beheerder = User(email="b@bench.example", role=Role.BEHEERDER, password_hash="x")
        org_admin = User(email="o@bench.example", role=Role.MEDEWERKER, password_hash="x",
                         professional_id=admin_prof.id, organisation_admin=True)
        reporter = User(email="r@bench.example", role=Role.MEDEWERKER, password_hash="x")
        session.add_all([beheerder, org_admin, reporter])
        session.flush()
        for pid in rng.sample(people, min(args.reports // 2, len(people))):
            session.add(RecordReport(professional_id=pid, reporter_id=reporter.id,
                                     reason="nummer_werkt_niet", note=""))
        for oid in rng.sample(orgs, min(args.reports // 2, len(orgs))):
            session.add(RecordReport(organisation_id=oid, reporter_id=reporter.id,
                                     reason="anders", note="x"))
        session.commit()
        org_id = admin_prof.organisation_id
        base = _time(lambda: session.scalar(select(func.count(Professional.id))
                                            .where(Professional.active)))
        rows = [
            ("baseline: count(*) of active professionals", base),
            ("freshness of one organisation", _time(
                lambda: queries.organisation_freshness(session, org_id, 180))),
            ("20 least fresh organisations (beheerder)", _time(
                lambda: queries.freshness(session, 180))),
            ("queue of a beheerder (200 oldest)", _time(
                lambda: queries.report_queue(session, beheerder))),
            ("queue count of a beheerder", _time(
                lambda: queries.report_queue_count(session, beheerder))),
            ("queue of an organisatiebeheerder", _time(
                lambda: queries.report_queue(session, org_admin))),
        ]
    print(f"{engine.dialect.name}, {counts['professionals']} professionals, "
          f"{counts['organisations']} organisations, {args.reports} reports")
    print(f"{'read':48} {'p50 ms':>8} {'p95 ms':>8} {'p50/base':>9}")
    for name, (p50, p95) in rows:
        print(f"{name:48} {p50:8.2f} {p95:8.2f} {p50 / base[0]:9.2f}")


if __name__ == "__main__":
    main()
