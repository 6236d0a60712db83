"""free_capacity: what is free for this wijk, of this type, now — nearest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from netwerk.capacity.queries import FreeCapacity, UnknownCapacityType, free_capacity
from tests.web.capacity_data import build_world


@pytest.fixture
def world(make, session):
    return build_world(make, session)


def ids(rows):
    return [r.capacity_id for r in rows]


def test_nearest_first_wijk_then_gemeente_then_regio(session, world):
    rows = free_capacity(session, world.w.id)
    # In the wijk: the trusted count before the stale one; then the gemeente, then the regio.
    # Full counts and other gemeenten are left out.
    assert ids(rows) == [world.c_wijk.id, world.c_stale.id, world.c_gem.id, world.c_reg.id]
    assert [r.area_level for r in rows] == ["wijk", "wijk", "gemeente", "regio"]
    assert all(isinstance(r, FreeCapacity) for r in rows)


def test_type_filter_and_full_counts(session, world):
    rows = free_capacity(session, world.w.id, "noodplek")
    assert ids(rows) == [world.c_wijk.id, world.c_gem.id, world.c_reg.id]
    full = free_capacity(session, world.w.id, "thuisbegeleiding", include_full=True)
    assert ids(full) == [world.c_stale.id, world.c_full.id]
    assert full[1].available == 0 and full[1].maximum == 10


def test_from_a_gemeente_the_gemeente_then_the_regio(session, world):
    assert ids(free_capacity(session, world.g.id, "noodplek")) == [world.c_gem.id, world.c_reg.id]
    # Another wijk of the same gemeente does not see Oeverwijk's own count.
    assert world.c_wijk.id not in ids(free_capacity(session, world.w2.id))


def test_stale_after_the_types_hours(session, world):
    rows = {r.capacity_id: r for r in free_capacity(session, world.w.id)}
    assert rows[world.c_stale.id].stale is True
    assert rows[world.c_wijk.id].stale is False
    earlier = world.c_stale.updated_at + timedelta(hours=167)
    rows = {r.capacity_id: r for r in free_capacity(session, world.w.id, now=earlier)}
    assert rows[world.c_stale.id].stale is False


def test_number_to_call(session, world):
    rows = {r.capacity_id: r for r in free_capacity(session, world.w.id)}
    assert rows[world.c_wijk.id].phone == "+31302222222"  # a bed: the crisis line
    assert rows[world.c_gem.id].phone == "+31303333333"  # no crisis line: the general number
    assert rows[world.c_stale.id].phone == "+31612000003"  # no number: whoever updated it
    assert rows[world.c_stale.id].updated_by_name == "Cor Begeleiding"
    assert rows[world.c_wijk.id].organisation_name == "Opvang A"
    assert rows[world.c_wijk.id].unit == "bed"


def test_unknown_type_is_refused_in_dutch(session, world):
    with pytest.raises(UnknownCapacityType, match="Onbekende soort plek 'noodbed'"):
        free_capacity(session, world.w.id, "noodbed")


@pytest.mark.parametrize("assignment", ["available = -1", "available = maximum + 1",
                                        "maximum = -1"])
def test_the_database_refuses_impossible_counts(session, world, assignment):
    with pytest.raises(IntegrityError):
        session.execute(text(f"UPDATE capacities SET {assignment} WHERE id = :id"),
                        {"id": world.c_gem.id})
        session.flush()
    session.rollback()
