"""Holds: a claim holds a place until the provider confirms or declines, or it expires
(netwerk/capacity/holds.py). On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from netwerk.capacity import holds
from netwerk.capacity import operations as ops
from netwerk.db import utcnow
from netwerk.models import (
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    CapacityHold,
    CapacityType,
    HoldStatus,
    Notification,
)
from tests.web.capacity_data import build_world


@pytest.fixture
def world(make, session):
    return build_world(make, session)


def _hold(session, capacity_id) -> CapacityHold:
    session.expire_all()
    return session.scalars(select(CapacityHold).where(CapacityHold.capacity_id == capacity_id)
                           .order_by(CapacityHold.id.desc())).first()


def _free(session, capacity) -> int:
    session.expire_all()
    return session.get(Capacity, capacity.id).available


def _inbox(session, user) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def test_a_claim_is_a_hold_with_the_types_expiry(world, auth, client, session, app):
    auth.login(world.outsider)
    before = utcnow()
    assert client.post(f"/plek/{world.c_wijk.id}/claimen", data={}).status_code == 303
    hold = _hold(session, world.c_wijk.id)
    assert hold.status == HoldStatus.OPEN and hold.user_id == world.outsider.id
    hours = app.config["HOLD_HOURS"]
    assert timedelta(hours=hours) <= hold.expires_at - before < timedelta(hours=hours, minutes=1)
    # Per type: a noodplek held 2 hours.
    ctype = session.get(CapacityType, session.get(Capacity, world.c_gem.id).capacity_type_id)
    ctype.hold_hours = 2
    session.commit()
    assert client.post(f"/plek/{world.c_gem.id}/claimen", data={}).status_code == 303
    hold = _hold(session, world.c_gem.id)
    assert timedelta(hours=2) <= hold.expires_at - before < timedelta(hours=2, minutes=1)
    page = client.get(f"/plek/{world.c_gem.id}").text
    assert "Je reservering" in page and "Intrekken" in page
    assert "Bevestigen" not in page  # not the provider


def test_a_claim_does_not_make_a_stale_count_fresh(world, auth, client, session):
    """Two days old and "verouderd": a claim changes the number, not the trust in it."""
    stale = session.get(Capacity, world.c_stale.id)
    counted_at, counted_by = stale.updated_at, stale.updated_by_id
    auth.login(world.outsider)
    r = client.post(f"/plek/{world.c_stale.id}/claimen", data={"amount": "2"})
    assert r.status_code == 303
    session.expire_all()
    stale = session.get(Capacity, world.c_stale.id)
    assert stale.available == 3
    assert stale.updated_at == counted_at and stale.updated_by_id == counted_by
    page = client.get(f"/plek/{world.c_stale.id}").text
    assert "verouderd" in page and "bijgewerkt vandaag" not in page
    # Only the provider's count clears it.
    auth.logout()
    auth.login(world.staff_c)
    r = client.post(f"/plek/{world.c_stale.id}/telling",
                    data={"available": "3", "maximum": "10", "version": str(stale.version)})
    assert r.status_code == 303
    page = client.get(f"/plek/{world.c_stale.id}").text
    assert "verouderd" not in page.split("Geschiedenis")[0]


def test_the_provider_sees_open_holds_and_confirms(world, auth, client, session):
    auth.login(world.outsider)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})
    hold = _hold(session, world.c_wijk.id)
    auth.logout()
    # The provider's staff were told, in the app.
    assert [n.kind for n in _inbox(session, world.staff_a)] == ["hold_new"]
    auth.login(world.staff_a)
    page = client.get(f"/plek/{world.c_wijk.id}").text
    assert f'data-hold-id="{hold.id}"' in page and "Olga Buiten" in page
    r = client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/bevestigen", data={})
    assert r.status_code == 303
    assert _hold(session, world.c_wijk.id).status == HoldStatus.CONFIRMED
    assert _free(session, world.c_wijk) == 0  # taken
    # Answering twice changes nothing: 409 with a Dutch sentence.
    r = client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/afwijzen",
                    data={"reason": "toch vol"})
    assert r.status_code == 409 and "niet meer open" in r.text
    assert _free(session, world.c_wijk) == 0
    assert [n.kind for n in _inbox(session, world.outsider)] == ["hold_confirmed"]


def test_decline_needs_a_reason_and_frees_the_place(world, auth, client, session):
    auth.login(world.outsider)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})
    hold = _hold(session, world.c_wijk.id)
    auth.logout()
    auth.login(world.staff_a)
    url = f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/afwijzen"
    r = client.post(url, data={"reason": "  "})
    assert r.status_code == 400 and "Reden: geef een reden" in r.text
    assert _hold(session, world.c_wijk.id).status == HoldStatus.OPEN
    r = client.post(url, data={"reason": "Bel 06-12345678 voor mevrouw"})
    assert r.status_code == 400 and "geen gegevens van een cliënt" in r.text
    r = client.post(url, data={"reason": "Bed valt vannacht uit (lekkage)"})
    assert r.status_code == 303
    hold = _hold(session, world.c_wijk.id)
    assert hold.status == HoldStatus.DECLINED and hold.reason.startswith("Bed valt")
    assert _free(session, world.c_wijk) == 1
    assert [n.kind for n in _inbox(session, world.outsider)] == ["hold_declined"]


def test_outsiders_cannot_answer_and_disguised_ids_are_404(world, auth, client, session):
    auth.login(world.outsider)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})
    hold = _hold(session, world.c_wijk.id)
    # The claimant may not confirm their own hold.
    r = client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/bevestigen", data={})
    assert r.status_code == 403
    auth.logout()
    auth.login(world.staff_c)  # another organisation's staff
    for action in ("bevestigen", "afwijzen", "intrekken"):
        r = client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/{action}",
                        data={"reason": "x"})
        assert r.status_code == 403, action
    # A hold under another capacity's id: 404, nothing changes.
    r = client.post(f"/plek/{world.c_gem.id}/reserveringen/{hold.id}/bevestigen", data={})
    assert r.status_code == 404
    assert _hold(session, world.c_wijk.id).status == HoldStatus.OPEN
    assert f'data-hold-id="{hold.id}"' not in client.get(f"/plek/{world.c_wijk.id}").text


def test_the_claimant_withdraws(world, auth, client, session):
    auth.login(world.outsider)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})
    hold = _hold(session, world.c_wijk.id)
    r = client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/intrekken", data={})
    assert r.status_code == 303
    assert _hold(session, world.c_wijk.id).status == HoldStatus.WITHDRAWN
    assert _free(session, world.c_wijk) == 1


def test_an_expired_hold_frees_the_place_once(world, session, app):
    with app.app_context():
        from netwerk.db import db

        ops.claim(db.session, world.c_gem.id, world.outsider.id)
        ops.claim(db.session, world.c_gem.id, world.staff_a.id)
        db.session.commit()
        assert holds.expire_due(db.session, utcnow()) == 0  # not due yet
        later = utcnow() + timedelta(hours=5)
        assert holds.expire_due(db.session, later) == 2
        db.session.commit()
        assert holds.expire_due(db.session, later) == 0
        db.session.commit()
    assert _free(session, world.c_gem) == 3
    kinds = session.scalars(select(CapacityEvent.kind).where(
        CapacityEvent.capacity_id == world.c_gem.id).order_by(CapacityEvent.id)).all()
    assert kinds.count(CapacityEventKind.EXPIRE) == 2
    assert [n.kind for n in _inbox(session, world.outsider)] == ["hold_expired"]


def test_several_workers_expire_each_hold_exactly_once(world, session, app, database_url):
    """Eight workers (threads with their own connections) expire the same 3 due holds."""
    with app.app_context():
        from netwerk.db import db

        for _ in range(3):
            ops.claim(db.session, world.c_gem.id, world.outsider.id)
        db.session.commit()
    later = utcnow() + timedelta(hours=5)
    engine = create_engine(database_url, connect_args={"timeout": 30}
                           if database_url.startswith("sqlite") else {})
    barrier = threading.Barrier(8)
    counts, errors = [], []

    def worker():
        with app.app_context(), Session(engine) as s:
            barrier.wait()
            try:
                counts.append(holds.expire_due(s, later))
                s.commit()
            except Exception as exc:  # pragma: no cover - reported below
                s.rollback()
                errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert not errors, errors
    assert sum(counts) == 3
    assert _free(session, world.c_gem) == 3
    assert session.scalar(select(func.count()).select_from(CapacityEvent).where(
        CapacityEvent.capacity_id == world.c_gem.id,
        CapacityEvent.kind == CapacityEventKind.EXPIRE)) == 3
    assert len(_inbox(session, world.outsider)) == 3  # one per hold, not one per worker


def test_a_recount_during_a_hold_is_not_overridden_by_its_expiry(world, session, app):
    with app.app_context():
        from netwerk.db import db

        ops.claim(db.session, world.c_wijk.id, world.outsider.id)
        db.session.commit()
        cap = db.session.get(Capacity, world.c_wijk.id)
        ops.set_counts(db.session, cap.id, world.staff_a.id, 2, 2, cap.version)
        db.session.commit()
        assert holds.expire_due(db.session, utcnow() + timedelta(hours=5)) == 1
        db.session.commit()
    assert _free(session, world.c_wijk) == 2  # never above the total


def test_a_hold_for_a_case_shows_its_note_only_to_the_case(world, auth, client, session):
    auth.login(world.coordinator)
    r = client.post(f"/plek/{world.c_wijk.id}/claimen",
                    data={"case_reference": "TST-2026-0001", "note": "na ontruiming vannacht"})
    assert r.status_code == 303
    auth.logout()
    auth.login(world.staff_a)  # the provider, not in the case
    page = client.get(f"/plek/{world.c_wijk.id}").text
    assert "voor een casus" in page
    assert "na ontruiming" not in page and "TST-2026-0001" not in page
    auth.logout()
    auth.login(world.coordinator)
    page = client.get(f"/plek/{world.c_wijk.id}").text
    assert "na ontruiming vannacht" in page and "TST-2026-0001" in page


def test_laat_me_weten_when_a_place_frees_up(world, auth, client, session):
    auth.login(world.staff_c)
    r = client.post("/plek/abonnement", data={"soort": "noodplek", "gemeente": str(world.g.id)})
    assert r.status_code == 303
    r = client.post("/plek/abonnement", data={"soort": "bestaat-niet",
                                              "gemeente": str(world.g.id)})
    assert r.status_code == 303
    assert "Soort plek: kies een soort" in client.get("/plek").text
    auth.logout()
    auth.login(world.outsider)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})  # the last place of Oeverwijk
    hold = _hold(session, world.c_wijk.id)
    assert _inbox(session, world.staff_c) == []
    client.post(f"/plek/{world.c_wijk.id}/reserveringen/{hold.id}/intrekken", data={})
    inbox = _inbox(session, world.staff_c)
    assert [n.kind for n in inbox] == ["place_free"] and inbox[0].link == f"/plek/{world.c_wijk.id}"
    # Another gemeente's place freeing up tells nobody here.
    client.post(f"/plek/{world.c_other.id}/claimen", data={})
    hold = _hold(session, world.c_other.id)
    client.post(f"/plek/{world.c_other.id}/reserveringen/{hold.id}/intrekken", data={})
    assert len(_inbox(session, world.staff_c)) == 1
