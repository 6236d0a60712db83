"""Network graph: build, analysis and drawing-data times for one gemeente and the nation.

    python bench/network.py                          # generate scale 0.05 into a temp SQLite file
    python bench/network.py --scale 1.0 --url sqlite:///instance/bench.sqlite3
    python bench/network.py --url postgresql+psycopg://postgres@127.0.0.1/bench --no-generate

Uses the national generator ``bench.generate.generate(url, scale, seed)`` to fill the database
(unless --no-generate). Prints figures; asserts nothing.

Measured per selection:
- build (cold): DB -> networkx professional graph, queries bounded by the area;
- build (warm): the same call again in a new transaction, answered from the per-data-version
  cache (the cost is the data-version query);
- fold: professionals -> organisations (edge weight = number of ties);
- analysis: isolated, cut points, bridges, brokers (betweenness sampled above 500 nodes,
  Burt's constraint for the top), Louvain clusters;
- draw data: layout + pyvis node/edge data for the browser (organisation level; clusters when
  over 2,000 nodes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(label: str, fn, results: dict):
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def measure(session, area_id: int | None, name: str) -> None:
    from netwerk.network import analysis, graph, render

    results: dict[str, float] = {}
    timed("import pyvis (once per process)", lambda: __import__("pyvis.network"), results)
    graph.clear_cache()
    if area_id is None:
        people = timed("build (cold)", lambda: graph.build_area_graph(session, None), results)
    else:
        people = timed("build (cold)", lambda: graph.area_graph(session, area_id), results)
        session.rollback()  # a new request: the data version is asked again
        timed("build (warm: version query + cache)",
              lambda: graph.area_graph(session, area_id), results)
    orgs = timed("fold to organisations", lambda: graph.organisation_graph(people), results)
    timed("  betweenness, organisations", lambda: analysis.betweenness(orgs), results)
    timed("  cut points + bridges, organisations",
          lambda: (analysis.cut_points(orgs), analysis.bridges(orgs)), results)
    timed("  clusters, organisations", lambda: analysis.clusters(orgs), results)
    timed("analysis, organisations (all)", lambda: analysis.analyse(orgs), results)
    if people.number_of_nodes() <= 20_000:
        timed("analysis, professionals", lambda: analysis.analyse(people), results)
    drawn = orgs
    if orgs.number_of_nodes() > render.MAX_DRAWN_NODES:
        groups = timed("clusters for aggregation", lambda: analysis.communities(orgs), results)
        drawn = graph.cluster_graph(orgs, groups)
    timed("draw data (layout + pyvis)",
          lambda: render.network_data(drawn, analysis.node_sizes(drawn)), results)
    print(f"\n{name}: {people.number_of_nodes():,} professionals, "
          f"{people.number_of_edges():,} ties; {orgs.number_of_nodes():,} organisations, "
          f"{orgs.number_of_edges():,} organisation links; drawn: "
          f"{drawn.number_of_nodes():,} nodes")
    for label, seconds in results.items():
        print(f"  {label:<40} {seconds * 1000:10.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--no-generate", action="store_true",
                        help="use the database as it is")
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench-network.sqlite3"

    if not args.no_generate:
        try:
            from bench.generate import generate
        except ImportError:
            sys.exit("bench/generate.py (the national generator) is not there yet; run this "
                     "once it is, or point --url at a generated database with --no-generate.")
        start = time.perf_counter()
        counts = generate(url, scale=args.scale, seed=args.seed)
        print(f"generated scale {args.scale} in {time.perf_counter() - start:.1f} s: {counts}")

    from sqlalchemy import func, select

    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.models import Area, AreaKind, professional_areas
    from netwerk.settings import TestConfig

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings["SQLALCHEMY_DATABASE_URI"] = url
    app = create_app(settings)
    with app.app_context():
        session = db.session
        # The gemeente with the most professionals placed in it (directly or in its wijken).
        wijk_counts = dict(session.execute(
            select(professional_areas.c.area_id, func.count())
            .group_by(professional_areas.c.area_id)).all())
        gemeenten = session.execute(
            select(Area.id, Area.name).where(Area.kind == AreaKind.GEMEENTE)).all()
        children: dict[int, list[int]] = {}
        for area_id, parent_id in session.execute(select(Area.id, Area.parent_id)):
            children.setdefault(parent_id, []).append(area_id)

        def placed(area_id: int) -> int:
            return wijk_counts.get(area_id, 0) + sum(placed(c) for c in children.get(area_id, []))

        gemeente = max(gemeenten, key=lambda g: (placed(g.id), -g.id))
        print(f"python {sys.version.split()[0]}, database {url.split(':')[0]}")
        measure(session, gemeente.id, f"gemeente {gemeente.name}")
        if not args.skip_national:
            measure(session, None, "national")


if __name__ == "__main__":
    main()
