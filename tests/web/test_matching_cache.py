"""The answer kept per case and data version: a coordinator never sees a stale suggestion.

Each test opens a case page (matched once, then served from the cache), changes one thing the
answer depends on the way beheer or the professional would (committed in its own
transaction), and opens the page again: it shows the answer matching computes afresh on the
new data, and matched exactly once for it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from netwerk.matching import queries
from netwerk.models import Area, AreaKind, Case, Professional, Service
from tests.web.test_matching_cases import _case, _intake_data
from tests.web.test_matching_cases import coordinator as coordinator

# Every test is signed in as Esther Kuipers, coordinator in the demo network.
pytestmark = pytest.mark.usefixtures("coordinator")


@pytest.fixture
def engine_runs(monkeypatch):
    calls: list[int] = []
    real = queries.match

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "match", counting)
    return calls


def _shown(page: str) -> dict:
    """What the page shows of the answer: the lead, the lead's points per score term, the
    excluded people with their rules, the interpreter line, and per missing need the
    organisations named."""
    lead = re.search(r'id="frontsoldaat"[^>]*data-professional-id="(\d+)"', page)
    terms = dict(re.findall(r'<tr data-term="(\w+)" data-points="([-\d.]+)"', page))
    excluded = page.split('id="uitgesloten"', 1)[1].split("</ul>", 1)[0] \
        if 'id="uitgesloten"' in page else ""
    missing = {}
    if 'id="ontbrekend"' in page:
        section = page.split('id="ontbrekend"', 1)[1].split("</details>", 1)[0]
        for domain, body in re.findall(r'<li data-domain="([^"]+)">(.*?)(?=<li data-domain=|\Z)',
                                       section, re.S):
            missing[domain] = sorted(
                (int(o), level) for o, level in re.findall(
                    r'data-organisation-id="(\d+)" data-level="(\w+)"', body))
    return {
        "lead": int(lead.group(1)) if lead else None,
        "terms": {k: round(float(v), 3) for k, v in terms.items()},
        "excluded": sorted(int(p) for p in re.findall(r'data-professional-id="(\d+)"', excluded)),
        "interpreter": 'class="interpreter"' in page,
        "missing": missing,
    }


def _fresh(session, case_id: int) -> dict:
    """The same, computed afresh from the database (no cache) by the test's own session."""
    session.expire_all()
    case = session.get(Case, case_id)
    answer = queries.analyse_case(session, case, cached=False).answer(case.lead_id)
    lead = answer.lead
    return {
        "lead": lead.candidate.id if lead else None,
        "terms": {t.name: round(t.points, 3) for t in lead.terms} if lead else {},
        "excluded": sorted(e.candidate.id for e in answer.excluded),
        "interpreter": bool(lead) and answer.interpreter,
        "missing": {m.domain: sorted((o.organisation_id, o.level) for o in m.nearest)
                    for m in answer.missing},
    }


def _view(client, case_id: int) -> dict:
    response = client.get(f"/casussen/{case_id}")
    assert response.status_code == 200
    return _shown(response.text)


def _intake(client, session, **overrides) -> Case:
    response = client.post("/casussen/nieuw", data=_intake_data(session, **overrides))
    assert response.status_code == 302, response.text
    case_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return session.get(Case, case_id)


def _before(client, session, case: Case, engine_runs) -> dict:
    """The page as it is, checked against a fresh computation; a second view is served from
    the cache (no matching at all)."""
    first = _view(client, case.id)
    assert first == _fresh(session, case.id)
    engine_runs.clear()
    assert _view(client, case.id) == first and engine_runs == []
    return first


def _after(client, session, case: Case, engine_runs, before: dict) -> dict:
    """The page after the change: the new answer, matched once."""
    engine_runs.clear()
    now = _view(client, case.id)
    assert len(engine_runs) == 1
    assert now == _fresh(session, case.id)
    assert now != before
    return now


def test_the_suggestion_stored_at_intake_is_the_one_shown(client, session):
    case = _intake(client, session, urgency="crisis")
    assert case.suggested_lead_id is not None
    assert _view(client, case.id)["lead"] == case.suggested_lead_id


def test_availability_in_a_crisis(client, session, engine_runs):
    case = _intake(client, session, urgency="crisis")
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    lead.available = False
    session.commit()
    after = _after(client, session, case, engine_runs, before)
    assert after["lead"] != lead.id
    page = client.get(f"/casussen/{case.id}").text
    assert 'data-rule-kind="crisis_unavailable"' in page


def test_work_areas_swapped_for_as_many_others(client, session, engine_runs):
    case = _intake(client, session)
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    # As many wijken as before, in another gemeente: same count, other places.
    gemeente = session.get(Area, case.area_id).parent_id
    elsewhere = session.scalars(select(Area).where(
        Area.kind == AreaKind.WIJK, Area.parent_id != gemeente).order_by(Area.id)).all()
    lead.areas = list(elsewhere[:len(lead.areas)])
    session.commit()
    _after(client, session, case, engine_runs, before)


def test_domains_swapped_for_as_many_others(client, session, engine_runs):
    case = _intake(client, session)
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    needed = {n.domain_id for n in case.needs}
    from netwerk.models import Domain

    others = session.scalars(select(Domain).where(Domain.id.not_in(needed))
                             .order_by(Domain.id)).all()
    lead.domains = list(others[:len(lead.domains)])
    session.commit()
    assert _after(client, session, case, engine_runs, before)["lead"] != lead.id


def test_languages(client, session, engine_runs):
    case = _intake(client, session, language="ti")
    before = _before(client, session, case, engine_runs)
    assert before["interpreter"]
    lead = session.get(Professional, before["lead"])
    lead.languages = [*lead.languages, "ti"]
    session.commit()
    after = _after(client, session, case, engine_runs, before)
    assert not after["interpreter"]


def test_may_coordinate_of_the_organisation_and_of_the_role(client, session,
                                                            engine_runs):
    case = _intake(client, session)
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    lead.organisation.may_coordinate = False
    lead.may_coordinate = None
    session.commit()
    after = _after(client, session, case, engine_runs, before)
    assert after["lead"] != lead.id
    # The role overrides the organisation: this person may lead again.
    lead = session.get(Professional, lead.id)
    lead.may_coordinate = True
    session.commit()
    assert _after(client, session, case, engine_runs, after)["lead"] == before["lead"]


def test_an_opposing_party_named_after_intake(client, session, engine_runs):
    case = _intake(client, session)
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    case = session.get(Case, case.id)
    case.opposing.append(lead.organisation)
    session.commit()
    after = _after(client, session, case, engine_runs, before)
    assert after["lead"] != lead.id and lead.id in after["excluded"]


def test_a_service_gaining_an_area_next_door_and_at_regio_level(client, session,
                                                                 make, engine_runs):
    """Missing partners are searched outward: a service that starts serving another wijk of
    the gemeente, then the regio, is named at once at that level."""
    domain = make.domain("buurtbemiddeling", "Buurtbemiddeling")
    session.commit()
    case = _intake(client, session, needs_primary=["buurtbemiddeling"], needs_secondary=[],
                   constraints=[], involved=[], basis="")
    before = _before(client, session, case, engine_runs)
    assert before["missing"] == {"buurtbemiddeling": []}
    wijk = session.get(Area, case.area_id)
    buurwijk = session.scalar(select(Area).where(Area.parent_id == wijk.parent_id,
                                                 Area.id != wijk.id).order_by(Area.id))
    organisation = make.organisation("Buurtbemiddeling Lekstroom")
    service = Service(organisation=organisation, name="Buurtbemiddeling",
                      domains=[domain], areas=[buurwijk])
    session.add(service)
    session.commit()
    next_door = _after(client, session, case, engine_runs, before)
    assert next_door["missing"] == {"buurtbemiddeling": [(organisation.id, "buurwijk")]}
    page = client.get(f"/casussen/{case.id}").text
    assert buurwijk.name in page
    # Now for the whole regio instead: named at regio level.
    service = session.get(Service, service.id)
    regio = session.get(Area, session.get(Area, wijk.parent_id).parent_id)
    service.areas = [regio]
    session.commit()
    at_regio = _after(client, session, case, engine_runs, next_door)
    assert at_regio["missing"] == {"buurtbemiddeling": [(organisation.id, "regio")]}
    assert "nergens in de regio" not in client.get(f"/casussen/{case.id}").text


def test_an_eligibility_rule_added_by_beheer(client, session, engine_runs):
    from netwerk.models import EligibilityRule, RuleKind

    case = _intake(client, session, client_age="66")
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    for service in session.scalars(select(Service).where(
            Service.organisation_id == lead.organisation_id)):
        session.add(EligibilityRule(service=service, kind=RuleKind.MAX_AGE, int_value=18))
    session.commit()
    assert _after(client, session, case, engine_runs, before)["lead"] != lead.id


def test_an_eligibility_rule_changed_then_removed(client, session, engine_runs):
    """A rule's value edited in place (same row, same count) and then the rule deleted: each
    shows at once (migration 0021's triggers; before, a fingerprint of the table)."""
    from netwerk.models import EligibilityRule, RuleKind

    case = _intake(client, session, client_age="66")
    before = _before(client, session, case, engine_runs)
    lead = session.get(Professional, before["lead"])
    services = session.scalars(select(Service).where(
        Service.organisation_id == lead.organisation_id)).all()
    rules = [EligibilityRule(service=s, kind=RuleKind.MAX_AGE, int_value=99) for s in services]
    session.add_all(rules)
    session.commit()
    engine_runs.clear()
    assert _view(client, case.id)["lead"] == lead.id and len(engine_runs) == 1
    allowed = _before(client, session, case, engine_runs)
    for rule in rules:
        rule.int_value = 18
    session.commit()
    barred = _after(client, session, case, engine_runs, allowed)
    assert barred["lead"] != lead.id
    for rule in rules:
        session.delete(rule)
    session.commit()
    assert _after(client, session, case, engine_runs, barred)["lead"] == lead.id


def test_rules_and_domains_raise_the_data_counter(session):
    """Every insert, update and delete of a domain or an eligibility rule gives a new version."""
    from netwerk.matching.cache import matching_version
    from netwerk.models import Domain, EligibilityRule, RuleKind

    service = session.scalar(select(Service).order_by(Service.id))
    domain = Domain(slug="buurtbemiddeling", name="Buurtbemiddeling")
    rule = EligibilityRule(service_id=service.id, kind=RuleKind.MIN_AGE, int_value=18)
    changes = [
        lambda: session.add(domain),
        lambda: setattr(domain, "name", "Bemiddeling tussen buren"),
        lambda: session.delete(domain),
        lambda: session.add(rule),
        lambda: setattr(rule, "int_value", 21),
        lambda: session.delete(rule),
    ]
    seen = [matching_version(session)]
    for change in changes:
        change()
        session.commit()
        seen.append(matching_version(session))
    assert None not in seen and len(set(seen)) == len(seen), seen


def test_a_change_inside_the_transaction_is_never_cached(client, session):
    """Matching in a transaction that changed the network itself does not keep its answer:
    after a rollback the data is the old one again, under a counter another change may reuse."""
    from netwerk.matching.cache import analysis_cache, matching_version

    case = _case(session, "NWG-2026-0001")
    assert matching_version(session) is not None
    person = session.scalar(select(Professional).order_by(Professional.id))
    person.available = not person.available
    session.flush()
    assert matching_version(session) is None
    analysis_cache(session).invalidate()
    queries.analyse_case(session, case)
    assert len(analysis_cache(session)) == 0
    session.rollback()
    assert matching_version(session) is not None
