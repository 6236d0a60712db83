"""Read side of capacities: "what is free for this wijk, of this type, now", nearest first.

``free_capacity`` is a stable interface: the matching engine calls it with exactly this
signature. It takes a plain ``Session`` and returns frozen dataclasses, no models, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from netwerk.auth import policy
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import (
    Area,
    AreaKind,
    Capacity,
    CapacityEvent,
    CapacityType,
    CapacityUnit,
    Case,
    Organisation,
    Professional,
    Service,
    User,
)

# Nearest first: a capacity in the wijk itself, then the gemeente, then the regio.
LEVEL_ORDER = {AreaKind.WIJK.value: 0, AreaKind.GEMEENTE.value: 1, AreaKind.REGIO.value: 2}


class UnknownCapacityType(UserError):
    """A capacity type slug that is not in the data; the message is Dutch and names the slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(_("Onbekende soort plek '%(slug)s'.", slug=slug), "soort")
        self.slug = slug


class UnknownArea(UserError):
    def __init__(self, area_id: int) -> None:
        super().__init__(_("Onbekende wijk of gemeente (%(id)s).", id=area_id), "wijk")
        self.area_id = area_id


@dataclass(frozen=True)
class FreeCapacity:
    """One count of places, as seen from one wijk (``area_level`` says how near it is)."""

    capacity_id: int
    type_slug: str
    type_name: str
    unit: str  # 'bed' | 'plek' | 'uur_per_week'
    service_id: int
    service_name: str
    organisation_id: int
    organisation_name: str
    area_id: int
    area_name: str
    area_level: str  # 'wijk' | 'gemeente' | 'regio'
    available: int
    maximum: int
    updated_at: datetime
    stale: bool
    phone: str | None  # E.164: the number to call to take the place
    # Extras for the overview page (defaults keep the signature above stable).
    updated_by_name: str | None = None
    stale_after_hours: int = 24
    version: int = 1


def is_stale(updated_at: datetime, stale_after_hours: int, now: datetime) -> bool:
    """A count not updated within its type's ``stale_after_hours`` is no longer trusted."""
    return now - updated_at > timedelta(hours=stale_after_hours)


def call_number(
    unit: str,
    organisation_phone: str | None,
    crisis_phone: str | None,
    updater_mobile: str | None,
) -> str | None:
    """The number to call to take a place.

    Beds (noodplek, time-out) are taken day and night: the organisation's crisis line first.
    Other places are arranged in office hours: the organisation's general number first. The
    mobile of whoever last updated the count is the fallback.
    """
    if unit == CapacityUnit.BED.value:
        order = (crisis_phone, organisation_phone, updater_mobile)
    else:
        order = (organisation_phone, updater_mobile, crisis_phone)
    return next((n for n in order if n), None)


def area_chain(session: Session, area_id: int) -> list[Area]:
    """The area itself, then its parent, grandparent…: wijk, gemeente, regio."""
    area = session.get(Area, area_id)
    if area is None:
        raise UnknownArea(area_id)
    return [area, *area.ancestors]


def free_capacity(
    session: Session,
    area_id: int,
    type_slug: str | None = None,
    now: datetime | None = None,
    *,
    include_full: bool = False,
) -> list[FreeCapacity]:
    """What is free for this wijk (of this type), now: nearest first.

    Capacities held for the area itself, its gemeente and its regio, in that order; within a
    level, trusted (fresh) counts before stale ones, then the most places free. Only counts
    with a free place unless ``include_full``. Raises ``UnknownCapacityType`` for a slug that
    is not in the data and ``UnknownArea`` for an area id that does not exist.
    """
    now = now or utcnow()
    chain = area_chain(session, area_id)
    level_of = {a.id: a.kind.value for a in chain}
    if type_slug is not None and session.scalar(
        select(CapacityType.id).where(CapacityType.slug == type_slug)
    ) is None:
        raise UnknownCapacityType(type_slug)

    updater = aliased(User)
    updater_prof = aliased(Professional)
    query = (
        select(
            Capacity, CapacityType, Service, Organisation, Area,
            updater_prof.name, updater.email, updater_prof.mobile,
        )
        .join(CapacityType, Capacity.capacity_type_id == CapacityType.id)
        .join(Service, Capacity.service_id == Service.id)
        .join(Organisation, Service.organisation_id == Organisation.id)
        .join(Area, Capacity.area_id == Area.id)
        .outerjoin(updater, Capacity.updated_by_id == updater.id)
        .outerjoin(updater_prof, updater.professional_id == updater_prof.id)
        .where(Capacity.area_id.in_(level_of))
    )
    if type_slug is not None:
        query = query.where(CapacityType.slug == type_slug)
    if not include_full:
        query = query.where(Capacity.available > 0)

    rows = []
    for cap, ctype, service, org, area, prof_name, email, mobile in session.execute(query):
        stale = is_stale(cap.updated_at, ctype.stale_after_hours, now)
        rows.append(
            FreeCapacity(
                capacity_id=cap.id,
                type_slug=ctype.slug,
                type_name=ctype.name,
                unit=ctype.unit.value,
                service_id=service.id,
                service_name=service.name,
                organisation_id=org.id,
                organisation_name=org.name,
                area_id=area.id,
                area_name=area.name,
                area_level=level_of[area.id],
                available=cap.available,
                maximum=cap.maximum,
                updated_at=cap.updated_at,
                stale=stale,
                phone=call_number(ctype.unit.value, org.phone, org.crisis_phone, mobile),
                updated_by_name=prof_name or email,
                stale_after_hours=ctype.stale_after_hours,
                version=cap.version,
            )
        )
    rows.sort(
        key=lambda r: (
            LEVEL_ORDER[r.area_level], r.stale, -r.available, r.type_name.lower(),
            r.organisation_name.lower(), r.service_name.lower(), r.capacity_id,
        )
    )
    return rows


def capacity_types(session: Session) -> list[CapacityType]:
    """All capacity types, in the order they were entered (the seed puts crisis places first)."""
    return list(session.scalars(select(CapacityType).order_by(CapacityType.id)))


@dataclass(frozen=True)
class CapacityDetail:
    """What the page of one count shows: the count, whom to call, and its history with the
    cases the viewer may see (by reference; others are "voor een casus")."""

    capacity: Capacity
    updater: User | None
    updater_prof: Professional | None
    stale: bool
    phone: str | None
    events: list
    users: dict
    visible_cases: dict


def capacity_detail(session: Session, viewer, capacity: Capacity, now: datetime | None = None,
                    history: int = 200) -> CapacityDetail:
    """The page of ``capacity`` for ``viewer``: its last ``history`` events, who made them, and
    the cases among them ``viewer`` may see (``policy.visible_case_filter``)."""
    session.refresh(capacity)
    ctype, org = capacity.capacity_type, capacity.service.organisation
    updater = session.get(User, capacity.updated_by_id) if capacity.updated_by_id else None
    updater_prof = updater.professional if updater else None
    events = session.scalars(
        select(CapacityEvent).where(CapacityEvent.capacity_id == capacity.id)
        .order_by(CapacityEvent.at.desc(), CapacityEvent.id.desc()).limit(history)
    ).all()
    users = {u.id: u for u in session.scalars(
        select(User).where(User.id.in_({e.user_id for e in events if e.user_id}))
        .options(selectinload(User.professional))
    )}
    case_ids = {e.case_id for e in events if e.case_id}
    visible = {c.id: c for c in session.scalars(
        select(Case).where(Case.id.in_(case_ids), policy.visible_case_filter(viewer))
    )} if case_ids else {}
    return CapacityDetail(
        capacity=capacity, updater=updater, updater_prof=updater_prof,
        stale=is_stale(capacity.updated_at, ctype.stale_after_hours, now or utcnow()),
        phone=call_number(ctype.unit.value, org.phone, org.crisis_phone,
                          updater_prof.mobile if updater_prof else None),
        events=list(events), users=users, visible_cases=visible,
    )


def case_by_reference(session: Session, viewer, reference: str | None):
    """The case with this reference (any case) when ``viewer`` may see it, else None."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return session.scalar(select(Case).where(func.upper(Case.reference) == reference,
                                             policy.visible_case_filter(viewer)))


def services_for(session: Session, viewer) -> list[Service]:
    """The services ``viewer`` may add a count for (``policy.addable_service_filter``)."""

    return list(session.scalars(
        select(Service).join(Organisation).where(policy.addable_service_filter(viewer))
        .order_by(Organisation.name, Service.name).options(selectinload(Service.organisation))
    ))


def area_choices(session: Session) -> list[tuple[Area, list[Area]]]:
    """Gemeenten with their wijken, for the chooser (the regio is offered on its own)."""
    gemeenten = session.scalars(
        select(Area).where(Area.kind == AreaKind.GEMEENTE).order_by(Area.name)
        .options(selectinload(Area.children))
    ).all()
    return [(g, [w for w in g.children if w.kind == AreaKind.WIJK]) for g in gemeenten]


def regios(session: Session) -> list[Area]:
    return list(session.scalars(select(Area).where(Area.kind == AreaKind.REGIO)
                                .order_by(Area.name)))


def default_area(session: Session, professional: Professional | None) -> Area | None:
    """The area /plek opens on: the professional's first wijk (or area), else the first wijk."""
    if professional is not None:
        wijken = [a for a in professional.areas if a.kind == AreaKind.WIJK]
        if wijken or professional.areas:
            return (wijken or professional.areas)[0]
    return session.scalars(
        select(Area).where(Area.kind == AreaKind.WIJK).order_by(Area.name).limit(1)
    ).first() or session.scalars(select(Area).order_by(Area.id).limit(1)).first()
