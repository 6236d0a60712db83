"""Import of a national-scale network: 100,000 professionals, 20,000 organisations, 3,000 wijken.

Writes deterministic CSV files (semicolon separated, as Excel writes them) to a temporary folder,
then imports them into a fresh, migrated database three times: a dry run, the real import, and
a re-import (every record matched by key and updated). Prints wall time and peak memory
(ru_maxrss of this process). Goal: <= 60 s and <= 1 GiB for the real import.

    python bench/import.py [--professionals N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DOMAINS = ["wonen", "financien", "opvoeding", "ggz", "verslaving", "dagbesteding",
           "thuisbegeleiding", "gezondheid", "veiligheid", "werk", "eenzaamheid", "onderwijs"]
SECTORS = ["zorg", "ggz", "wonen", "politie", "gemeente", "welzijn", "jeugd", "schuldhulp",
           "werk_inkomen", "huisarts", "informeel"]
FIRST = ["Anna", "Bram", "Cor", "Dewi", "Eva", "Fatima", "Gert", "Hanna", "Ilse", "Jan",
         "Kees", "Lotte", "Mo", "Noor", "Otto", "Priya", "Ruben", "Sanne", "Tom", "Yara"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Yilmaz"]


def write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def generate(folder: Path, professionals: int, seed: int = 20261126) -> dict[str, int]:
    rng = random.Random(seed)
    regios, gemeenten, wijken = 25, 350, 3000
    organisations = max(professionals // 5, 1)
    area_rows = [(f"r{r}", "regio", f"Regio {r}", "") for r in range(regios)]
    area_rows += [(f"g{g}", "gemeente", f"Gemeente {g}", f"r{g % regios}")
                  for g in range(gemeenten)]
    area_rows += [(f"w{w}", "wijk", f"Wijk {w}", f"g{w % gemeenten}") for w in range(wijken)]
    write(folder / "areas.csv", ["key", "kind", "name", "parent_key"], area_rows)
    write(folder / "domains.csv", ["key", "name"], [(d, d.title()) for d in DOMAINS])
    write(folder / "organisations.csv", ["key", "name", "sector", "phone"],
          ((f"o{o}", f"Organisatie {o}", SECTORS[o % len(SECTORS)], f"0970 2{o:07d}")
           for o in range(organisations)))

    def person(i: int):
        wijk = rng.randrange(wijken)
        return (f"p{i}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"o{i % organisations}",
                "wijkprofessional", f"0970 1{i:07d}",
                f"w{wijk};w{(wijk + 1) % wijken}",
                ";".join(rng.sample(DOMAINS, 2)), "nl", str(rng.randrange(20)), "20", "ja")

    write(folder / "professionals.csv",
          ["key", "name", "organisation_key", "role", "mobile", "wijken", "domains",
           "languages", "caseload", "caseload_max", "available"],
          (person(i) for i in range(professionals)))
    return {"areas": len(area_rows), "organisations": organisations,
            "professionals": professionals}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--professionals", type=int, default=100_000)
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()

    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.interchange.importer import run_import, sources_from_path
    from netwerk.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        started = time.perf_counter()
        sizes = generate(folder, args.professionals)
        print(f"generated {sizes} in {time.perf_counter() - started:.1f} s; "
              f"professionals.csv {(folder / 'professionals.csv').stat().st_size / 2**20:.1f} MiB")
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
                started = time.perf_counter()
                report = run_import(db.session, sources_from_path(folder), dry_run=dry_run)
                if not report.ok:
                    print("\n".join(str(p) for p in report.problems[:10]))
                    raise SystemExit(1)
                if dry_run:
                    db.session.rollback()
                else:
                    db.session.commit()
                elapsed = time.perf_counter() - started
                people = report.rows.get("professionals", 0)
                print(f"{label:9s}: {elapsed:6.1f} s  ({people / elapsed:,.0f} professionals/s)"
                      f"  created {sum(report.created.values()):,}"
                      f"  {'existing' if dry_run else 'updated'} {sum(report.updated.values()):,}"
                      f"  unchanged {sum(report.unchanged.values()):,}"
                      f"  peak RSS so far {peak_mib():,.0f} MiB")
                db.session.expunge_all()
    print("goal: real import <= 60 s and peak memory <= 1024 MiB")


if __name__ == "__main__":
    main()
