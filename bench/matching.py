"""Benchmark: intake-to-answer time of matching on the synthetic national-scale network.

    python bench/matching.py [--url URL] [--scale 1.0] [--cases 200] [--seed 20261126] [--reuse]

Fills a database with ``bench/generate.py`` (``generate(url, scale, seed)``), then registers
``--cases`` generated cases in random wijken, one at a time, exactly as the intake does
(``operations.register_case``: insert the case with the basis for sharing, load the candidates
with bounded queries, score, back pocket) and rolls each back. The generator mixes in the cases
that go wrong when weights decide instead of rules (issue 13): crises whose involved people are
not available (each case's involved set unavailable inside its own transaction), a language
nobody in the network speaks (the generated people speak Dutch only), and one or two
organisations with an opposing interest chosen among those whose people work in the wijk.
(A crisis's involved people are made unavailable in a transaction of their own, committed
before the intake and restored after it.)

Prints p50 and p95 of intake-to-answer (goal: p95 ≤ 50 ms on SQLite) with the baseline measured
in the same run (the bare SELECT of the people working in the case's wijk) and the ratio, the
answer asked again as the case page does (served from the per-case cache) and whether it is the
suggestion stored at intake, the share of cases whose
lead breaks no hard rule, checked against the database rows rather than the engine's own
verdict (must be 100 %), and the share of back pockets of the exact optimum's size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--reuse", action="store_true", help="the database is already filled")
    args = parser.parse_args(argv)

    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    if not args.reuse:
        try:
            from generate import generate  # bench/generate.py
        except ImportError:
            print("bench/generate.py (generate(url, scale, seed)) is not there yet.", file=sys.stderr)
            return 2
        started = time.perf_counter()
        summary = generate(url, scale=args.scale, seed=args.seed)
        print(f"generated in {time.perf_counter() - started:.1f} s: {summary}")

    from datetime import date

    from sqlalchemy import bindparam, func, select, update

    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.matching import operations
    from netwerk.matching.engine import match
    from netwerk.matching.loader import case_facts, load_network
    from netwerk.matching.queries import analyse_case
    from netwerk.models import (
        Area,
        AreaKind,
        ConstraintTag,
        Domain,
        NeedWeight,
        Organisation,
        Professional,
        Urgency,
        professional_areas,
    )

    # Languages nobody in the generated network speaks (everyone there speaks nl).
    rare_languages = ["ti", "so", "ar", "tr", "uk", "pl", "fa", "ps", "yo", "am"]

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    rng = random.Random(args.seed)
    with app.app_context():
        session = db.session
        wijken = session.scalars(select(Area.id).where(Area.kind == AreaKind.WIJK)).all()
        domains = session.execute(select(Domain.id, Domain.slug)).all()
        people = session.scalar(select(func.count()).select_from(Professional))
        print(f"network: {people} professionals, {len(wijken)} wijken, {len(domains)} domains")
        tags = [t.value for t in ConstraintTag]
        # The year's reference counter exists, as it does after a year's first intake (each
        # case below is rolled back, which would otherwise make every intake the first).
        operations.next_reference(session, date.today().year)
        session.commit()
        timings, cpu, optimal, greedy_optimal, sizes, methods = [], [], 0, 0, [], {}
        candidates: list[int] = []
        kinds = {"crisis, involved unavailable": 0, "language nobody speaks": 0,
                 "opposing party": 0}
        clean, broken, interpreter = 0, [], 0
        baseline: list[float] = []
        served: list[float] = []
        same_shown = 0
        bare = (select(Professional.id, Professional.name, Professional.organisation_id)
                .join(professional_areas, professional_areas.c.professional_id == Professional.id)
                .where(professional_areas.c.area_id == bindparam("wijk"), Professional.active))
        for n in range(args.cases):
            wijk = rng.choice(wijken)
            local = session.scalars(
                select(professional_areas.c.professional_id)
                .where(professional_areas.c.area_id == wijk).limit(20)
            ).all()
            needs = rng.sample(domains, k=min(len(domains), rng.randint(2, 6)))
            involved = tuple(rng.sample(local, k=min(len(local), rng.randint(0, 3))))
            profile = n % 4  # 0 crisis + unavailable, 1 language, 2 opposing, 3 random
            urgency = Urgency.CRISIS if profile == 0 else rng.choice(list(Urgency))
            if profile == 0 and not involved and local:
                involved = (rng.choice(local),)
            unavailable: list[int] = []
            if urgency == Urgency.CRISIS and involved:
                kinds["crisis, involved unavailable"] += 1
                # Committed before the intake, as when they said so earlier (restored after).
                unavailable = list(session.scalars(select(Professional.id).where(
                    Professional.id.in_(involved), Professional.available)))
                session.execute(update(Professional).where(Professional.id.in_(unavailable))
                                .values(available=False))
                session.commit()
            language = rng.choice(rare_languages) if profile == 1 or rng.random() < 0.1 else None
            kinds["language nobody speaks"] += language is not None
            opposing: tuple[int, ...] = ()
            if profile == 2 or rng.random() < 0.1:
                orgs = sorted(set(session.scalars(select(Professional.organisation_id)
                                                  .where(Professional.id.in_(local)))))
                opposing = tuple(rng.sample(orgs, k=min(len(orgs), rng.randint(1, 2))))
                kinds["opposing party"] += bool(opposing)
            intake = operations.Intake(
                area_id=wijk,
                urgency=urgency,
                needs={d.id: (NeedWeight.PRIMAIR if i < 2 else NeedWeight.SECUNDAIR)
                       for i, d in enumerate(needs)},
                constraints=tuple(rng.sample(tags, k=rng.randint(0, 2))),
                client_age=rng.randint(0, 95),
                language=language,
                involved_ids=involved,
                preferred_id=(rng.choice(local) if local and rng.random() < 0.3 else None),
                opposing_ids=opposing,
                basis=operations.BasisInput(kind="toestemming", given_on=date.today(),
                                            scope="delen met de betrokken hulpverleners"),
            )
            # The same-run baseline: the bare SELECT of the people working in the case's wijk.
            start = time.perf_counter()
            session.connection().execute(bare, {"wijk": wijk}).all()
            baseline.append((time.perf_counter() - start) * 1000)
            start, cpu_start = time.perf_counter(), time.process_time()
            case, answer = operations.register_case(session, None, intake)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
            # The case page's answer right after: served from the per-case cache.
            start = time.perf_counter()
            again = analyse_case(session, case).suggestion
            served.append((time.perf_counter() - start) * 1000)
            same_shown += (again.suggested.candidate.id if again.suggested else None) == (
                case.suggested_lead_id)
            if answer.lead is not None:
                # The hard rules, checked on the rows themselves, not on the engine's verdict.
                lead = session.get(Professional, answer.lead.candidate.id)
                org = session.get(Organisation, lead.organisation_id)
                coordinates = (lead.may_coordinate if lead.may_coordinate is not None
                               else org.coordinates)
                problems = []
                if lead.organisation_id in opposing:
                    problems.append("opposing_interest")
                if urgency == Urgency.CRISIS and not (
                        lead.available and lead.caseload < lead.caseload_max):
                    problems.append("crisis_unavailable")
                if not coordinates:
                    problems.append("may_not_coordinate")
                if problems:
                    broken.append((case.reference, lead.id, problems))
                else:
                    clean += 1
                interpreter += bool(language and answer.interpreter)
                # The exact optimum for comparison (forced exact search, and forced greedy).
                facts = case_facts(case)
                network = load_network(session, case.area_id, case.language,
                                       needs={n.domain for n in facts.needs})
                candidates.append(len(network.candidates))
                exact = match(facts, network, method="exact").back_pocket
                greedy = match(facts, network, method="greedy").back_pocket
                optimal += len(answer.back_pocket.members) == len(exact.members)
                greedy_optimal += len(greedy.members) == len(exact.members)
                sizes.append(len(answer.back_pocket.members))
                methods[answer.back_pocket.method] = methods.get(answer.back_pocket.method, 0) + 1
            session.rollback()
            if unavailable:
                session.execute(update(Professional).where(Professional.id.in_(unavailable))
                                .values(available=True))
                session.commit()
        answered = len(sizes)
        print(f"cases: {args.cases}, with a lead: {answered}")
        print(f"intake-to-answer: p50 {statistics.median(timings):.1f} ms, "
              f"p95 {percentile(timings, 95):.1f} ms, max {max(timings):.1f} ms (wall clock)")
        print(f"intake-to-answer CPU time of this process: p50 {statistics.median(cpu):.1f} ms, "
              f"p95 {percentile(cpu, 95):.1f} ms")
        print(f"baseline in the same run, the bare SELECT of the wijk's people: p50 "
              f"{statistics.median(baseline):.1f} ms, p95 {percentile(baseline, 95):.1f} ms; "
              f"intake-to-answer / baseline: p50 x{statistics.median(timings) / statistics.median(baseline):.1f}, "
              f"p95 x{percentile(timings, 95) / percentile(baseline, 95):.1f}")
        print(f"the answer again (the case page), from the per-case cache: p50 "
              f"{statistics.median(served):.2f} ms, p95 {percentile(served, 95):.2f} ms; the "
              f"suggestion stored at intake equals the one shown in {same_shown}/{args.cases}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if answered:
            print(f"candidates loaded per case: median {statistics.median(candidates):.0f}, "
                  f"max {max(candidates)}")
            print(f"back pocket: mean size {statistics.mean(sizes):.2f}; methods {methods}")
            print(f"back pocket equal to the exact optimum: {100 * optimal / answered:.1f} % "
                  f"(greedy alone: {100 * greedy_optimal / answered:.1f} %)")
            print(f"generated: {kinds}")
            print(f"lead breaks no hard rule: {clean}/{answered} = "
                  f"{100 * clean / answered:.1f} % (goal 100 %)")
            print(f"language nobody speaks with a lead: interpreter proposed in {interpreter}/"
                  f"{kinds['language nobody speaks']}")
            for reference, lead_id, problems in broken[:10]:
                print(f"  BROKEN {reference}: lead {lead_id} {problems}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
