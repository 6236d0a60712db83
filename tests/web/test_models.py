"""Constraints a user relies on: they hold in the model and in the database itself."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from netwerk.models import Capacity, CapacityType, CapacityUnit, Organisation, Professional, Tie
from netwerk.phone import InvalidPhoneNumber


def test_mobile_numbers_are_stored_in_e164_from_any_notation(make):
    for raw in ["06-12345678", "0612345678", "+31 6 1234 5678", "0031612345678"]:
        prof = make.professional(mobile=None)
        prof.mobile = raw
        assert prof.mobile == "+31612345678"
        prof.mobile = None


def test_invalid_mobile_is_refused_naming_the_field(make):
    prof = make.professional()
    with pytest.raises(InvalidPhoneNumber) as info:
        prof.mobile = "06-123"
    assert info.value.field == "mobiel"
    assert "06-123" in str(info.value) and "geen geldig" in str(info.value)


def test_landline_in_mobile_field_is_refused(make):
    prof = make.professional()
    with pytest.raises(InvalidPhoneNumber, match="geen mobiel nummer"):
        prof.mobile = "030 123 4567"


def test_two_people_cannot_share_a_mobile_number(make, session):
    make.professional(mobile="0611111111")
    with pytest.raises(IntegrityError):
        make.professional(mobile="06 1111 1111")


def test_database_refuses_a_number_not_in_e164(make, session):
    prof = make.professional()
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE professionals SET mobile = '0612345678' WHERE id = :id"), {"id": prof.id}
        )
        session.flush()


def test_caseload_cannot_be_negative(make, session):
    with pytest.raises(IntegrityError):
        make.professional(caseload=-1)


def test_unknown_sector_is_refused_by_the_database(session, make):
    org = make.organisation()
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE organisations SET sector = 'astrologie' WHERE id = :id"), {"id": org.id}
        )


def test_capacity_available_stays_within_zero_and_maximum(make, session):
    org = make.organisation()
    from netwerk.models import Service

    area = make.area()
    service = Service(organisation=org, name="Noodopvang")
    ctype = CapacityType(slug="noodplek", name="Noodplek", unit=CapacityUnit.BED,
                         stale_after_hours=24)
    session.add_all([service, ctype])
    session.commit()
    for available, maximum in [(-1, 5), (6, 5)]:
        session.add(Capacity(service_id=service.id, area_id=area.id, capacity_type_id=ctype.id,
                             available=available, maximum=maximum))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()


def test_a_tie_is_stored_once_per_pair_in_order(make, session):
    a, b = make.professional(), make.professional()
    lo, hi = Tie.ordered(b.id, a.id)
    session.add(Tie(a_id=lo, b_id=hi))
    session.flush()
    with pytest.raises(IntegrityError):
        session.add(Tie(a_id=hi, b_id=lo))
        session.flush()


def test_organisation_with_people_cannot_be_removed(make, session):
    """Deliberate: removing an organisation never silently deletes its people.

    They are moved to another organisation or deactivated first; then removal works and takes
    the organisation's services with it.
    """
    org = make.organisation()
    prof = make.professional(organisation=org)
    session.commit()
    session.delete(org)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert session.get(Professional, prof.id) is not None

    other = make.organisation()
    prof = session.get(Professional, prof.id)
    prof.organisation = other
    session.commit()
    session.delete(session.get(Organisation, org.id))
    session.commit()
    assert session.get(Professional, prof.id).organisation_id == other.id
