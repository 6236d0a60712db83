"""The leak test of issue 12: a unique marker in every case-linked free text, and every
principal outside the case fetches every GET route of the URL map (the access matrix's URLs,
plus realistic parameters: the case's wijk, professional level, the case's people), every
export, the JSON search, the API (with their own token) and the vCards: no marker anywhere.
After close + purge, no marker is left in any table of the database.

Changing a template to show a claim note (e.g. dropping the visible_cases condition in
templates/capacity/detail.html) makes this test fail (docs/security.md).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from netwerk.models import (
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    Case,
    CaseBasis,
    PlanAction,
    Tie,
    TieKind,
    TieSource,
)
from netwerk.models.enums import BasisKind
from tests.conftest import PASSWORD
from tests.web.access import PRINCIPALS, build_world, snapshot
from tests.web.test_access_matrix import CASE_PEOPLE, MATRIX

OUTSIDERS = [p for p in PRINCIPALS if p not in CASE_PEOPLE]
MARKERS = {
    "situation": "zqxsituatiemerk",
    "lead_reason": "zqxredenmerk",
    "plan_action": "zqxactiemerk",
    "claim_note": "zqxclaimmerk",
    "tie_note": "zqxlijntjemerk",
    "consent_scope": "zqxtoestemmingmerk",
}


def _plant(session, world) -> None:
    case = session.get(Case, world.ids["case"])
    case.situation = f"{case.situation} {MARKERS['situation']}"
    case.lead_reason = f"Dichtbij en bekend {MARKERS['lead_reason']}"
    session.add(PlanAction(case=case, professional_id=world.ids["paul"],
                           what=f"Huisbezoek plannen {MARKERS['plan_action']}"))
    cap = session.get(Capacity, world.ids["capacity"])
    session.add(CapacityEvent(capacity_id=cap.id, kind=CapacityEventKind.CLAIM, delta=0,
                              available_after=cap.available, maximum_after=cap.maximum,
                              case_id=case.id, user_id=world.users["coordinator"].id,
                              note=f"Opvang gezocht {MARKERS['claim_note']}"))
    a, b = sorted((world.ids["paul"], case.coordinator_id))
    tie = session.scalar(select(Tie).where(Tie.a_id == a, Tie.b_id == b))
    if tie is None:
        tie = Tie(a_id=a, b_id=b, kind=TieKind.WERKT_SAMEN)
        session.add(tie)
    tie.source, tie.case_id, tie.since = TieSource.CASUS, case.id, date(2026, 3, 14)
    tie.note = f"Samen bij de casus {MARKERS['tie_note']}"
    session.add(CaseBasis(case=case, kind=BasisKind.TOESTEMMING, consent_given_on=date.today(),
                          consent_scope=f"Afstemming hulp {MARKERS['consent_scope']}"))
    session.commit()


def _urls(world) -> list[str]:
    ids = world.ids
    case_area = world.case_area
    urls = [row.url.format(**ids) for row in MATRIX.values() if row.get is not None]
    urls += [
        f"/netwerk?gebied={case_area}", f"/netwerk?gebied={case_area}&niveau=professionals",
        f"/netwerk/export.graphml?gebied={case_area}&niveau=professionals",
        f"/netwerk/export.gexf?gebied={case_area}&niveau=professionals",
        f"/netwerk/export.graphml?gebied={case_area}",
        f"/netwerk/ontbrekend.csv?gebied={case_area}", f"/wijken/{case_area}",
        f"/wijken/{case_area}.vcf", f"/wijken/{case_area}/smoelenboek",
        f"/personen/{world.coordinator}", f"/personen/{world.coordinator}.vcf",
        f"/personen.vcf?id={world.coordinator}&id={ids['paul']}",
        "/werksessies/groei?gebied=" + str(case_area),
        f"/casussen/{ids['case']}", "/casussen",
    ]
    for marker in MARKERS.values():
        urls += [f"/zoeken?q={marker}", f"/zoeken?q={marker}&format=json"]
    return urls


API_URLS = ["/api/v1/people", "/api/v1/people/{paul}", "/api/v1/organisations",
            "/api/v1/organisations/{org}", "/api/v1/areas", "/api/v1/areas/{wijk}",
            "/api/v1/capacities", "/api/v1/capacities?per_page=100"]


# The words planted before each marker: a search page echoes the word searched for, never
# the text around it, so a search is checked for the phrase.
PHRASES = {
    "situation": "", "lead_reason": "Dichtbij en bekend ", "plan_action": "Huisbezoek plannen ",
    "claim_note": "Opvang gezocht ", "tie_note": "Samen bij de casus ",
    "consent_scope": "Afstemming hulp ",
}


def _leaks(text: str, echoed: str | None = None) -> list[str]:
    found = []
    for name, marker in MARKERS.items():
        if marker == echoed:
            needle = PHRASES[name] + marker if PHRASES[name] else None
            if needle and needle in text:
                found.append(name)
        elif marker in text:
            found.append(name)
    return found


def _get(client, url, **kw) -> str:
    response = client.get(url, **kw)
    if response.status_code in (301, 302, 303):
        text = ""  # a redirect's body only repeats its target
    else:
        text = response.get_data().decode("utf-8", "replace")
    response.close()
    return text


def _echo(url: str) -> str | None:
    return next((m for m in MARKERS.values() if f"q={m}" in url), None)


@pytest.fixture
def world(app, session, make, seeded):
    world = build_world(session, make)
    _plant(session, world)
    case = session.get(Case, world.ids["case"])
    world.case_area = case.area_id
    world.coordinator = case.coordinator_id
    return world


def test_every_route_is_fetched(app, world):
    """Every GET route of the URL map is among the URLs fetched (through the matrix)."""
    gets = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert gets <= {e for e, row in MATRIX.items() if row.get is not None}


@pytest.mark.parametrize("principal", OUTSIDERS)
def test_no_case_text_reaches_anyone_outside_the_case(app, session, world, principal):
    from netwerk.api.tokens import create_token

    client = app.test_client()
    if principal != "anoniem":
        r = client.post("/login", data={"email": world.users[principal].email,
                                        "password": PASSWORD})
        assert r.status_code == 302
    found = []
    for url in _urls(world):
        found += [f"{url}: {name}" for name in _leaks(_get(client, url), _echo(url))]
    if principal != "anoniem":
        token = create_token(session, world.users[principal], "lektest")
        session.commit()
        for url in API_URLS:
            text = _get(client, url.format(**world.ids),
                        headers={"Authorization": f"Bearer {token}"})
            found += [f"{url}: {name}" for name in _leaks(text)]
    assert not found, f"case text shown to {principal}:\n  " + "\n  ".join(found)


def test_the_cases_people_do_see_it_so_the_test_can_fail(app, world):
    """The positive control: the same fetches as the coordinator find the markers."""
    client = app.test_client()
    client.post("/login", data={"email": world.users["coordinator"].email, "password": PASSWORD})
    seen = set()
    for url in _urls(world):
        seen |= set(_leaks(_get(client, url), _echo(url)))
    # (the lead reason shows once a lead is decided; the seed case has none)
    assert {"situation", "plan_action", "claim_note"} <= seen


def test_after_close_and_purge_no_marker_is_left_in_the_database(app, session, world, runner):
    client = app.test_client()
    client.post("/login", data={"email": world.users["coordinator"].email, "password": PASSWORD})
    assert client.post(f"/casussen/{world.ids['case']}/sluiten").status_code == 302
    # Every principal looked once more (the audit log records views and refusals).
    app.config["CASE_RETENTION_DAYS"] = 0
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 gesloten casus verwijderd" in result.output
    left = []
    for table, rows in snapshot(session, skip=()).items():
        for row in rows:
            left += [f"{table}: {name}" for name in _leaks(repr(row))]
    assert not left, "left after the purge:\n  " + "\n  ".join(left)
