"""A small capacity world for the capacity tests (not a test module).

regio R > gemeente G > wijken W, W2; regio R > gemeente G2 > wijk W3.
Opvang A (phone + crisis line), Zorg B (phone only), Begeleiding C (no number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from werkzeug.security import generate_password_hash

from netwerk.db import utcnow
from netwerk.models import (
    AreaKind,
    Capacity,
    CapacityType,
    CapacityUnit,
    Case,
    CaseInvolvement,
    Role,
    Service,
    Urgency,
    User,
)
from tests.conftest import PASSWORD

# A cheap hash of the shared test password: these tests are about capacities, not about scrypt.
_CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@dataclass
class World:
    r: object
    g: object
    w: object
    w2: object
    g2: object
    org_a: object
    org_b: object
    org_c: object
    c_wijk: Capacity
    c_gem: Capacity
    c_reg: Capacity
    c_full: Capacity
    c_other: Capacity
    c_stale: Capacity
    staff_a: object
    staff_c: object
    outsider: object
    admin: object
    coordinator: object
    case: Case


def _user(session, role, professional) -> User:
    user = User(email=f"{professional.name.split()[0].lower()}@netwerk.example", role=role,
                professional=professional, password_hash=_CHEAP_HASH)
    session.add(user)
    session.flush()
    return user


def build_world(make, session) -> World:
    r = make.area("Regio Rivierland", kind=AreaKind.REGIO)
    g = make.area("Stroomstad", kind=AreaKind.GEMEENTE, parent=r)
    w = make.area("Oeverwijk", kind=AreaKind.WIJK, parent=g)
    w2 = make.area("Dijkwijk", kind=AreaKind.WIJK, parent=g)
    g2 = make.area("Veendorp", kind=AreaKind.GEMEENTE, parent=r)
    make.area("Veenwijk", kind=AreaKind.WIJK, parent=g2)
    org_a = make.organisation("Opvang A", phone="0301111111", crisis_phone="0302222222")
    org_b = make.organisation("Zorg B", phone="0303333333")
    org_c = make.organisation("Begeleiding C")
    nood = CapacityType(slug="noodplek", name="Noodplek", unit=CapacityUnit.BED,
                        stale_after_hours=24)
    thuis = CapacityType(slug="thuisbegeleiding", name="Thuisbegeleiding",
                         unit=CapacityUnit.UUR_PER_WEEK, stale_after_hours=168)
    sa = Service(organisation=org_a, name="Nachtopvang")
    sb = Service(organisation=org_b, name="Crisisbedden")
    sb2 = Service(organisation=org_b, name="Ambulant")
    sc = Service(organisation=org_c, name="Thuis")
    session.add_all([nood, thuis, sa, sb, sb2, sc])
    session.flush()

    staff_a = _user(session, Role.MEDEWERKER, professional=make.professional(
        "Ada Opvang", organisation=org_a, mobile="0612000001"))
    staff_c = _user(session, Role.MEDEWERKER, professional=make.professional(
        "Cor Begeleiding", organisation=org_c, mobile="0612000003"))
    outsider_prof = make.professional("Olga Buiten", mobile="0612000009")
    outsider_prof.areas = [w]
    outsider = _user(session, Role.MEDEWERKER, professional=outsider_prof)
    admin = _user(session, Role.BEHEERDER, professional=make.professional("Bea Heer"))
    coord_prof = make.professional("Coby Regie", mobile="0612000005")
    coord_prof.areas = [w2, w]
    coordinator = _user(session, Role.COORDINATOR, professional=coord_prof)
    case = Case(reference="TST-2026-0001", area=w, urgency=Urgency.SPOED,
                coordinator_id=coord_prof.id)
    session.add(case)
    session.flush()
    session.add(CaseInvolvement(case_id=case.id, professional_id=staff_c.professional_id))

    now = utcnow()

    def cap(service, area, ctype, available, maximum, **kw):
        c = Capacity(service=service, area=area, capacity_type=ctype, available=available,
                     maximum=maximum, updated_at=kw.pop("updated_at", now), **kw)
        session.add(c)
        return c

    world = World(
        r=r, g=g, w=w, w2=w2, g2=g2, org_a=org_a, org_b=org_b, org_c=org_c,
        c_wijk=cap(sa, w, nood, 1, 2, updated_by_id=staff_a.id),
        c_gem=cap(sb, g, nood, 3, 5),
        c_reg=cap(sa, r, nood, 2, 2),
        c_full=cap(sb2, g, thuis, 0, 10),
        c_other=cap(sa, g2, nood, 4, 4),
        c_stale=cap(sc, w, thuis, 5, 10, updated_at=now - timedelta(hours=200),
                    updated_by_id=staff_c.id),
        staff_a=staff_a, staff_c=staff_c, outsider=outsider, admin=admin,
        coordinator=coordinator, case=case,
    )
    session.commit()
    return world
