"""Keystroke to results drawn, in Chromium, for the live search in the top bar.

    python -m bench.search_browser            # the demo network on a fresh SQLite file
    python -m bench.search_browser --rounds 3

Starts ``netwerk demo`` (as the browser tests do), signs in with Debian's Chromium at 360×740,
and on the home page types names letter by letter into the top bar's search box. For every
keystroke it measures, inside the page, from the input event to the frame after the results
for that text were drawn (``netwerk:results`` from static/js/search.js, then
``requestAnimationFrame``). Two runs in the same session: **now** (no debounce: each keystroke
asks at once, a newer one aborts the older request) and the **baseline**, the old behaviour of
waiting 150 ms after a keystroke (``window.netwerkSearchDebounce = 150``). Prints p50 / p95 in
milliseconds and the ratio. Goal: ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

WORDS = ["ozturk", "jansen", "geynwijs", "lister", "verbeek", "chantal", "altrecht",
         "politie", "batau", "wolters"]

_MEASURE = """
async ([text]) => {
  const input = document.getElementById('q');
  const target = document.getElementById('results') || document.getElementById('q-panel');
  const times = [];
  const parts = [];
  input.value = '';
  performance.clearResourceTimings();
  for (let i = 2; i <= text.length; i++) {
    const value = text.slice(0, i);
    const drawn = new Promise((resolve) => {
      const on = (e) => {
        if (e.detail === value) {
          target.removeEventListener('netwerk:results', on);
          requestAnimationFrame(() => resolve(performance.now()));
        }
      };
      target.addEventListener('netwerk:results', on);
    });
    const start = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const end = await drawn;
    times.push(end - start);
    const wanted = 'q=' + encodeURIComponent(value);
    const entry = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('format=json') && e.name.endsWith(wanted)).pop();
    if (entry && entry.startTime >= start - 1) {
      // Where the time went: before the request, the server's answer (request sent to first
      // byte), the body, and the page's own work after it (JSON, DOM, the next frame).
      parts.push([entry.requestStart - start, entry.responseStart - entry.requestStart,
                  entry.responseEnd - entry.responseStart, end - entry.responseEnd,
                  entry.encodedBodySize]);
    }
    await new Promise((r) => setTimeout(r, 60));   // a person types ~ 8 letters a second
  }
  return [times, parts];
}
"""


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def measure(base: str, browser, debounce: int, rounds: int,
            parts: list | None = None) -> list[float]:
    from tests.e2e.conftest import LOGINS

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    if debounce:
        context.add_init_script(f"window.netwerkSearchDebounce = {debounce};")
    page = context.new_page()
    email, password = LOGINS["medewerker"]
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/**")
    samples: list[float] = []
    for _ in range(rounds):
        page.goto(base + "/")                      # a fresh page: nothing remembered
        for word in WORDS:
            times, where = page.evaluate(_MEASURE, [word])
            samples += times
            if parts is not None:
                parts += where
    context.close()
    return samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Live search: keystroke to results drawn")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, demo_server

    with tempfile.TemporaryDirectory() as tmp, demo_server(
        Path(tmp) / "bench.sqlite3", "bench-browser", NETWERK_SEARCH_RATE_LIMIT="100000 per minute"
    ) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        measure(base, browser, 0, 1)               # warm up the server and the browser
        parts: list = []
        now = measure(base, browser, 0, args.rounds, parts)
        old = measure(base, browser, 150, args.rounds)
        browser.close()
    n50, n95 = statistics.median(now), _pct(now, 0.95)
    o50, o95 = statistics.median(old), _pct(old, 0.95)
    print(f"{len(now)} keystrokes per run ({len(WORDS)} words × {args.rounds} rounds), ms")
    print(f"{'':28}{'p50':>8}{'p95':>8}")
    print(f"{'now (no debounce)':28}{n50:8.1f}{n95:8.1f}")
    print(f"{'baseline (150 ms debounce)':28}{o50:8.1f}{o95:8.1f}")
    print(f"ratio baseline/now: p50 {o50 / n50:.1f}×, p95 {o95 / n95:.1f}×")
    if parts:
        print(f"where the time goes now ({len(parts)} answered requests, p50 / p95 ms):")
        labels = ["keystroke to request sent", "server (request to first byte)",
                  "response body", "page: JSON, DOM, next frame"]
        for i, label in enumerate(labels):
            column = [p[i] for p in parts]
            print(f"  {label:34}{statistics.median(column):8.1f}{_pct(column, 0.95):8.1f}")
        sizes = [p[4] for p in parts]
        print(f"  {'response size (bytes)':34}{statistics.median(sizes):8.0f}"
              f"{_pct(sizes, 0.95):8.0f}")
    print(f"goal ≤ 100 ms: {'gehaald' if n95 <= 100 else 'NIET gehaald'} (p95 {n95:.1f} ms)")


if __name__ == "__main__":
    main()
