"""Each access rule that lists has an SQL twin in netwerk/auth/policy.py; here the predicate
and its twin must agree for every principal of the access matrix over the seeded network
(plus cases made so that every branch is taken: coordinated, involved, neither)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from netwerk.auth import policy
from netwerk.models import Case, CaseInvolvement, Professional, Service
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
