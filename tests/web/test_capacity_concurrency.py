"""No overbooking: many simultaneous claims against real server processes, on each engine.

Two werkzeug servers (threaded, separate processes, production config with CSRF) share one
database: a file SQLite database or PostgreSQL. 50+ claims are released at once by a barrier.
Exactly ``available`` succeed, each one an open hold; the others are told "net vergeven";
nothing errors. Then the holds: the provider's confirm and decline of one hold fired at once
let exactly one through, and the remaining holds, once due, are expired by both servers' own
schedulers at once (each ticking every second) — each exactly once, the places back exactly.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from netwerk.db import utcnow
from netwerk.models import (
    AreaKind,
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    CapacityHold,
    CapacityType,
    CapacityUnit,
    HoldStatus,
    Role,
    Service,
)
from tests.conftest import PASSWORD
from tests.web.capacity_race import race, sign_in, start_servers

CLAIMS = 60


@pytest.fixture
def race_data(make, session):
    gemeente = make.area(kind=AreaKind.GEMEENTE)
    org = make.organisation(name="Opvang Race", phone="0301234567")
    service = Service(organisation=org, name="Noodopvang")
    ctype = CapacityType(slug="noodplek", name="Noodplek", unit=CapacityUnit.BED,
                         stale_after_hours=24)
    last_place = Capacity(service=service, area=gemeente, capacity_type=ctype,
                          available=1, maximum=4)
    five = Capacity(service=Service(organisation=org, name="Crisisbedden"), area=gemeente,
                    capacity_type=ctype, available=5, maximum=8)
    session.add_all([service, ctype, last_place, five])
    staff = make.user(Role.MEDEWERKER, professional=make.professional(organisation=org))
    others = [make.user(Role.MEDEWERKER, professional=make.professional()) for _ in range(4)]
    session.commit()
    return {"last": last_place.id, "five": five.id, "users": [staff, *others]}


def _events(session, capacity_id):
    session.expire_all()
    return session.scalars(
        select(CapacityEvent).where(CapacityEvent.capacity_id == capacity_id)
    ).all()


def _holds(session, capacity_id):
    session.expire_all()
    return session.scalars(select(CapacityHold).where(CapacityHold.capacity_id == capacity_id)
                           .order_by(CapacityHold.id)).all()


def test_concurrent_claims_never_overbook(app, session, database_url, race_data, tmp_path):
    servers = start_servers(database_url, count=2, log_dir=tmp_path,
                            extra_env={"NETWERK_JOB_TICK_SECONDS": "1"})
    try:
        sessions = [sign_in(servers.bases[i % 2], u.email, PASSWORD)
                    for i, u in enumerate(race_data["users"])]
        figures = []
        for key, available in (("last", 1), ("five", 5)):
            cap_id = race_data[key]
            result = race(servers.bases, sessions, f"/plek/{cap_id}/claimen", CLAIMS)
            assert sorted(set(result.statuses)) == [303, 409], (
                result.statuses, servers.log_text()[-3000:])
            assert result.successes == available
            refused = [b for s, b in zip(result.statuses, result.bodies, strict=True) if s == 409]
            assert len(refused) == CLAIMS - available
            assert all("Net vergeven" in body for body in refused)

            session.expire_all()
            capacity = session.get(Capacity, cap_id)
            assert capacity.available == 0
            assert capacity.version == 1 + available
            events = _events(session, cap_id)
            assert len(events) == available
            assert all(e.kind == CapacityEventKind.CLAIM and e.delta == -1 for e in events)
            assert sorted(e.available_after for e in events) == list(range(available))
            held = _holds(session, cap_id)
            assert len(held) == available and {h.status for h in held} == {HoldStatus.OPEN}
            figures.append(f"{database_url.split(':')[0]}: {CLAIMS} claims on {available} free "
                           f"→ {result.successes} ok, {CLAIMS - result.successes} net vergeven, "
                           f"{result.seconds:.2f} s")

        # The same form submitted at once by many: the version lets exactly one through.
        cap_id = race_data["five"]
        version = session.get(Capacity, cap_id).version
        staff_session = sessions[0]
        result = race(servers.bases, [staff_session], f"/plek/{cap_id}/telling", 20,
                      data_for=lambda i: {"available": str(i % 8), "maximum": "8",
                                          "version": str(version)})
        assert result.successes == 1, result.statuses
        assert sorted(set(result.statuses)) == [303, 409]
        session.expire_all()
        assert session.get(Capacity, cap_id).version == version + 1
        assert session.scalar(
            select(func.count()).select_from(CapacityEvent)
            .where(CapacityEvent.capacity_id == cap_id, CapacityEvent.kind == CapacityEventKind.SET)
        ) == 1

        # The provider confirms one hold of "five" twenty times at once (two tabs, two
        # servers): exactly one answer counts, the others are told it is no longer open.
        five = race_data["five"]
        first = _holds(session, five)[0]
        base = f"/plek/{five}/reserveringen/{first.id}/"
        result = race(servers.bases, [staff_session], base + "bevestigen", 20)
        assert result.successes == 1, result.statuses
        assert sorted(set(result.statuses)) == [303, 409]
        assert _holds(session, five)[0].status == HoldStatus.CONFIRMED

        # The other holds fall due; both servers' schedulers expire them at the same time.
        session.execute(update(CapacityHold).where(CapacityHold.status == HoldStatus.OPEN)
                        .values(expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()
        open_before = {cid: sum(1 for h in _holds(session, cid) if h.status == HoldStatus.OPEN)
                       for cid in (race_data["last"], five)}
        available_before = {cid: session.get(Capacity, cid).available for cid in open_before}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(h.status != HoldStatus.OPEN for cid in open_before
                   for h in _holds(session, cid)):
                break
            time.sleep(0.3)
        for cid, n in open_before.items():
            statuses = [h.status for h in _holds(session, cid)]
            assert HoldStatus.OPEN not in statuses
            assert statuses.count(HoldStatus.EXPIRED) == n
            capacity = session.get(Capacity, cid)  # each place back once, never above the total
            assert capacity.available == min(capacity.maximum, available_before[cid] + n)
            assert session.scalar(select(func.count()).select_from(CapacityEvent).where(
                CapacityEvent.capacity_id == cid,
                CapacityEvent.kind == CapacityEventKind.EXPIRE)) == n
        figures.append(f"{database_url.split(':')[0]}: {sum(open_before.values())} due holds "
                       "expired once by 2 ticking servers")
        print("\n" + "\n".join(figures))
    finally:
        servers.stop()
    assert "database is locked" not in servers.log_text()
    assert "Traceback" not in servers.log_text()
