"""The Lekstroom demo network loads, is idempotent, and a broken file changes nothing."""

import shutil

import pytest
from sqlalchemy import func, select

from netwerk.db import Base
from netwerk.models import (
    Area,
    Attendance,
    Case,
    EligibilityRule,
    Organisation,
    Professional,
    RuleKind,
    Tie,
    WorkSession,
)
from netwerk.seed import SeedError, load_seed
from tests.conftest import ROOT

SEED = ROOT / "seed_data"


def _snapshot(session) -> dict[str, list[tuple]]:
    """Every row of every table, for comparing a database before and after. ``data_versions``
    is left out: the map's freshness counter moves on every write statement (it only tells the
    graph cache to look again), also on a statement that changes no value."""
    snapshot = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "data_versions":
            continue
        rows = session.execute(select(table)).all()
        snapshot[table.name] = sorted(map(tuple, rows), key=repr)
    return snapshot


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_seed_holds_the_lekstroom_network(seeded, session):
    gemeenten = set(session.scalars(select(Area.name).where(Area.kind == "gemeente")))
    assert gemeenten == {"Houten", "IJsselstein", "Lopik", "Nieuwegein", "Vianen"}
    names = set(session.scalars(select(Organisation.name)))
    for expected in ("Lister", "Abrona", "Portaal", "Jutphaas Wonen", "Mitros", "Geynwijs",
                     "Altrecht"):
        assert any(expected in n for n in names), expected
    assert count(session, Professional) >= 80
    assert count(session, Case) == 3


def test_maatschappelijk_werk_requires_a_fixed_address(seeded, session):
    rules = session.scalars(
        select(EligibilityRule).where(EligibilityRule.kind == RuleKind.REQUIRES_FIXED_ADDRESS)
    ).all()
    assert any("aatschappelijk werk" in r.service.name or "aatschappelijk werk" in
               r.service.organisation.name for r in rules)


def test_seed_numbers_cannot_reach_a_person(seeded, session):
    """All seeded numbers lie in the 097 machine-to-machine range (seed_data/README.md)."""
    numbers = [n for row in session.execute(select(Professional.mobile, Professional.landline))
               for n in row if n]
    numbers += [n for row in session.execute(select(Organisation.phone,
                                                    Organisation.crisis_phone)) for n in row if n]
    assert len(numbers) > 80
    assert all(n.startswith("+31970") for n in numbers)


def test_work_sessions_grow_the_table(seeded, session):
    sessions = session.scalars(select(WorkSession).order_by(WorkSession.date)).all()
    assert len(sessions) == 3
    orgs_per_session = []
    for ws in sessions:
        orgs = session.scalars(
            select(Professional.organisation_id).join(Attendance,
                                                      Attendance.professional_id == Professional.id)
            .where(Attendance.work_session_id == ws.id).distinct()
        ).all()
        orgs_per_session.append(len(orgs))
    assert orgs_per_session[0] == 4
    assert orgs_per_session == sorted(orgs_per_session) and orgs_per_session[-1] >= 11
    assert count(session, Tie) > 150


def test_seed_reports_like_an_import(seeded, session):
    report = load_seed(session, SEED)
    session.rollback()
    assert report.ok and report.applied
    lines = report.summary()
    assert any(line.startswith("professionals: ") and "0 nieuw" in line for line in lines)
    assert any(line.startswith("werksessies: 3 rijen") for line in lines)


def test_seeding_twice_changes_nothing(seeded, session):
    before = _snapshot(session)
    report = load_seed(session, SEED)
    session.commit()
    assert report.total_created == 0
    assert _snapshot(session) == before


@pytest.mark.parametrize(
    ("filename", "mutate", "reason"),
    [
        ("professionals.csv", lambda t: t.replace("+31 970 2000 0107", "06-123", 1),
         "mobiel: '06-123' is geen geldig telefoonnummer"),
        ("services.csv", lambda t: t.replace(",lister,", ",onbekend,", 1),
         "onbekende sleutel 'onbekend'"),
        ("areas.csv", lambda t: t.replace(",wijk,", ",buurtje,", 1), "is niet een van"),
        # A check of the import itself (unique numbers), not of the database: the seed is
        # loaded by the importer.
        ("professionals.csv", lambda t: t.replace("0031970 20000114", "+31 970 2000 0107", 1),
         "mobiel: '+3197020000107' staat ook op rij 2"),
    ],
)
def test_broken_seed_names_file_and_line_and_changes_nothing(
    session, tmp_path, filename, mutate, reason
):
    broken = tmp_path / "seed"
    shutil.copytree(SEED, broken)
    original = (broken / filename).read_text(encoding="utf-8")
    changed = mutate(original)
    assert changed != original
    (broken / filename).write_text(changed, encoding="utf-8")
    bad_line = next(i for i, (a, b) in enumerate(
        zip(original.splitlines(), changed.splitlines(), strict=True), start=1) if a != b)

    before = _snapshot(session)
    with pytest.raises(SeedError) as info:
        load_seed(session, broken)
    session.rollback()
    assert info.value.path.endswith(filename)
    assert info.value.line == bad_line
    assert reason in str(info.value)
    assert _snapshot(session) == before
