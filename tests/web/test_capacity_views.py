"""The capacity pages: /plek, one count's page, claim/release/update, bad input, history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from netwerk.models import AuditEntry, Capacity, CapacityEvent, CapacityEventKind
from tests.web.capacity_data import build_world


@pytest.fixture
def world(make, session):
    return build_world(make, session)


def counts(session, capacity):
    session.expire_all()
    c = session.get(Capacity, capacity.id)
    return c.available, c.maximum, c.version


def n_events(session, capacity):
    return session.scalar(select(func.count()).select_from(CapacityEvent)
                          .where(CapacityEvent.capacity_id == capacity.id))


def test_overview_defaults_to_my_wijk_nearest_first(world, auth, client):
    auth.login(world.outsider)  # works in Oeverwijk
    html = client.get("/plek").text
    assert "Dichtstbij eerst:" in html and "wijk Oeverwijk" in html
    order = [int(x) for x in re.findall(r'data-capacity="(\d+)"', html)]
    # Per type (noodplek first), each nearest first; a full count is shown too.
    assert order == [world.c_wijk.id, world.c_gem.id, world.c_reg.id,
                     world.c_stale.id, world.c_full.id]
    assert world.c_other.id not in order
    assert 'href="tel:+31302222222"' in html  # Opvang A's crisis line for a bed
    assert "door Ada Opvang" in html
    stale_row = html.split(f'data-capacity="{world.c_stale.id}"')[0].rsplit("<li", 1)[1]
    assert "cap-stale" in stale_row
    assert html.count("verouderd</span>") == 1


def test_overview_choose_wijk_and_type_and_bad_choices(world, auth, client):
    auth.login(world.outsider)
    html = client.get(f"/plek?wijk={world.g2.id}&soort=noodplek").text
    assert f'data-capacity="{world.c_other.id}"' in html
    assert f'data-capacity="{world.c_wijk.id}"' not in html
    assert "Thuisbegeleiding</h2>" not in html.replace("\n", "")
    r = client.get("/plek?soort=noodbed")
    assert r.status_code == 200 and "Onbekende soort plek &#39;noodbed&#39;" in r.text
    r = client.get("/plek?wijk=abc")  # malformed: the one rule of netwerk/web/args.py
    assert r.status_code == 400 and "geheel getal" in r.text
    r = client.get("/plek?wijk=2147483647")  # well-formed but unknown: named, own wijk shown
    assert r.status_code == 200 and "Onbekende wijk" in r.text


def test_staff_update_their_count_and_see_it_in_the_overview(world, auth, client, session):
    auth.login(world.staff_a)
    _, _, version = counts(session, world.c_wijk)
    r = client.post(f"/plek/{world.c_wijk.id}/telling",
                    data={"available": "2", "maximum": "3", "version": str(version),
                          "note": "extra bed erbij"})
    assert r.status_code == 303
    assert counts(session, world.c_wijk) == (2, 3, version + 1)
    event = session.scalars(select(CapacityEvent)
                            .where(CapacityEvent.capacity_id == world.c_wijk.id)).one()
    assert (event.kind, event.delta, event.available_after, event.maximum_after) == (
        CapacityEventKind.SET, 1, 2, 3)
    assert event.user_id == world.staff_a.id
    html = client.get(f"/plek?wijk={world.w.id}").text
    row = html.split(f'data-capacity="{world.c_wijk.id}"')[1].split("</li>")[0]
    assert '<strong class="cap-free">2</strong>' in row and '<span class="cap-max">3</span>' in row
    detail = client.get(f"/plek/{world.c_wijk.id}").text
    assert "Bijgewerkt" in detail and "extra bed erbij" in detail and "Ada Opvang" in detail


def test_only_own_organisation_or_beheerder_may_update(world, auth, client, session):
    auth.login(world.staff_a)
    before = counts(session, world.c_gem)  # Zorg B's count
    r = client.post(f"/plek/{world.c_gem.id}/telling",
                    data={"available": "0", "maximum": "5", "version": str(before[2])})
    assert r.status_code == 403
    assert counts(session, world.c_gem) == before
    assert "Telling bijwerken" not in client.get(f"/plek/{world.c_gem.id}").text
    auth.logout()
    auth.login(world.admin)
    r = client.post(f"/plek/{world.c_gem.id}/telling",
                    data={"available": "0", "maximum": "5", "version": str(before[2])})
    assert r.status_code == 303
    assert counts(session, world.c_gem)[:2] == (0, 5)


@pytest.mark.parametrize(
    ("available", "maximum", "message"),
    [
        ("-1", "2", "Vrij: een aantal kan niet negatief zijn"),
        ("1", "-2", "Totaal: een aantal kan niet negatief zijn"),
        ("3", "2", "Vrij (3) kan niet meer zijn dan het totaal (2)"),
        ("twee", "2", "Vrij: vul een heel getal in"),
        ("", "2", "Vrij: vul een aantal in"),
        ("1", "1.5", "Totaal: vul een heel getal in"),
    ],
)
def test_bad_counts_change_nothing(world, auth, client, session, available, maximum, message):
    auth.login(world.staff_a)
    before = counts(session, world.c_wijk)
    r = client.post(f"/plek/{world.c_wijk.id}/telling",
                    data={"available": available, "maximum": maximum, "version": str(before[2])})
    assert r.status_code == 400
    assert message in r.text
    assert counts(session, world.c_wijk) == before
    assert n_events(session, world.c_wijk) == 0


def test_a_stale_form_is_refused_and_shows_the_new_count(world, auth, client, session):
    auth.login(world.staff_a)
    _, _, version = counts(session, world.c_wijk)
    client.post(f"/plek/{world.c_wijk.id}/claimen", data={})  # someone takes the bed
    after_claim = counts(session, world.c_wijk)
    r = client.post(f"/plek/{world.c_wijk.id}/telling",
                    data={"available": "2", "maximum": "2", "version": str(version)})
    assert r.status_code == 409
    assert "Iemand anders heeft deze telling intussen gewijzigd (nu 0 van 2 vrij)" in r.text
    assert f'name="version" type="hidden" value="{after_claim[2]}"' in r.text
    assert counts(session, world.c_wijk) == after_claim
    assert n_events(session, world.c_wijk) == 1  # the claim only


def test_claim_release_and_net_vergeven(world, auth, client, session):
    auth.login(world.outsider)  # any professional may claim
    r = client.post(f"/plek/{world.c_wijk.id}/claimen", data={"note": "voor vannacht"})
    assert r.status_code == 303
    assert counts(session, world.c_wijk)[0] == 0
    r = client.post(f"/plek/{world.c_wijk.id}/claimen", data={})
    assert r.status_code == 409 and "Net vergeven" in r.text
    assert counts(session, world.c_wijk)[0] == 0
    # Whoever holds a claim may give it back; then they hold none and may not again.
    assert client.post(f"/plek/{world.c_wijk.id}/vrijgeven", data={}).status_code == 303
    assert counts(session, world.c_wijk)[0] == 1
    assert client.post(f"/plek/{world.c_wijk.id}/vrijgeven", data={}).status_code == 403
    kinds = [e.kind for e in session.scalars(
        select(CapacityEvent).where(CapacityEvent.capacity_id == world.c_wijk.id)
        .order_by(CapacityEvent.id))]
    # Giving back a place one still holds withdraws the hold (it can then never expire too).
    assert kinds == [CapacityEventKind.CLAIM, CapacityEventKind.WITHDRAW]


def test_release_never_exceeds_the_total(world, auth, client, session):
    auth.login(world.staff_a)
    r = client.post(f"/plek/{world.c_reg.id}/vrijgeven", data={})  # 2 of 2 free
    assert r.status_code == 409 and "alle plekken zijn al vrij" in r.text
    assert counts(session, world.c_reg)[:2] == (2, 2)


def test_claim_for_a_case_shows_the_reference_only_to_those_involved(
        world, auth, client, session):
    auth.login(world.coordinator)
    r = client.post(f"/plek/{world.c_gem.id}/claimen",
                    data={"case_reference": "tst-2026-0001"})
    assert r.status_code == 303
    event = session.scalars(select(CapacityEvent)
                            .where(CapacityEvent.capacity_id == world.c_gem.id)).one()
    assert event.case_id == world.case.id
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "capacity_claim", AuditEntry.object_id == world.case.id)) == 1
    assert "casus TST-2026-0001" in client.get(f"/plek/{world.c_gem.id}").text
    auth.logout()
    auth.login(world.staff_a)  # not involved in the case
    html = client.get(f"/plek/{world.c_gem.id}").text
    assert "TST-2026-0001" not in html and "voor een casus" in html


def test_claim_for_a_case_one_may_not_see_is_refused(world, auth, client, session):
    auth.login(world.outsider)
    before = counts(session, world.c_gem)
    for reference in ("TST-2026-0001", "BESTAAT-NIET"):
        r = client.post(f"/plek/{world.c_gem.id}/claimen", data={"case_reference": reference})
        assert r.status_code == 400
        assert "Casus:" in r.text and "niet gevonden, of je bent niet bij deze casus" in r.text
    assert counts(session, world.c_gem) == before
    assert n_events(session, world.c_gem) == 0


def test_a_note_with_client_details_is_refused(world, auth, client, session):
    auth.login(world.outsider)
    before = counts(session, world.c_gem)
    r = client.post(f"/plek/{world.c_gem.id}/claimen",
                    data={"note": "meneer bereikbaar op 06 12345678"})
    assert r.status_code == 400 and "Toelichting: zet hier geen gegevens van een cliënt" in r.text
    assert counts(session, world.c_gem) == before


def test_unknown_capacity_is_404(world, auth, client):
    auth.login(world.outsider)
    assert client.get("/plek/999999").status_code == 404
    assert client.post("/plek/999999/claimen", data={}).status_code == 404


def test_hours_are_claimed_and_released_in_amounts(world, auth, client, session):
    auth.login(world.outsider)
    cap = world.c_stale  # thuisbegeleiding, 5 of 10 hours a week free
    assert client.post(f"/plek/{cap.id}/claimen", data={"amount": "4"}).status_code == 303
    assert counts(session, cap)[0] == 1
    r = client.post(f"/plek/{cap.id}/claimen", data={"amount": "3"})
    assert r.status_code == 409 and "er is nog maar 1 vrij, je vroeg 3" in r.text
    r = client.post(f"/plek/{cap.id}/claimen", data={"amount": "0"})
    assert r.status_code == 400 and "Aantal: minstens 1" in r.text
    assert counts(session, cap)[0] == 1
    # One may give back what one claimed, not more.
    assert client.post(f"/plek/{cap.id}/vrijgeven", data={"amount": "5"}).status_code == 403
    assert client.post(f"/plek/{cap.id}/vrijgeven", data={"amount": "4"}).status_code == 303
    assert counts(session, cap)[0] == 5
    deltas = [e.delta for e in session.scalars(
        select(CapacityEvent).where(CapacityEvent.capacity_id == cap.id)
        .order_by(CapacityEvent.id))]
    assert deltas == [-4, 4]
    # A bed is always claimed one at a time, whatever the form says.
    assert client.post(f"/plek/{world.c_gem.id}/claimen", data={"amount": "3"}).status_code == 303
    assert counts(session, world.c_gem)[0] == 2


def _new_data(world, **overrides):
    data = {"service_id": str(world.c_wijk.service_id), "area_id": str(world.w2.id),
            "type_slug": "noodplek", "available": "2", "maximum": "3"}
    data.update(overrides)
    return data


def test_staff_add_a_count_for_their_service(world, auth, client, session):
    auth.login(world.staff_a)
    page = client.get("/plek/nieuw").text
    assert "Opvang A: Nachtopvang" in page and "Zorg B" not in page
    r = client.post("/plek/nieuw", data=_new_data(world))
    assert r.status_code == 303
    session.expire_all()
    cap = session.scalars(select(Capacity).where(Capacity.area_id == world.w2.id)).one()
    assert (cap.available, cap.maximum, cap.updated_by_id) == (2, 3, world.staff_a.id)
    event = session.scalars(select(CapacityEvent).where(CapacityEvent.capacity_id == cap.id)).one()
    assert (event.kind, event.delta, event.available_after) == (CapacityEventKind.SET, 2, 2)
    assert f'data-capacity="{cap.id}"' in client.get(f"/plek?wijk={world.w2.id}").text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"type_slug": "noodbed"}, "Soort plek: onbekende soort &#39;noodbed&#39;"),
        ({"available": "-2"}, "Vrij: een aantal kan niet negatief zijn"),
        ({"available": "4"}, "Vrij (4) kan niet meer zijn dan het totaal (3)"),
        ({"area_id": "999999"}, "Gebied: kies een wijk, gemeente of regio"),
        ({"area_id": "w"}, "Gebied: kies een wijk, gemeente of regio"),
        ({"service_id": ""}, "Aanbod: kies een aanbod van je organisatie"),
    ],
)
def test_a_bad_new_count_adds_nothing(world, auth, client, session, overrides, message):
    auth.login(world.staff_a)
    before = session.scalar(select(func.count()).select_from(Capacity))
    r = client.post("/plek/nieuw", data=_new_data(world, **overrides))
    assert r.status_code == 400 and message in r.text
    assert session.scalar(select(func.count()).select_from(Capacity)) == before


def test_a_count_exists_once_and_only_for_ones_own_service(world, auth, client, session):
    auth.login(world.staff_a)
    r = client.post("/plek/nieuw", data=_new_data(world, area_id=str(world.w.id)))
    assert r.status_code == 400 and "Er is al een telling voor Noodplek van Nachtopvang" in r.text
    r = client.post("/plek/nieuw", data=_new_data(world, service_id=str(world.c_gem.service_id)))
    assert r.status_code == 403
