"""A synthetic national-scale care network, for benchmarks.

    python -m bench.generate sqlite:///bench.sqlite3 --scale 0.01
    python -m bench.generate postgresql+psycopg://postgres@127.0.0.1/bench

At scale 1.0: ≈350 gemeenten, 3,000 wijken, 20,000 organisations, 100,000 professionals and
1,000,000 ties, with Dutch names (diacritics included). Deterministic for a given seed. The
database is migrated with netwerk.migrate.upgrade first, then filled with SQLAlchemy Core
executemany in big batches (the search-index triggers of migration 0002 index every row).

Python API (reused by other benchmarks; keep the signature)::

    from bench.generate import generate
    counts = generate(url, scale=0.1, seed=20261126)   # -> {"professionals": 10000, ...}

Phone numbers are in the 0970 range (machine-to-machine, never a person's mobile).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, func, select, text

from netwerk.migrate import upgrade
from netwerk.models import (
    Area,
    Domain,
    Organisation,
    Professional,
    Service,
    Tie,
    professional_areas,
    professional_domains,
    service_areas,
    service_domains,
)

BATCH = 10_000


def _list(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FULL = {
    "regios": 25,
    "gemeenten": 350,
    "wijken": 3_000,
    "organisations": 20_000,
    "professionals": 100_000,
    "ties": 1_000_000,
}

FIRST_NAMES = _list(
    "Anouk Sanne Femke Lotte Esther Chantál Zoë Noël Anaïs Inès Loïs Maaike Marloes Ilse Iris "
    "Fleur Roos Eva Julia Lisa Sophie Emma Tess Nina Fenna Lieke Hanneke Trudy Gonnie Marjolein "
    "Jeroen Erik Bart Joost Thijs Ruben Daan Sem Lucas Milan Bram Pieter Kees Gerrit Henk Willem "
    "Jan-Willem Arjen Frits René André José Jesús Zoltán Mehmet Ayşe Fatma Hülya Şükrü Gökhan "
    "Yusuf Hakan Emre Esra Büşra Çağla Özlem Ömer Ahmed Mohamed Fatima Khadija Naïma Loubna "
    "Samira Youssef Hamid Abdelkader Saïda Priya Rajesh Sunita Anil Shanti Noëlle Ramón Ángel "
    "Łukasz Agnieszka Małgorzata Piotr Tomasz Krzysztof Ewa Abdi Amina Hodan Tesfay Senait "
    "Dragan Jelena Ivana Miloš Björn Søren Åsa Ingrid Mariëlle Daniëlle Ellen Corné Gerdien"
)
SURNAMES = _list(
    "Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|"
    "de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|"
    "van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|"
    "van den Broek|de Bruijn|de Jong|van der Heijden|Schouten|van Beek|Willems|van Vliet|"
    "Hoekstra|Maas|Verhoeven|Koster|Prins|Blom|Huisman|Peeters|Kuipers|van 't Hof|Kramer|"
    "Öztürk|Yılmaz|Şahin|Çelik|Demir|Aydın|Kaya|Yıldız|Doğan|Arslan|Koç|Kılıç|Güneş|Ünal|"
    "El Idrissi|Benali|Haddou|Bouzid|Tahiri|El Amrani|Aït Ouali|Boukhari|Ezzahraoui|Chaïbi|"
    "Jagessar|Ramdin|Pinas|Sewdien|Mahabier|Kromodikoro|Wongsodikromo|Lambert|Müller|Schäfer|"
    "Nowak|Kowalski|Wiśniewski|Wójcik|Lewandowski|Warsame|Mohamud|Tesfamariam|Ghebremedhin|"
    "Rodríguez|García|Martín|Gonçalves|Conceição|Jovanović|Petrović|Nikolić|Søndergaard|"
    "Groenewegen|Timmermans|van Oosten|Verbeek|Sluiter|Wolters|Verhoef|van Rijn|Pronk|Brink"
, "|")
PLACE_PARTS = _list(
    "Noord Zuid Oost West Centrum Haven Veld Dijk Hoven Kerk Molen Beek Hof Wijk Park Dorp "
    "Brug Meer Bosch Heide Waard Akker Kamp Donk Horst Rode Hoog Laag Nieuw Oud"
)
GEMEENTE_STEMS = _list(
    "Aal Ber Bre Cul Dal Dron Eem Elst Gaast Gel Haar Hel Hoorn Kam Lei Lek Lin Maar Mid Naal "
    "Oost Put Raal Ren Rijs Schie Sloot Steen Tiel Uit Veen Vli Waal Wer Zand Zee Zwol"
)
GEMEENTE_TAILS = _list("dam dorp stein wijk veen horst broek dijk hoven lo sel drecht recht haven")
SECTORS = _list(
    "zorg ggz wonen politie gemeente welzijn jeugd schuldhulp werk_inkomen huisarts informeel "
    "levensbeschouwing sport verslavingszorg onderwijs gehandicaptenzorg maatschappelijke_opvang"
)
ORG_KINDS = {
    "zorg": ("Thuiszorg", "wijkverpleegkundige"), "ggz": ("GGZ", "sociaal psychiatrisch verpleegkundige"),
    "wonen": ("Woonstichting", "woonconsulent"), "politie": ("Politie basisteam", "wijkagent"),
    "gemeente": ("Sociaal Wijkteam", "wijkconsulent"), "welzijn": ("Welzijn", "opbouwwerker"),
    "jeugd": ("Jeugdteam", "jeugdconsulent"), "schuldhulp": ("Schuldhulp", "schuldhulpverlener"),
    "werk_inkomen": ("Werk en Inkomen", "klantmanager"), "huisarts": ("Huisartsen", "POH-GGZ"),
    "informeel": ("Vrijwilligers", "coördinator vrijwilligers"),
    "levensbeschouwing": ("Diaconie", "diaconaal werker"), "sport": ("Buurtsport", "buurtsportcoach"),
    "verslavingszorg": ("Verslavingszorg", "verslavingsarts"),
    "onderwijs": ("Scholengroep", "zorgcoördinator"),
    "gehandicaptenzorg": ("Gehandicaptenzorg", "ambulant begeleider"),
    "maatschappelijke_opvang": ("Opvang", "trajectbegeleider"),
}
DOMAINS = {
    "wonen": "Wonen", "financien": "Financiën en inkomen", "schulden": "Schulden",
    "opvoeding": "Opvoeding en opgroeien", "ggz": "Psychische gezondheid (ggz)",
    "verslaving": "Verslaving", "dagbesteding": "Dagbesteding",
    "thuisbegeleiding": "Thuisbegeleiding", "gezondheid": "Lichamelijke gezondheid",
    "veiligheid": "Veiligheid en overlast", "werk": "Werk en meedoen",
    "eenzaamheid": "Eenzaamheid en sociaal netwerk", "opvang": "Maatschappelijke opvang",
    "jeugd": "Jeugd", "ouderen": "Ouderen",
}


class Progress:
    """A small progress bar on standard error."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total, self.done, self.quiet, self.start = max(total, 1), 0, quiet, time.monotonic()
        self.label = ""

    def step(self, n: int, label: str) -> None:
        self.done += n
        self.label = label
        if self.quiet:
            return
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r[{bar:<30}] {share:6.1%} {label:<28} {time.monotonic() - self.start:6.1f} s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if not self.quiet:
            sys.stderr.write("\n")


def _insert(conn, table, rows: list[dict], progress: Progress, label: str) -> None:
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        conn.execute(table.insert(), chunk)
        progress.step(len(chunk), label)


def _scaled(scale: float) -> dict[str, int]:
    counts = {k: max(int(round(v * scale)), 1) for k, v in FULL.items()}
    counts["gemeenten"] = max(counts["gemeenten"], 2)
    counts["wijken"] = max(counts["wijken"], counts["gemeenten"] * 2)
    counts["organisations"] = max(counts["organisations"], len(SECTORS))
    counts["professionals"] = max(counts["professionals"], 20)
    return counts


def generate(url: str, scale: float = 1.0, seed: int = 20261126, *, quiet: bool = False) -> dict:
    """Migrate the (empty) database at ``url`` and fill it; returns the counts inserted."""
    rng = random.Random(seed)
    n = _scaled(scale)
    upgrade(url)
    engine = create_engine(url)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    total = (n["regios"] + n["gemeenten"] + n["wijken"] + 2 * n["organisations"] * 2
             + n["professionals"] * 5 + n["ties"])
    progress = Progress(total, quiet)
    try:
        with engine.begin() as conn:
            if conn.scalar(select(func.count()).select_from(Professional.__table__)):
                raise SystemExit(f"{url} already holds professionals; give an empty database")
            # Domains (reuse those present).
            existing = dict(conn.execute(select(Domain.slug, Domain.id)).all())
            new = [{"slug": s, "name": name} for s, name in DOMAINS.items() if s not in existing]
            if new:
                conn.execute(Domain.__table__.insert(), new)
            domain_ids = list(dict(conn.execute(select(Domain.slug, Domain.id)).all()).values())
            base = (conn.scalar(select(func.max(Area.id))) or 0) + 1

            # Areas: regio > gemeente > wijk.
            areas, area_id = [], base
            regio_ids = []
            for r in range(n["regios"]):
                areas.append({"id": area_id, "kind": "regio", "name": f"Regio {r + 1:02d}",
                              "parent_id": None, "external_id": f"bench-regio-{r}"})
                regio_ids.append(area_id)
                area_id += 1
            gemeente_ids, gemeente_names = [], []
            for g in range(n["gemeenten"]):
                name = (f"{GEMEENTE_STEMS[g % len(GEMEENTE_STEMS)]}"
                        f"{GEMEENTE_TAILS[(g // len(GEMEENTE_STEMS)) % len(GEMEENTE_TAILS)]}")
                if g >= len(GEMEENTE_STEMS) * len(GEMEENTE_TAILS):
                    name += f" {g}"
                areas.append({"id": area_id, "kind": "gemeente", "name": name,
                              "parent_id": regio_ids[g % len(regio_ids)],
                              "code": f"GM{g:04d}", "external_id": f"bench-gemeente-{g}"})
                gemeente_ids.append(area_id)
                gemeente_names.append(name)
                area_id += 1
            wijken_of: dict[int, list[int]] = {gid: [] for gid in gemeente_ids}
            for w in range(n["wijken"]):
                gi = w % len(gemeente_ids)
                k = len(wijken_of[gemeente_ids[gi]])
                name = f"{gemeente_names[gi]}-{PLACE_PARTS[k % len(PLACE_PARTS)]}"
                if k >= len(PLACE_PARTS):
                    name += f" {k // len(PLACE_PARTS) + 1}"
                areas.append({"id": area_id, "kind": "wijk", "name": name,
                              "parent_id": gemeente_ids[gi], "external_id": f"bench-wijk-{w}"})
                wijken_of[gemeente_ids[gi]].append(area_id)
                area_id += 1
            for kind in ("regio", "gemeente", "wijk"):
                _insert(conn, Area.__table__, [a | {"code": a.get("code")} for a in areas
                                               if a["kind"] == kind], progress, "gebieden")

            # Organisations, one service each serving their gemeente.
            org_base = (conn.scalar(select(func.max(Organisation.id))) or 0) + 1
            orgs, services, s_domains, s_areas, org_gemeente, org_sector = [], [], [], [], [], []
            for o in range(n["organisations"]):
                sector = SECTORS[o % len(SECTORS)]
                gi = rng.randrange(len(gemeente_ids))
                oid = org_base + o
                orgs.append({
                    "id": oid, "external_id": f"bench-org-{o}",
                    "name": f"{ORG_KINDS[sector][0]} {gemeente_names[gi]} {o + 1}",
                    "sector": sector, "description": "", "intake_route": "",
                    "phone": f"+319701{o:07d}", "created_at": now, "updated_at": now,
                })
                org_gemeente.append(gemeente_ids[gi])
                org_sector.append(sector)
                services.append({"id": oid, "organisation_id": oid,
                                 "name": f"{ORG_KINDS[sector][0]} aanbod", "description": "",
                                 "intake_route": "Aanmelden via het sociaal wijkteam"})
                for d in rng.sample(domain_ids, 2):
                    s_domains.append({"service_id": oid, "domain_id": d})
                s_areas.append({"service_id": oid, "area_id": gemeente_ids[gi]})
            _insert(conn, Organisation.__table__, orgs, progress, "organisaties")
            _insert(conn, Service.__table__, services, progress, "aanbod")
            _insert(conn, service_domains, s_domains, progress, "aanbod")
            _insert(conn, service_areas, s_areas, progress, "aanbod")

            # Professionals with wijken and domains.
            prof_base = (conn.scalar(select(func.max(Professional.id))) or 0) + 1
            profs, p_areas, p_domains, prof_gemeente = [], [], [], []
            for p in range(n["professionals"]):
                o = rng.randrange(len(orgs))
                pid = prof_base + p
                first = rng.choice(FIRST_NAMES)
                last = rng.choice(SURNAMES)
                days = rng.randrange(0, 400)
                verified = now - timedelta(days=days)
                caseload_max = rng.choice((0, 8, 12, 16, 20))
                profs.append({
                    "id": pid, "external_id": f"bench-prof-{p}", "name": f"{first} {last}",
                    "role": ORG_KINDS[org_sector[o]][1], "organisation_id": orgs[o]["id"],
                    "mobile": f"+319703{p:07d}", "landline": None,
                    "email": f"p{p}@bench.example", "languages": ["nl"],
                    "caseload": rng.randrange(0, caseload_max + 1) if caseload_max else 0,
                    "caseload_max": caseload_max, "available": True, "active": True,
                    "verified_at": verified, "created_at": verified, "updated_at": verified,
                })
                gemeente = org_gemeente[o]
                prof_gemeente.append(gemeente)
                for w in rng.sample(wijken_of[gemeente], min(len(wijken_of[gemeente]),
                                                              rng.randint(1, 3))):
                    p_areas.append({"professional_id": pid, "area_id": w})
                for d in rng.sample(domain_ids, rng.randint(1, 3)):
                    p_domains.append({"professional_id": pid, "domain_id": d})
            # The search triggers index a professional on every write to them or their links.
            # SQLite: links first (foreign keys checked at commit), so each person is indexed
            # once, complete. PostgreSQL: triggers off while loading (replica role), then the
            # migration's own set-based refresh indexes everyone at once.
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                _insert(conn, professional_areas, p_areas, progress, "professionals: wijken")
                _insert(conn, professional_domains, p_domains, progress, "professionals: domeinen")
                _insert(conn, Professional.__table__, profs, progress, "professionals")
            else:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                _insert(conn, Professional.__table__, profs, progress, "professionals")
                _insert(conn, professional_areas, p_areas, progress, "professionals: wijken")
                _insert(conn, professional_domains, p_domains, progress, "professionals: domeinen")
                conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
                # JIT compiling the typo keys' function costs ~10 ms per person.
                conn.exec_driver_sql("SET LOCAL jit = off")
                conn.execute(text("SELECT search_refresh_people(ARRAY(SELECT id FROM professionals))"))

            # Ties: mostly within a gemeente (people meet locally), some across.
            by_gemeente: dict[int, list[int]] = {}
            for i, g in enumerate(prof_gemeente):
                by_gemeente.setdefault(g, []).append(prof_base + i)
            target = min(n["ties"], n["professionals"] * (n["professionals"] - 1) // 2)
            pairs: set[tuple[int, int]] = set()
            kinds = ("kent", "werkt_samen", "collega")
            attempts = 0
            while len(pairs) < target and attempts < target * 5:
                attempts += 1
                a = prof_base + rng.randrange(n["professionals"])
                if rng.random() < 0.8:
                    local = by_gemeente[prof_gemeente[a - prof_base]]
                    b = local[rng.randrange(len(local))]
                else:
                    b = prof_base + rng.randrange(n["professionals"])
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
            since = date(2026, 1, 1)
            ties = [{"a_id": a, "b_id": b, "kind": kinds[(a + b) % 3], "source": "handmatig",
                     "since": since, "note": ""} for a, b in sorted(pairs)]
            if conn.dialect.name == "postgresql":
                # The data-version trigger fires once per INSERT statement, and executemany
                # sends one statement per row: a million updates of one counter row in one
                # transaction slow down with every row. Off while loading, raised once after.
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                _insert(conn, Tie.__table__, ties, progress, "lijntjes")
                conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
                conn.execute(text("UPDATE data_versions SET version = version + 1"))
            else:
                _insert(conn, Tie.__table__, ties, progress, "lijntjes")
            if conn.dialect.name == "postgresql":
                for table in ("areas", "organisations", "services", "professionals", "ties",
                              "domains"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"))
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("ANALYZE"))
            else:
                conn.execute(text("ANALYZE"))
                conn.execute(text("INSERT INTO search_people(search_people) VALUES ('optimize')"))
    finally:
        progress.close()
        engine.dispose()
    return {
        "regios": n["regios"], "gemeenten": n["gemeenten"], "wijken": n["wijken"],
        "organisations": len(orgs), "services": len(services),
        "professionals": len(profs), "professional_areas": len(p_areas),
        "professional_domains": len(p_domains), "ties": len(ties),
        "seconds": round(time.monotonic() - progress.start, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="database URL (an empty SQLite file or PostgreSQL database)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national scale")
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)
    counts = generate(args.url, scale=args.scale, seed=args.seed)
    for key, value in counts.items():
        print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
