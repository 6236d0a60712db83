"""The cost of one long search word against a normal search (finding 11).

    python -m bench.search_bound                       # a generated SQLite network (scale 0.05)
    python -m bench.search_bound sqlite:///bench.sqlite3 [--repeat 20]

Runs the directory search (netwerk.directory.search.search, no HTTP) for a normal typed word
with a typo (``kuipres``-like, drawn from the data) and for one 200-character word, and prints
CPU time per search (``time.process_time``) and the ratio long / normal. The same run also
measures the long word with the bounds switched off (FUZZY_MAX_LENGTH and FUZZY_MAX_TRIGRAMS
set to unbounded), which is what the search did before: the baseline of the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import tempfile
import time
from pathlib import Path


def _cpu_per_search(session, query: str, repeat: int) -> float:
    from netwerk.directory.search import search

    samples = []
    for _ in range(repeat):
        start = time.process_time()
        search(session, query)
        samples.append(time.process_time() - start)
        session.rollback()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    url = args.url
    if url is None:
        from bench.generate import generate

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
        generate(url, scale=args.scale, quiet=True)

    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from netwerk.directory import search as s
    from netwerk.models import Professional

    engine = create_engine(url)
    rng = random.Random(11)
    with Session(engine) as session:
        names = session.scalars(select(Professional.name).limit(500)).all()
        word = max((w for n in names for w in n.split()), key=len)
        normal = word[:2] + word[3] + word[2] + word[4:]  # two letters swapped
        long_word = "".join(rng.choice(string.ascii_lowercase) for _ in range(200))
        t_normal = _cpu_per_search(session, normal, args.repeat)
        t_long = _cpu_per_search(session, long_word, args.repeat)
        from netwerk.directory import search_index

        bounds = (s.FUZZY_MAX_LENGTH, search_index.FUZZY_MAX_TRIGRAMS)
        s.FUZZY_MAX_LENGTH, search_index.FUZZY_MAX_TRIGRAMS = 10**6, 10**6
        try:
            t_unbounded = _cpu_per_search(session, long_word, max(3, args.repeat // 5))
        finally:
            s.FUZZY_MAX_LENGTH, search_index.FUZZY_MAX_TRIGRAMS = bounds
    engine.dispose()
    print(f"database: {url.split(':')[0]}, {len(names)}+ people sampled; median CPU per search")
    print(f"  normal word with a typo ({normal!r}): {t_normal * 1000:8.2f} ms")
    print(f"  200-character word, bounded:        {t_long * 1000:8.2f} ms "
          f"(ratio {t_long / t_normal:5.1f}x)")
    print(f"  200-character word, unbounded:      {t_unbounded * 1000:8.2f} ms "
          f"(ratio {t_unbounded / t_normal:5.1f}x, the baseline before the bound)")


if __name__ == "__main__":
    main()
