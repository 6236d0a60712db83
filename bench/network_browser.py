"""How fast Chromium draws a large map: time from navigation until network.js has drawn it.

    python bench/network_browser.py [--nodes 500 1000 2000]

Builds a synthetic organisation graph (Barabási–Albert, m=3, sectors round-robin) per size,
turns it into the page's drawing data with netwerk.network.render (server-side layout, no
physics), writes a page that loads the vis-network file shipped in pyvis and
netwerk/static/js/network.js exactly as /netwerk does, and opens it in Debian's Chromium
(/usr/bin/chromium) through Playwright. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="vis-network.css">
<style>#kaart {{ width: 1000px; height: 700px; }}</style></head>
<body><div id="kaart" class="netwerk-kaart" data-island="kaart-data" data-drawn=""></div>
<aside id="paneel"></aside>
<script type="application/json" id="kaart-data">{data}</script>
<script src="vis-network.min.js"></script><script src="network.js"></script></body></html>"""


def main(argv: list[str] | None = None) -> None:
    import networkx as nx
    from playwright.sync_api import sync_playwright

    from netwerk.network import analysis, render

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[500, 1000, 2000])
    args = parser.parse_args(argv)
    sectors = list(render.SECTOR_COLOURS)
    work = Path(tempfile.mkdtemp())
    for name in ("vis-network.min.js", "vis-network.css"):
        shutil.copy(render.vis_directory() / name, work / name)
    shutil.copy(ROOT / "netwerk" / "static" / "js" / "network.js", work / "network.js")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        for n in args.nodes:
            graph = nx.barabasi_albert_graph(n, 3, seed=1)
            graph = nx.relabel_nodes(graph, {i: f"o{i}" for i in graph})
            for i, node in enumerate(graph):
                graph.nodes[node].update(kind="organisation", label=f"Organisatie {i}",
                                         sector=sectors[i % len(sectors)], people=[])
            nx.set_edge_attributes(graph, 1, "weight")
            start = time.perf_counter()
            data = render.network_data(graph, analysis.node_sizes(graph))
            server = time.perf_counter() - start
            page_path = work / f"map-{n}.html"
            text = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e")
            page_path.write_text(PAGE.format(data=text))
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector('#kaart[data-drawn="1"]', timeout=120_000)
            drawn = time.perf_counter() - start
            # interactive: a zoom redraw after the first drawing
            start = time.perf_counter()
            page.evaluate("""() => new Promise(resolve => {
                const net = document.getElementById('kaart').netwerkNetwork;
                net.once('afterDrawing', () => resolve());
                net.moveTo({scale: 1.5});
            })""")
            redraw = time.perf_counter() - start
            page.close()
            print(f"{n:>5} nodes, {graph.number_of_edges():>5} edges: server layout + data "
                  f"{server * 1000:7.0f} ms; Chromium navigation → drawn {drawn * 1000:6.0f} ms; "
                  f"one redraw (zoom) {redraw * 1000:5.0f} ms; data {len(text) / 1e6:.1f} MB")
        browser.close()


if __name__ == "__main__":
    main()
