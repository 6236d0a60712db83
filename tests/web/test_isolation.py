"""The suite's own isolation (tests/conftest.py): a test that uses ``seeded`` starts from a
copy of ONE seed load per session, so the copy must be the demo network exactly, and whatever
a test writes must be gone for the next one."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import MetaData, create_engine, func, select
from sqlalchemy.orm import Session

from netwerk.models import Organisation, Sector
from tests import conftest


def _value(table: str, value):
    if isinstance(value, datetime | date):
        return None
    if table.startswith("search_") and isinstance(value, str):
        # A search document is a bag of words; PostgreSQL's trigger aggregates a person's
        # wijken in no fixed order, so two loads may word it in another order.
        return sorted(value.split())
    return value


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (the search tables too), timestamps left out: two loads of
    the seed differ only in when they ran."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(_value(table.name, v) for v in row)
                    for row in conn.execute(select(table).order_by(*table.primary_key.columns
                                                                    or table.columns))
                ]
                for table in meta.sorted_tables if table.name != "alembic_version"
            }
    finally:
        engine.dispose()


def _next_id(url: str) -> int:
    """The id the next organisation gets (so the id sequences were restored too); the probe
    row is rolled back."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            probe = Organisation(name="Probe", sector=Sector.ZORG)
            session.add(probe)
            session.flush()
            new_id = probe.id
            session.rollback()
            return new_id
    finally:
        engine.dispose()


def test_seeded_copy_is_a_fresh_seed_load(request, database_url, seeded, tmp_path):
    """The restored demo network equals one loaded into an empty database just now: every
    table (the search tables too) and the next id."""
    copied = _rows(database_url)
    copied_next = _next_id(database_url)
    if database_url.startswith("sqlite"):
        fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        conftest.upgrade(fresh_url)
    else:  # the same database, emptied and loaded again
        fresh_url = database_url
        request.getfixturevalue("postgres_database").reset()
    report = conftest._load_seed_into(fresh_url)
    assert report.created == seeded.created
    fresh = _rows(fresh_url)
    assert sorted(copied) == sorted(fresh)
    for name in copied:
        assert copied[name] == fresh[name], f"table {name} differs from a fresh seed load"
    assert copied_next == _next_id(fresh_url)


# Two tests that run in this order in one process: the first writes into the seeded demo
# network and into an empty database, the second must see neither. (Under pytest-xdist they
# may run on different workers; then the check inside the first test still holds.)
WRITTEN = "Organisatie die de volgende test niet mag zien"


@pytest.mark.parametrize("step", ["write", "check"])
def test_writes_do_not_reach_the_next_test(request, session, seeded, step):
    names = set(session.scalars(select(Organisation.name)))
    assert WRITTEN not in names
    if step == "write":
        session.add(Organisation(name=WRITTEN, sector=Sector.ZORG))
        session.commit()
        assert WRITTEN in set(session.scalars(select(Organisation.name)))
        # The reset the next test gets, run now: the row is gone, the ids start over.
        url = request.getfixturevalue("database_url")
        if url.startswith("postgresql"):
            session.close()
            request.getfixturevalue("postgres_seeded").reset_seeded()
            assert WRITTEN not in set(session.scalars(select(Organisation.name)))


@pytest.mark.parametrize("step", ["write", "check"])
def test_writes_do_not_reach_the_next_test_without_seed(session, make, step):
    assert session.scalar(select(func.count(Organisation.id))) == 0
    if step == "write":
        make.organisation(name=WRITTEN)
        session.commit()
