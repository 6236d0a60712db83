"""The demo's two stories, matched on the seeded Lekstroom network (seeds 001 and 003)."""

from __future__ import annotations

from sqlalchemy import select

from netwerk.matching.engine import match
from netwerk.matching.loader import case_facts, load_network
from netwerk.models import Case, Organisation, Professional


def _answer(session, reference, **kw):
    """As the case page computes it: only people covering one of the needs are loaded."""
    case = session.scalar(select(Case).where(Case.reference == reference))
    facts = case_facts(case)
    network = load_network(session, case.area_id, needs={n.domain for n in facts.needs})
    return case, match(facts, network, **kw)


def _key(session, pid):
    return session.scalar(select(Professional.external_id).where(Professional.id == pid))


def test_seed_001_the_man_without_fixed_address(seeded, session):
    case, answer = _answer(session, "NWG-2026-0001")
    # The lead is someone he already knows: his GP (his own wish) or the wijkconsulent.
    assert _key(session, answer.lead.candidate.id) in {"paul-verhoef", "esther-kuipers"}
    assert _key(session, answer.lead.candidate.id) == "paul-verhoef"  # the client's own wish
    assert answer.lead.term("continuity").value == 1.0
    pocket = {_key(session, m.candidate.id): m for m in answer.back_pocket.members}
    # Thuisbegeleiding is covered by the lead or the back pocket, by someone he knows.
    covered = answer.lead.eligibility.covers.union(*(m.covers for m in pocket.values()))
    assert "thuisbegeleiding" in covered
    # The Wlz route (CIZ) is in the back pocket, or beschermd wonen is reported missing.
    ciz = session.scalar(select(Organisation.id).where(Organisation.external_id == "ciz"))
    in_pocket = any(m.candidate.organisation_id == ciz for m in pocket.values())
    reported = any(m.domain == "beschermd_wonen" and ciz in {o.organisation_id for o in m.nearest}
                   for m in answer.missing)
    assert in_pocket or reported
    assert answer.going_in <= 3 < answer.organisations_without_coordination
    assert answer.back_pocket.method == "exact" and not answer.back_pocket.uncovered


def test_seed_001_with_debts_names_the_fixed_address_rule(seeded, session):
    case, _ = _answer(session, "NWG-2026-0001")
    facts = case_facts(case)
    from dataclasses import replace

    from netwerk.matching.model import Need

    facts = replace(facts, needs=(*facts.needs, Need("financien", "secundair")))
    answer = match(facts, load_network(session, case.area_id, needs={n.domain for n in facts.needs}))
    reasons = {x.reason for e in answer.excluded for x in e.exclusions}
    reasons |= {x.reason for s in answer.ranking for x in s.eligibility.exclusions}
    assert any(r == "Maatschappelijk werk Nieuwegein: vereist een vast adres"
               for r in reasons)
    mw = [s for s in (*answer.ranking, *answer.excluded)
          if s.candidate.organisation == "Maatschappelijk werk Nieuwegein"]
    assert all("financien" not in s.eligibility.covers if hasattr(s, "eligibility")
               else "financien" not in s.covers for s in mw)


def test_seed_003_seven_at_the_door_become_one_and_a_small_back_pocket(seeded, session):
    case, answer = _answer(session, "NWG-2026-0002")
    involved = {i.professional_id for i in case.involvements}
    assert len({session.get(Professional, p).organisation_id for p in involved}) == 7
    assert answer.lead.candidate.id in involved
    assert answer.organisations_without_coordination >= 7
    assert len(answer.back_pocket.members) <= 3
    covered = answer.lead.eligibility.covers.union(*(m.covers for m in answer.back_pocket.members))
    assert covered == {n.domain.slug for n in case.needs}


def test_the_same_case_gives_the_same_answer(seeded, session):
    _, first = _answer(session, "NWG-2026-0002")
    _, again = _answer(session, "NWG-2026-0002")
    assert [s.candidate.id for s in first.ranking] == [s.candidate.id for s in again.ranking]
    assert first.back_pocket == again.back_pocket


def test_the_loader_only_loads_organisations_serving_the_case_area(seeded, session):
    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0001"))
    network = load_network(session, case.area_id)
    orgs = {c.organisation for c in network.candidates}
    assert "Huisartsenpraktijk Vreeswijk" in orgs
    assert "Huisartsen Batau" not in orgs and "Gezondheidscentrum Galecop" not in orgs
    ids = {c.id for c in network.candidates}
    assert all(a in ids and b in ids for a, b in network.ties)
    narrowed = load_network(session, case.area_id, needs={"gezondheid"})
    assert {c.organisation for c in narrowed.candidates} <= orgs
    assert all("gezondheid" in c.domains for c in narrowed.candidates)


def test_seed_000_the_corporation_that_evicts_never_leads_and_is_shown_excluded(seeded, session):
    from netwerk.matching.loader import load_case_facts
    from netwerk.matching.queries import analyse_case

    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0003"))
    corporation = session.scalar(select(Organisation).where(
        Organisation.external_id == "jutphaas-wonen"))
    assert [o.id for o in case.opposing] == [corporation.id]
    facts = load_case_facts(session, case)
    assert facts.opposing == {corporation.id} and facts.urgency == "crisis"
    answer = analyse_case(session, case, cached=False).suggestion
    fatma = session.scalar(select(Professional.id).where(
        Professional.external_id == "fatma-yildiz"))
    assert answer.lead is not None and answer.lead.candidate.organisation_id != corporation.id
    assert answer.lead.candidate.may_coordinate
    # available today with room (crisis)
    assert answer.lead.candidate.available
    assert answer.lead.candidate.caseload < answer.lead.candidate.caseload_max
    excluded = {e.candidate.id: e for e in answer.excluded}
    assert fatma in excluded
    assert [x.rule_kind for x in excluded[fatma].exclusions] == ["opposing_interest"]
    assert all(m.candidate.organisation_id != corporation.id
               for m in answer.back_pocket.members)
    # Turkish: a speaker leads, or the plan gets an interpreter.
    assert answer.lead.speaks_language or answer.interpreter


def test_seed_000_on_the_case_page(seeded, client, session, auth, make):
    import re

    from netwerk.models import Role

    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0003"))
    fatma = session.scalar(select(Professional).where(
        Professional.external_id == "fatma-yildiz"))
    from netwerk.models import User

    coordinator = session.scalar(select(User).where(User.professional_id == case.coordinator_id))
    if coordinator is None:
        coordinator = make.user(role=Role.COORDINATOR, professional=case.coordinator)
    coordinator.set_password("a-long-password")
    session.commit()
    auth.login(coordinator.email, "a-long-password")
    response = client.get(f"/casussen/{case.id}")
    page = response.text
    assert response.status_code == 200, page[:3000]
    lead = re.search(r'id="frontsoldaat"[^>]*data-professional-id="(\d+)"', page)
    assert lead and int(lead.group(1)) != fatma.id
    entry = re.search(rf'<li data-professional-id="{fatma.id}">.*?</li>', page, re.S)
    assert entry and 'data-rule-kind="opposing_interest"' in entry.group(0)
    assert page.index("Bevestigen") < page.index('id="waarom"')
    # The corporation's worker is involved, yet sees nothing of the case.
    auth.logout()
    make.user(email="fatma@netwerk.example", role=Role.MEDEWERKER, professional=fatma,
              password="a-long-password")
    session.commit()
    auth.login("fatma@netwerk.example", "a-long-password")
    assert client.get(f"/casussen/{case.id}").status_code == 404  # answered like a missing id
    assert "NWG-2026-0003" not in client.get("/casussen").text
    # Until the coordinator admits her explicitly.
    auth.logout()
    auth.login(coordinator.email, "a-long-password")
    refused = client.post(f"/casussen/{case.id}/toegang/{fatma.id}")
    assert refused.status_code == 400 and "Grondslag" in refused.text  # not without a basis
    assert client.post(f"/casussen/{case.id}/toegang/{fatma.id}",
                       data={"basis": "wettelijke_grond", "legal_ground": "wmo"}
                       ).status_code == 302
    auth.logout()
    auth.login("fatma@netwerk.example", "a-long-password")
    assert client.get(f"/casussen/{case.id}").status_code == 200
