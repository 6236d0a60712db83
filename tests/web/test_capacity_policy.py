"""Who may claim, release and update a count (netwerk/auth/policy.py), per role."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from netwerk.auth import policy
from netwerk.capacity import operations as services
from netwerk.models import Capacity, Role
from tests.web.capacity_data import build_world


@pytest.fixture
def world(make, session):
    return build_world(make, session)


def test_every_role_may_claim_only_staff_and_beheerder_update(world, make, session):
    cap = session.get(Capacity, world.c_wijk.id)  # Opvang A's bed
    for role in Role:
        user = make.user(role, professional=make.professional())
        assert policy.can_claim_capacity(user, cap)
        assert policy.can_update_capacity(user, cap) is (role == Role.BEHEERDER)
        assert policy.can_release_capacity(user, cap) is (role == Role.BEHEERDER)
    assert policy.can_update_capacity(world.staff_a, cap)
    assert policy.can_release_capacity(world.staff_a, cap)
    anonymous = AnonymousUserMixin()
    assert not policy.can_claim_capacity(anonymous, cap)
    assert not policy.can_release_capacity(anonymous, cap)


def test_a_claimer_may_release_what_they_hold_and_no_more(world, session):
    cap_id = world.c_stale.id  # hours
    services.claim(session, cap_id, world.outsider.id, amount=3)
    session.commit()
    cap = session.get(Capacity, cap_id)
    session.refresh(cap)
    assert policy.can_release_capacity(world.outsider, cap, 3)
    assert not policy.can_release_capacity(world.outsider, cap, 4)
    services.release(session, cap_id, world.outsider.id, amount=3)
    session.commit()
    session.refresh(cap)
    assert not policy.can_release_capacity(world.outsider, cap)
