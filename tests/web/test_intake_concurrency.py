"""Finding 9: three coordinators submit intakes at once against real server processes (two
threaded werkzeug servers on one database, production configuration with CSRF), on SQLite and
PostgreSQL: every intake is saved, none answers 500, every case has its own reference."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from netwerk.models import Case, Professional, Role
from tests.conftest import PASSWORD
from tests.web.capacity_race import race, sign_in, start_servers

COORDINATORS = ("Esther Kuipers", "Jolanda Verbruggen", "Mirjam Hoekstra")
INTAKES = 9


@pytest.fixture
def coordinators(seeded, session, make):
    users = []
    for i, name in enumerate(COORDINATORS):
        prof = session.scalar(select(Professional).where(Professional.name == name))
        users.append(make.user(Role.COORDINATOR, professional=prof,
                               email=f"coordinator{i}@race.example"))
    session.commit()
    return users


def _first_value(html: str, field: str) -> str:
    values = re.findall(rf'name="{field}"[^>]*value="([^"]+)"', html) + \
        re.findall(rf'value="([^"]+)"[^>]*name="{field}"', html)
    values = [v for v in values if v not in ("", "0")]
    assert values, f"no choice for {field}"
    return values[0]


def _area_value(html: str) -> str:
    select_html = html.split('name="area_id"', 1)[1].split("</select>", 1)[0]
    values = [v for v in re.findall(r'<option[^>]*value="(\d+)"', select_html) if v != "0"]
    assert values
    return values[0]


def test_three_coordinators_submitting_at_once_all_get_their_intake_saved(
        app, session, database_url, coordinators, tmp_path):
    servers = start_servers(database_url, count=2, log_dir=tmp_path)
    try:
        sessions = [sign_in(servers.bases[i % 2], u.email, PASSWORD)
                    for i, u in enumerate(coordinators)]
        form = sessions[0].get(servers.bases[0] + "/casussen/nieuw").text
        area, need = _area_value(form), _first_value(form, "needs_primary")
        before = session.scalar(select(func.count()).select_from(Case))
        result = race(servers.bases, sessions, "/casussen/nieuw", INTAKES, data_for=lambda i: {
            "area_id": area, "urgency": "regulier", "needs_primary": need,
            "situation": f"Gezin met schulden en spanningen thuis, intake {i}."})
        assert all(s < 500 for s in result.statuses), (result.statuses,
                                                       servers.log_text()[-3000:])
        assert result.statuses == [302] * INTAKES, result.statuses
        session.expire_all()
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert len(cases) == before + INTAKES
        situations = {c.situation for c in cases}
        assert all(f"intake {i}." in " ".join(situations) for i in range(INTAKES))
        references = [c.reference for c in cases]
        assert len(set(references)) == len(references)
        print(f"\n{database_url.split(':')[0]}: {INTAKES} intakes at once → "
              f"{result.statuses.count(302)} saved, {result.seconds:.2f} s")
    finally:
        servers.stop()
    assert "Traceback" not in servers.log_text()
