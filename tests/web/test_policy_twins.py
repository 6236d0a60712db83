"""Each access rule that lists has an SQL twin in netwerk/auth/policy.py; here the predicate
and its twin must agree for every principal of the access matrix over the seeded network
(plus cases made so that every branch is taken: coordinated, involved, neither)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from netwerk.auth import policy
from netwerk.models import Case, CaseInvolvement, Organisation, Professional, RecordReport, Service
from tests.web.access import PRINCIPALS, build_world


def _principal(world, key):
    return AnonymousUserMixin() if PRINCIPALS[key] is None else world.users[key]


def _more_cases(session, world):
    """A case coordinated by the 'collega', one with the 'buitenstaander' involved, one with
    nobody of the matrix: the seed alone does not reach every branch for every principal."""
    template = session.get(Case, world.ids["case"])
    collega = world.users["collega"].professional_id
    outsider = world.users["buitenstaander"].professional_id
    for n, (coordinator, involved) in enumerate([(collega, None), (None, outsider),
                                                  (None, None)]):
        case = Case(reference=f"NWG-2026-9{n:03d}", area_id=template.area_id,
                    urgency=template.urgency, coordinator_id=coordinator)
        session.add(case)
        session.flush()
        if involved is not None:
            session.add(CaseInvolvement(case_id=case.id, professional_id=involved))
    # Opposing parties: the 'betrokkene' and the 'buitenstaander' involved in cases where their
    # own organisation has an opposing interest, once not admitted and once admitted.
    for n, key in enumerate(["betrokkene", "buitenstaander"]):
        pid = world.users[key].professional_id
        org = session.get(Professional, pid).organisation
        for m, admitted in enumerate([False, True]):
            case = Case(reference=f"NWG-2026-8{n}{m}0", area_id=template.area_id,
                        urgency=template.urgency, coordinator_id=None)
            case.opposing = [org]
            session.add(case)
            session.flush()
            session.add(CaseInvolvement(case_id=case.id, professional_id=pid,
                                        opposing_admitted=admitted))
    session.commit()


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_case_predicate_and_filter_agree(app, session, make, seeded, principal):
    world = build_world(session, make)
    _more_cases(session, world)
    user = _principal(world, principal)
    cases = session.scalars(select(Case).order_by(Case.id)).all()
    assert len(cases) >= 5
    by_predicate = {c.id for c in cases if policy.can_view_case(user, c)}
    by_filter = set(session.scalars(select(Case.id).where(policy.visible_case_filter(user))))
    assert by_predicate == by_filter
    # The matrix's case: its coordinator, its involved professional and a beheerder see it,
    # a colleague of the involved professional and an outsider do not.
    sees = world.ids["case"] in by_filter
    assert sees == (principal in {"coordinator", "betrokkene", "beheerder"})
    # An opposing party's involved professional sees the case only once admitted.
    opposing = {c.reference: c.id for c in cases if c.reference.startswith("NWG-2026-8")}
    for n, key in enumerate(["betrokkene", "buitenstaander"]):
        if principal == key:
            assert opposing[f"NWG-2026-8{n}00"] not in by_filter
            assert opposing[f"NWG-2026-8{n}10"] in by_filter


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_capacity_service_predicate_and_filter_agree(app, session, make, seeded, principal):
    world = build_world(session, make)
    user = _principal(world, principal)
    services = session.scalars(select(Service).order_by(Service.id)).all()
    assert services
    by_predicate = {s.id for s in services if policy.can_add_capacity(user, s.organisation_id)}
    by_filter = set(session.scalars(select(Service.id)
                                    .where(policy.addable_service_filter(user))))
    assert by_predicate == by_filter
    if principal == "beheerder":
        assert by_filter == {s.id for s in services}
    elif principal == "medewerker":
        org = session.get(Professional, world.users["medewerker"].professional_id).organisation_id
        assert by_filter == {s.id for s in services if s.organisation_id == org} != set()
    elif principal == "anoniem":
        assert by_filter == set()


@pytest.mark.parametrize("principal", list(PRINCIPALS) + ["organisatiebeheerder"])
def test_report_and_check_predicates_and_filters_agree(app, session, make, seeded, principal):
    """Who closes a "klopt niet" report and confirms a person: the predicate and its twin
    agree, over reports on people of several organisations and on organisations."""
    world = build_world(session, make)
    if principal == "organisatiebeheerder":
        user = world.users["collega"]
        user.organisation_admin = True
    else:
        user = _principal(world, principal)
    reporter = world.users["facilitator"].id
    people = session.scalars(select(Professional).order_by(Professional.id).limit(40)).all()
    own_org = session.get(Professional, world.users["collega"].professional_id).organisation_id
    people += session.scalars(select(Professional).where(
        Professional.organisation_id == own_org)).all()
    for person in {p.id: p for p in people}.values():
        session.add(RecordReport(professional_id=person.id, reporter_id=reporter,
                                 reason="anders", note="x"))
    for org in session.scalars(select(Organisation).order_by(Organisation.id).limit(10)).all() + [
            session.get(Organisation, own_org)]:
        if not session.scalar(select(RecordReport.id).where(
                RecordReport.organisation_id == org.id)):
            session.add(RecordReport(organisation_id=org.id, reporter_id=reporter,
                                     reason="anders", note="x"))
    session.commit()
    reports = session.scalars(select(RecordReport)).all()
    by_predicate = {r.id for r in reports if policy.can_resolve_report(user, r)}
    by_filter = set(session.scalars(select(RecordReport.id)
                                    .where(policy.resolvable_report_filter(user))))
    assert by_predicate == by_filter
    everyone = session.scalars(select(Professional)).all()
    assert {p.id for p in everyone if policy.can_check_professional(user, p)} == set(
        session.scalars(select(Professional.id)
                        .where(policy.checkable_professional_filter(user))))
    if principal == "beheerder":
        assert by_filter == {r.id for r in reports}
    elif principal == "anoniem":
        assert by_filter == set()
    elif principal == "organisatiebeheerder":
        assert any(r.organisation_id == own_org for r in reports if r.id in by_filter)
        assert len(by_filter) > 2


@pytest.mark.parametrize("principal", list(PRINCIPALS) + ["zonder_persoon"])
def test_hold_answer_predicate_and_filter_agree(app, session, make, seeded, principal):
    """Who answers a hold (confirm, decline, sees the open holds) on a capacity: the predicate
    ``can_answer_hold`` and its twin ``hold_answerer_filter`` (which picks the accounts told
    of a new hold) agree for every capacity of the demo network."""
    from netwerk.models import Capacity, Role, User

    world = build_world(session, make)
    if principal == "zonder_persoon":  # an account that is nobody in the directory
        user = make.user(Role.MEDEWERKER, professional=None, email="zonder@matrix.example")
        session.commit()
    else:
        user = _principal(world, principal)
    capacities = session.scalars(select(Capacity).order_by(Capacity.id)).all()
    organisations = {c.service.organisation_id for c in capacities}
    assert len(organisations) >= 2
    by_predicate = {c.id for c in capacities if policy.can_answer_hold(user, c)}
    if PRINCIPALS.get(principal, ...) is None:  # nobody signed in: no account to select
        assert by_predicate == set()
        return
    answering = {org for org in organisations if session.scalar(
        select(User.id).where(User.id == user.id, policy.hold_answerer_filter(org)))}
    by_filter = {c.id for c in capacities if c.service.organisation_id in answering}
    assert by_predicate == by_filter
    if principal == "beheerder":
        assert by_filter == {c.id for c in capacities}
    elif principal == "zonder_persoon":
        assert by_filter == set()
    elif principal == "medewerker":
        own = session.get(Professional, user.professional_id).organisation_id
        assert by_filter == {c.id for c in capacities
                             if c.service.organisation_id == own} != set()
