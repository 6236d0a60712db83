"""The network at scale: the graph, the facilitator's table for a regio, PostgreSQL, Chromium.

    python -m bench.network --sqlite PATH [--pg URL] [--national] [--map-browser]
    python -m bench.network --scale 0.3            # generate into a temporary SQLite file

``--sqlite`` names a generated database (bench/generate.py); it is copied to a temporary
directory first and only the copy is written to (node positions, a bench account, and for the
browser a gemeente merged from its neighbours). ``--pg`` names a PostgreSQL database with the
same data that may be written to (a copy: ``createdb -T``). Prints figures, each with a
baseline measured in the same run; asserts nothing.

1. **graph** — the largest gemeente: build cold and warm, fold to organisations, analysis
   (betweenness, cut points, bridges, Louvain), drawing data; ``--national``: the same for the
   whole country (a batch job: tens of seconds).
2. **table, regio** (SQLite) — ``GET /netwerk/data.json`` for the regio with most
   professionals: first view ever (layout computed and stored), cold (after a restart: cache
   empty, positions stored), warm, a poll answered ``304``; baseline: the same with the
   previous analysis (networkx's betweenness, Louvain clusters, the organisation graph folded
   at every use). Size raw and gzipped against the previous format (one object per line with
   named fields, positions with decimals), and the freshness check (data counter) against the
   area fingerprint it replaced.
3. **PostgreSQL** (``--pg``) — the same regio's warm view and poll, against the area
   fingerprint over its ties (what every view asked before the data counter).
4. **browser** — Chromium (/usr/bin/chromium) at 1920×1080 opens ``/netwerk/tafel`` for a
   gemeente of about 2,000 people (the largest gemeente with its neighbours' wijken moved into
   it) at the professionals level; time from navigation to drawn (``performance.mark
   "tafel-drawn"``, set by netwerk/static/js/table.js after the first drawing), against the
   same page fed the previous format uncompressed. ``--map-browser``: the ``/netwerk`` map
   (vis-network, netwerk/static/js/network.js) drawn for synthetic maps of 500–2,000 nodes.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EMAIL = "bench@network.example"
PASSWORD = "bench-network-wachtwoord"


def ms(fn, repeat: int = 1) -> tuple[float, object]:
    """(median milliseconds over ``repeat`` calls, the last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def ratio(value: float, baseline: float) -> str:
    """Baseline over value: above 1 the new way is faster."""
    return f"(baseline/now {baseline / value:6.1f})" if value else ""


def make_app(url: str):
    from netwerk.app import create_app
    from netwerk.settings import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        WTF_CSRF_ENABLED = False

    return create_app(BenchConfig)


def bench_account(session) -> None:
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from netwerk.models import Role, User

    if session.scalar(select(User).where(User.email == EMAIL)) is None:
        user = User(email=EMAIL, role=Role.FACILITATOR, session_version=1)
        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        session.add(user)
        session.commit()


def largest(session, kind) -> tuple[int, str, int]:
    """(id, name, professionals placed) of the area of ``kind`` with most professionals."""
    from sqlalchemy import func, select

    from netwerk.models import Area, professional_areas
    from netwerk.models.area import area_and_descendant_ids

    best = None
    for area in session.scalars(select(Area).where(Area.kind == kind)):
        ids = area_and_descendant_ids(session, area.id)
        n = session.scalar(select(func.count(func.distinct(professional_areas.c.professional_id)))
                           .where(professional_areas.c.area_id.in_(ids)))
        if best is None or n > best[2]:
            best = (area.id, area.name, n)
    assert best is not None
    return best


# -- 1. the graph -----------------------------------------------------------------------------

def graph_figures(session, area_id: int | None, name: str) -> None:
    from netwerk.network import analysis, graph, render

    results: dict[str, float] = {}

    def timed(label, fn):
        took, value = ms(fn)
        results[label] = took
        return value

    graph.clear_cache()
    if area_id is None:
        people = timed("build (cold)", lambda: graph.build_area_graph(session, None))
    else:
        people = timed("build (cold)", lambda: graph.area_graph(session, area_id))
        session.rollback()
        timed("build (warm: data counter + cache)", lambda: graph.area_graph(session, area_id))
    orgs = timed("fold to organisations", lambda: graph.organisation_graph(people))
    timed("  betweenness, organisations", lambda: analysis.betweenness(orgs))
    timed("  cut points + bridges, organisations",
          lambda: (analysis.cut_points(orgs), analysis.bridges(orgs)))
    timed("  clusters, organisations", lambda: analysis.clusters(orgs))
    timed("analysis, organisations (all)", lambda: analysis.analyse(orgs))
    if people.number_of_nodes() <= 20_000:
        timed("analysis, professionals", lambda: analysis.analyse(people))
    drawn = orgs
    if orgs.number_of_nodes() > render.MAX_DRAWN_NODES:
        groups = timed("clusters for aggregation", lambda: analysis.communities(orgs))
        drawn = graph.cluster_graph(orgs, groups)
    timed("draw data (layout + pyvis)",
          lambda: render.network_data(drawn, analysis.node_sizes(drawn)))
    if drawn.number_of_nodes() <= render.LABEL_ROOM_LIMIT:
        # The share of the drawing that gives labels room, against the layout it corrects.
        coords = timed("  layout alone (baseline)", lambda: render.positions(drawn))
        shares = analysis.node_sizes(drawn)
        labels = {n: str(d.get("label", n)) for n, d in drawn.nodes(data=True)}
        dots = {n: render.dot_size(shares.get(n, 0.0)) for n in drawn}
        timed("  labels given room (label_room)", lambda: render.label_room(coords, labels, dots))
    print(f"\n1. graph, {name}: {people.number_of_nodes():,} professionals, "
          f"{people.number_of_edges():,} ties; {orgs.number_of_nodes():,} organisations, "
          f"{orgs.number_of_edges():,} lines; drawn {drawn.number_of_nodes():,} nodes")
    for label, took in results.items():
        print(f"  {label:<42} {took:10.1f} ms")


# -- 2. the table for a regio -------------------------------------------------------------------

@contextlib.contextmanager
def previous_analysis():
    """The table's build as it was: networkx's betweenness, Louvain clusters computed, the
    organisation graph folded again at every use (the baseline)."""
    import networkx as nx

    from netwerk.network import analysis, centrality, graph, queries, table

    saved = (centrality.betweenness, analysis.analyse, table.area_organisations,
             queries.area_organisations)

    def folded(session, area_id, work_session_id=None, version=None):
        return graph.organisation_graph(graph.area_graph(session, area_id, work_session_id,
                                                         version=version))

    centrality.betweenness = lambda g, k=None, seed=None: nx.betweenness_centrality(
        g, k=k, seed=seed)
    analysis.analyse = lambda g, with_clusters=True: saved[1](g, with_clusters=True)
    table.area_organisations = queries.area_organisations = folded
    try:
        yield
    finally:
        (centrality.betweenness, analysis.analyse, table.area_organisations,
         queries.area_organisations) = saved


def previous_format(payload: dict) -> dict:
    """The answer as it was (format 1): one object per node and per line, named fields,
    positions with a decimal."""
    from netwerk.network import table

    labels = {n["id"]: n["label"] for n in payload["nodes"]}
    nodes = []
    for n in payload["nodes"]:
        kind = table.node_kind(n)
        old = {"id": n["id"], "label": n["label"], "x": float(n["x"]), "y": float(n["y"]),
               "kind": kind, "sector": n["sec"], "deg": n["deg"], "bc": n.get("bc", 0.0),
               "s": n.get("s")}
        if kind == "professional":
            old.update(organisation=n.get("org"), role=n.get("role", ""),
                       orgLabel=labels.get(f"o{n.get('org')}", ""))
        else:
            old.update(organisation=int(n["id"][1:]) if kind == "organisation" else None,
                       people=n.get("n", 0))
        nodes.append(old)
    edges = []
    for e in payload["edges"]:
        a, b = table.edge_ends(payload, e)
        kind = table.edge_kind(payload, e)
        old = {"from": a["id"], "to": b["id"], "kind": kind, "s": table.edge_session(e)}
        if kind != "professional":
            old["w"] = table.edge_weight(e)
        edges.append(old)
    return {**{k: v for k, v in payload.items() if k != "format"}, "nodes": nodes,
            "edges": edges}


def table_figures(app, label: str, full: bool = True) -> dict:
    from sqlalchemy import delete

    from netwerk.db import db
    from netwerk.models import AreaKind, NodePosition
    from netwerk.network import graph

    with app.app_context():
        regio_id, regio_name, people = largest(db.session, AreaKind.REGIO)
        bench_account(db.session)
        fingerprint, _v = ms(lambda: graph._fingerprint(db.session, regio_id), repeat=3)
        counter, _c = ms(lambda: graph.network_counter(db.session), repeat=20)
        db.session.rollback()
    client = app.test_client()
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    url = f"/netwerk/data.json?gebied={regio_id}&vorm=kort"

    def forget_positions():
        with app.app_context():
            db.session.execute(delete(NodePosition).where(NodePosition.area_id == regio_id))
            db.session.commit()

    def view():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    figures: dict[str, float] = {}
    if full:
        for name, context in (("before", previous_analysis), ("now", contextlib.nullcontext)):
            with context():
                forget_positions()
                graph.clear_cache()
                figures[f"first {name}"], _r = ms(view)
                graph.clear_cache()
                figures[f"cold {name}"], _r = ms(view)
    else:
        graph.clear_cache()
        figures["cold now"], _r = ms(view)
    view()
    figures["warm"], response = ms(view, repeat=5)
    tag = response.headers["ETag"]
    figures["poll"], polled = ms(lambda: client.get(url, headers={"If-None-Match": tag}),
                                 repeat=10)
    assert polled.status_code == 304, polled.status_code
    payload = response.get_json()
    raw = len(response.data)
    zipped = len(client.get(url, headers={"Accept-Encoding": "gzip"}).data)
    old = json.dumps(previous_format(payload), separators=(",", ":")).encode()
    orgs = sum(1 for n in payload["nodes"] if n["id"].startswith("o"))
    print(f"\n{label}: regio {regio_name}, {people:,} professionals placed; "
          f"{orgs:,} organisations, {len(payload['nodes']) - orgs:,} professionals, "
          f"{len(payload['edges']):,} lines drawn")
    if full:
        print(f"  first view ever (layout computed + stored) {figures['first now']:9.1f} ms   "
              f"before {figures['first before']:9.1f} ms "
              f"{ratio(figures['first now'], figures['first before'])}")
    line = f"  cold (after a restart: positions stored)   {figures['cold now']:9.1f} ms"
    if full:
        line += (f"   before {figures['cold before']:9.1f} ms "
                 f"{ratio(figures['cold now'], figures['cold before'])}")
    print(line)
    print(f"  warm                                       {figures['warm']:9.1f} ms   "
          f"cold {ratio(figures['warm'], figures['cold now'])}")
    print(f"  poll with the ETag (304)                   {figures['poll']:9.1f} ms")
    print(f"  freshness: data counter                    {counter:9.2f} ms   "
          f"area fingerprint {fingerprint:9.1f} ms {ratio(counter, fingerprint)}")
    print(f"  size raw                                   {raw:9,d} B    "
          f"before {len(old):10,d} B ({len(old) / raw:.1f}× smaller; budget 500,000 B)")
    print(f"  size gzip                                  {zipped:9,d} B    "
          f"before {len(gzip.compress(old, 6)):10,d} B gzipped, {len(old):,d} B as sent "
          f"({len(old) / zipped:.0f}× smaller on the wire)")
    return figures


# -- 4. the browser -----------------------------------------------------------------------------

def merge_gemeente(app, target: int = 2000) -> tuple[int, str, int]:
    """Move the wijken of the largest gemeente's neighbours (same regio) into it until it
    holds about ``target`` professionals; (id, name, professionals)."""
    from sqlalchemy import func, select, update

    from netwerk.db import db
    from netwerk.models import Area, AreaKind, professional_areas

    with app.app_context():
        s = db.session
        gemeente_id, name, _n = largest(s, AreaKind.GEMEENTE)
        regio_id = s.get(Area, gemeente_id).parent_id
        siblings = s.scalars(select(Area.id).where(Area.parent_id == regio_id,
                                                   Area.kind == AreaKind.GEMEENTE,
                                                   Area.id != gemeente_id)).all()

        def people(area_id):
            wijken = select(Area.id).where(Area.parent_id == area_id)
            return set(s.scalars(select(professional_areas.c.professional_id).where(
                professional_areas.c.area_id.in_(wijken) | (professional_areas.c.area_id
                                                            == area_id))))

        have = people(gemeente_id)
        for sibling in sorted(siblings, key=lambda a: -len(people(a))):
            more = people(sibling) - have
            if len(have) + len(more) > target:
                continue
            s.execute(update(Area).where(Area.parent_id == sibling).values(parent_id=gemeente_id))
            have |= more
        s.commit()
        total = s.scalar(select(func.count()).select_from(Area).where(
            Area.parent_id == gemeente_id))
        print(f"\n4. browser: gemeente {name} with {total} wijken, {len(have):,} professionals")
        return gemeente_id, name, len(have)


def browser_figures(app, gemeente_id: int, rounds: int = 3) -> None:
    import logging

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    page_url = f"{base}/netwerk/tafel?gebied={gemeente_id}&niveau=professionals"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=email]", EMAIL)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            data = page.request.get(f"{base}/netwerk/data.json?gebied={gemeente_id}"
                                    "&niveau=professionals&vorm=kort")  # built once: warm
            payload = data.json()
            bodies = {"now": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                      "before": json.dumps(previous_format(payload), separators=(",", ":"))}

            def feed(which):
                def answer(route):
                    route.fulfill(status=200, content_type="application/json",
                                  body=bodies[which], headers={"ETag": f'W/"{which}"',
                                                               "Cache-Control": "no-cache"})
                return answer

            def drawn() -> tuple[float, int]:
                page.goto(page_url)
                page.wait_for_selector('#tafel[data-drawn="1"]', timeout=120_000)
                mark = page.evaluate("performance.getEntriesByName('tafel-drawn')[0].startTime")
                shown = page.evaluate("document.querySelectorAll('#tafel-kaart .knoop:not("
                                      "[display=none])').length")
                return mark, shown

            served = [drawn() for _ in range(rounds)]
            times = {}
            for which in ("now", "before", "now", "before"):  # interleaved against drift
                page.route("**/netwerk/data.json*", feed(which))
                times.setdefault(which, []).extend(drawn() for _ in range(rounds))
                page.unroute("**/netwerk/data.json*")
            browser.close()
    finally:
        server.shutdown()
    t_served = statistics.median(m for m, _n in served)
    t_now = statistics.median(m for m, _n in times["now"])
    t_before = statistics.median(m for m, _n in times["before"])
    print(f"  {len(payload['nodes']):,} nodes ({served[0][1]:,} drawn), "
          f"{len(payload['edges']):,} lines, 1920×1080, medians")
    print(f"  navigation → drawn, data.json from the server (gzip) {t_served:9.1f} ms")
    print("  the same, the answer handed over by the browser (no server time):")
    print(f"    compact format ({len(bodies['now']):,} B)      {t_now:9.1f} ms   previous format "
          f"({len(bodies['before']):,} B) {t_before:9.1f} ms {ratio(t_now, t_before)}")


def map_browser_figures(sizes: list[int]) -> None:
    """The /netwerk map (vis-network) drawn in Chromium for synthetic maps."""
    import networkx as nx
    from playwright.sync_api import sync_playwright

    from netwerk.network import analysis, render

    page_html = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="vis-network.css">
<style>#kaart {{ width: 1000px; height: 700px; }}</style></head>
<body><div id="kaart" class="netwerk-kaart" data-island="kaart-data" data-drawn=""></div>
<aside id="paneel"></aside>
<script type="application/json" id="kaart-data">{data}</script>
<script src="vis-network.min.js"></script><script src="network.js"></script></body></html>"""
    work = Path(tempfile.mkdtemp())
    for name in ("vis-network.min.js", "vis-network.css"):
        shutil.copy(render.vis_directory() / name, work / name)
    shutil.copy(ROOT / "netwerk" / "static" / "js" / "network.js", work / "network.js")
    sectors = list(render.SECTOR_COLOURS)
    print("\n5. the /netwerk map (vis-network), synthetic organisation maps")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu"])
        for n in sizes:
            g = nx.relabel_nodes(nx.barabasi_albert_graph(n, 3, seed=1),
                                 {i: f"o{i}" for i in range(n)})
            for i, node in enumerate(g):
                g.nodes[node].update(kind="organisation", label=f"Organisatie {i}",
                                     sector=sectors[i % len(sectors)], people=[])
            nx.set_edge_attributes(g, 1, "weight")
            server, data = ms(lambda g=g: render.network_data(g, analysis.node_sizes(g)))
            text = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e")
            (work / f"map-{n}.html").write_text(page_html.format(data=text))
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            start = time.perf_counter()
            page.goto((work / f"map-{n}.html").as_uri())
            page.wait_for_selector('#kaart[data-drawn="1"]', timeout=120_000)
            drawn = (time.perf_counter() - start) * 1000
            page.close()
            print(f"  {n:>5} nodes, {g.number_of_edges():>5} edges: server layout + data "
                  f"{server:7.0f} ms; navigation → drawn {drawn:6.0f} ms")
        browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="a generated SQLite file (copied, never written)")
    parser.add_argument("--scale", type=float, default=0.3,
                        help="without --sqlite: generate this scale")
    parser.add_argument("--pg", help="a PostgreSQL copy of the same data (written to)")
    parser.add_argument("--national", action="store_true", help="also the national graph")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--map-browser", type=int, nargs="*",
                        help="also the /netwerk map in Chromium for these sizes (500 1000 2000)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp())
    path = work / "network.sqlite3"
    if args.sqlite:
        shutil.copy(args.sqlite, path)
    else:
        from bench.generate import generate

        generate(f"sqlite:///{path}", args.scale, quiet=True)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {load}")
    url = f"sqlite:///{path}"
    app = make_app(url)
    from netwerk.db import db
    from netwerk.models import AreaKind

    with app.app_context():
        gemeente_id, name, _n = largest(db.session, AreaKind.GEMEENTE)
        graph_figures(db.session, gemeente_id, f"gemeente {name}")
        if args.national:
            graph_figures(db.session, None, "national")
    table_figures(app, "2. table, SQLite")
    if args.pg:
        table_figures(make_app(args.pg), "3. table, PostgreSQL", full=False)
    if not args.no_browser:
        merged, _name, _people = merge_gemeente(app)
        browser_figures(app, merged)
    if args.map_browser is not None:
        map_browser_figures(args.map_browser or [500, 1000, 2000])
    print(f"\n{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
