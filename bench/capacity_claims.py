"""Race many simultaneous claims against real server processes and print the figures.

    python bench/capacity_claims.py [--claims 200] [--free 50] [--servers 2]
                                    [--postgres postgresql+psycopg://postgres@127.0.0.1/db]

Run from the repository root. SQLite always (a temporary file); PostgreSQL when --postgres is
given (that database's public schema is DROPPED and recreated). Prints, per engine: claims
fired, successes, "net vergeven" answers, other answers, wall time and claims per second, and
checks that the final count is 0 and that there is one event per success.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from netwerk.migrate import upgrade  # noqa: E402
from netwerk.models import (  # noqa: E402
    Area,
    AreaKind,
    Capacity,
    CapacityEvent,
    CapacityType,
    CapacityUnit,
    Organisation,
    Professional,
    Role,
    Sector,
    Service,
    User,
)
from tests.web.capacity_race import race, sign_in, start_servers  # noqa: E402

PASSWORD = "bench-password-123"
USERS = 5


def prepare(url: str, free: int, provider_staff: str | None = None) -> int:
    """Migrate, add one organisation with a capacity of ``free`` of ``free`` and ``USERS``
    claimants (``bench{i}@netwerk.example``). With ``provider_staff``, that e-mail is the
    provider's one staff account and the claimants work for another organisation, so the only
    account told of a new hold is the provider's (bench/holds.py)."""
    upgrade(url)
    engine = create_engine(url)
    with Session(engine) as s:
        regio = Area(kind=AreaKind.REGIO, name="Benchregio")
        org = Organisation(name="Bench Opvang", sector=Sector.ZORG, phone="0301234567")
        ctype = CapacityType(slug="noodplek", name="Noodplek", unit=CapacityUnit.BED,
                             stale_after_hours=24)
        cap = Capacity(service=Service(organisation=org, name="Noodbedden"), area=regio,
                       capacity_type=ctype, available=free, maximum=free)
        s.add(cap)
        claimants_org = org
        if provider_staff:
            claimants_org = Organisation(name="Bench Wijkteam", sector=Sector.WELZIJN,
                                         phone="0301234568")
            staff = User(email=provider_staff, role=Role.MEDEWERKER,
                         professional=Professional(name="Bench Aanbieder", organisation=org,
                                                   mobile="+31610000099"))
            staff.set_password(PASSWORD)
            s.add(staff)
        for i in range(USERS):
            user = User(email=f"bench{i}@netwerk.example", role=Role.MEDEWERKER,
                        professional=Professional(name=f"Bench {i}", organisation=claimants_org,
                                                  mobile=f"+3161000000{i}"))
            user.set_password(PASSWORD)
            s.add(user)
        s.commit()
        cap_id = cap.id
    engine.dispose()
    return cap_id


def run(label: str, url: str, claims: int, free: int, servers: int, log_dir: Path) -> bool:
    cap_id = prepare(url, free)
    procs = start_servers(url, count=servers, log_dir=log_dir)
    try:
        sessions = [sign_in(procs.bases[i % servers], f"bench{i}@netwerk.example", PASSWORD)
                    for i in range(USERS)]
        result = race(procs.bases, sessions, f"/plek/{cap_id}/claimen", claims)
    finally:
        procs.stop()
    engine = create_engine(url)
    with Session(engine) as s:
        final = s.get(Capacity, cap_id).available
        events = s.scalar(select(func.count()).select_from(CapacityEvent)
                          .where(CapacityEvent.capacity_id == cap_id))
    engine.dispose()
    refused = sum(1 for st, body in zip(result.statuses, result.bodies, strict=True)
                  if st == 409 and "Net vergeven" in body)
    other = claims - result.successes - refused
    ok = result.successes == free and final == 0 and events == free and other == 0
    print(f"{label:10} servers={servers} claims={claims} free={free} "
          f"successes={result.successes} net_vergeven={refused} other={other} "
          f"final_available={final} events={events} "
          f"time={result.seconds:.2f}s ({claims / result.seconds:.0f} claims/s) "
          f"{'OK' if ok else 'FAILED'}")
    if "database is locked" in procs.log_text():
        print(f"{label:10} 'database is locked' in the server log")
        ok = False
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--free", type=int, default=50)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ok &= run("sqlite", f"sqlite:///{tmp_path / 'bench.sqlite3'}", args.claims, args.free,
                  args.servers, tmp_path)
        if args.postgres:
            engine = create_engine(args.postgres)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            ok &= run("postgresql", args.postgres, args.claims, args.free, args.servers,
                      tmp_path)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
