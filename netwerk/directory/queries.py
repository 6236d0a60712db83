"""Directory reads: plain functions over a Session (no Flask) returning what a page shows;
lists of cases filter with the policy's SQL twin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from netwerk.auth import policy
from netwerk.db import utcnow
from netwerk.models import (
    Area,
    AreaKind,
    Attendance,
    Capacity,
    Case,
    CaseInvolvement,
    Domain,
    Favourite,
    Organisation,
    Professional,
    RecordReport,
    Service,
    Tie,
    User,
    professional_areas,
    service_areas,
)


def is_stale(professional: Professional, stale_after_days: int, now: datetime | None = None) -> bool:
    """True when the details were last confirmed more than ``stale_after_days`` ago."""
    return professional.verified_at < (now or utcnow()) - timedelta(days=stale_after_days)


def ties_of(session: Session, professional_id: int) -> list[tuple[Professional, Tie]]:
    """The people ``professional_id`` has ties with, by name, each with the tie."""
    ties = session.scalars(
        select(Tie)
        .where(or_(Tie.a_id == professional_id, Tie.b_id == professional_id))
        .options(
            joinedload(Tie.a).joinedload(Professional.organisation),
            joinedload(Tie.b).joinedload(Professional.organisation),
        )
    ).all()
    pairs = [(t.other(professional_id), t) for t in ties]
    return sorted(pairs, key=lambda pair: pair[0].name)


def cases_of(session: Session, professional_id: int, viewer) -> list[Case]:
    """Open and closed cases the professional coordinates or is involved in, of those the
    ``viewer`` may see (``policy.visible_case_filter``, the SQL twin of ``can_view_case``)."""
    involved = select(CaseInvolvement.case_id).where(
        CaseInvolvement.professional_id == professional_id
    )
    return list(
        session.scalars(
            select(Case)
            .where(or_(Case.coordinator_id == professional_id, Case.id.in_(involved)),
                   policy.visible_case_filter(viewer))
            .options(selectinload(Case.involvements), joinedload(Case.area))
            .order_by(Case.created_at.desc())
        )
    )


def stale_professionals(
    session: Session, stale_after_days: int, *, organisation_id: int | None = None,
    limit: int = 200, now: datetime | None = None,
) -> list[Professional]:
    """Active professionals whose details were last confirmed too long ago, oldest first."""
    before = (now or utcnow()) - timedelta(days=stale_after_days)
    query = (
        select(Professional)
        .where(Professional.active, Professional.verified_at < before)
        .options(joinedload(Professional.organisation))
        .order_by(Professional.verified_at, Professional.name)
        .limit(limit)
    )
    if organisation_id is not None:
        query = query.where(Professional.organisation_id == organisation_id)
    return list(session.scalars(query))


@dataclass
class AreaOverview:
    area: Area
    organisations_by_sector: dict[str, list[Organisation]] = field(default_factory=dict)
    people_by_sector: dict[str, list[Professional]] = field(default_factory=dict)

    @property
    def people(self) -> list[Professional]:
        return [p for group in self.people_by_sector.values() for p in group]


def area_overview(session: Session, area: Area) -> AreaOverview:
    """Every organisation serving the wijk (directly or through its gemeente or regio) and every
    active professional working in it, grouped by sector."""
    area_ids = [area.id] + [a.id for a in area.ancestors]
    serving = select(Service.organisation_id).join(
        service_areas, service_areas.c.service_id == Service.id
    ).where(service_areas.c.area_id.in_(area_ids))
    people = list(
        session.scalars(
            select(Professional)
            .join(professional_areas, professional_areas.c.professional_id == Professional.id)
            .where(professional_areas.c.area_id == area.id, Professional.active)
            .options(joinedload(Professional.organisation))
            .order_by(Professional.name)
        ).unique()
    )
    organisation_ids = {p.organisation_id for p in people}
    orgs = list(
        session.scalars(
            select(Organisation)
            .where(or_(Organisation.id.in_(serving), Organisation.id.in_(organisation_ids)))
            .order_by(Organisation.name)
        )
    )
    overview = AreaOverview(area=area)
    by_sector: dict[str, list[Organisation]] = defaultdict(list)
    for o in orgs:
        by_sector[o.sector.value].append(o)
    people_by: dict[str, list[Professional]] = defaultdict(list)
    for p in people:
        people_by[p.organisation.sector.value].append(p)
    overview.organisations_by_sector = dict(sorted(by_sector.items()))
    overview.people_by_sector = dict(sorted(people_by.items()))
    return overview


def session_attendees(session: Session, work_session_id: int) -> list[Professional]:
    """The people present at a work session, by name (for its smoelenboek)."""
    return list(
        session.scalars(
            select(Professional)
            .join(Attendance, and_(Attendance.professional_id == Professional.id))
            .where(Attendance.work_session_id == work_session_id)
            .options(joinedload(Professional.organisation))
            .order_by(Professional.name)
        )
    )


def wijken(session: Session) -> list[Area]:
    """All wijken, by name (the choices of the edit form)."""
    return list(
        session.scalars(
            select(Area).where(Area.kind == AreaKind.WIJK).order_by(Area.name)
        )
    )


@dataclass
class OrganisationPage:
    org: Organisation
    capacities: list[Capacity]
    people: list[Professional]
    areas: list[Area]


def organisation_page(session: Session, organisation_id: int) -> OrganisationPage | None:
    """An organisation with its services loaded, its capacities and its active people; None
    when there is no such organisation."""
    org = session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            selectinload(Organisation.services).selectinload(Service.domains),
            selectinload(Organisation.services).selectinload(Service.areas),
            selectinload(Organisation.services).selectinload(Service.rules),
        )
    )
    if org is None:
        return None
    capacities = list(session.scalars(
        select(Capacity)
        .join(Service, Capacity.service_id == Service.id)
        .where(Service.organisation_id == org.id)
        .options(joinedload(Capacity.service), joinedload(Capacity.area),
                 joinedload(Capacity.capacity_type))
        .order_by(Service.name)
    ))
    people = list(session.scalars(
        select(Professional)
        .where(Professional.organisation_id == org.id, Professional.active)
        .options(selectinload(Professional.areas))
        .order_by(Professional.name)
    ))
    areas = sorted({a for s in org.services for a in s.areas}, key=lambda a: a.name)
    return OrganisationPage(org=org, capacities=capacities, people=people, areas=areas)


def selection(session: Session, ids: list[int]) -> list[Professional]:
    """Active professionals among ``ids``, by name (for a vCard of a selection)."""
    return list(session.scalars(
        select(Professional)
        .where(Professional.id.in_(ids), Professional.active)
        .options(joinedload(Professional.organisation), selectinload(Professional.areas))
        .order_by(Professional.name)
    ))


def professional(session: Session, professional_id: int, *options) -> Professional | None:
    return session.scalar(
        select(Professional).where(Professional.id == professional_id).options(*options)
    )


def domains(session: Session) -> list[Domain]:
    return list(session.scalars(select(Domain).order_by(Domain.name)))


def is_favourite(session: Session, user_id: int, professional_id: int) -> bool:
    return session.scalar(
        select(Favourite.id).where(Favourite.user_id == user_id,
                                   Favourite.professional_id == professional_id)
    ) is not None


def favourites_of(session: Session, user_id: int, *options) -> list[Professional]:
    """A user's favourite professionals who are still active (one can call them), by name,
    with their organisation loaded (and ``options``): the home page and the phone's book."""
    return list(session.scalars(
        select(Professional)
        .join(Favourite, Favourite.professional_id == Professional.id)
        .where(Favourite.user_id == user_id, Professional.active)
        .options(joinedload(Professional.organisation), *options)
        .order_by(Professional.name, Professional.id)
    ))


# -- numbers people can trust: reports, freshness, history ------------------------------------
def open_reports(session: Session, *, professional_id: int | None = None,
                 organisation_id: int | None = None) -> list[RecordReport]:
    """The open "klopt niet" reports on one record, oldest first, with their reporters."""
    column = RecordReport.professional_id if professional_id is not None \
        else RecordReport.organisation_id
    return list(session.scalars(
        select(RecordReport)
        .where(column == (professional_id if professional_id is not None else organisation_id),
               RecordReport.resolved_at.is_(None))
        .options(joinedload(RecordReport.reporter).joinedload(User.professional))
        .order_by(RecordReport.created_at, RecordReport.id)))


def report_queue(session: Session, viewer, limit: int = 200) -> list[RecordReport]:
    """Open reports ``viewer`` may close (``policy.resolvable_report_filter``), oldest first,
    each with its record loaded."""
    return list(session.scalars(
        select(RecordReport)
        .where(RecordReport.resolved_at.is_(None), policy.resolvable_report_filter(viewer))
        .options(joinedload(RecordReport.professional).joinedload(Professional.organisation),
                 joinedload(RecordReport.organisation),
                 joinedload(RecordReport.reporter).joinedload(User.professional))
        .order_by(RecordReport.created_at, RecordReport.id)
        .limit(limit)))


def report_queue_count(session: Session, viewer) -> int:
    return session.scalar(
        select(func.count(RecordReport.id))
        .where(RecordReport.resolved_at.is_(None), policy.resolvable_report_filter(viewer))) or 0


@dataclass
class Freshness:
    """An organisation's people: how many are active, how many were confirmed within
    STALE_AFTER_DAYS, and when the oldest was last confirmed."""

    organisation_id: int
    name: str
    total: int
    fresh: int
    oldest: datetime | None

    @property
    def percent(self) -> int | None:
        """The share confirmed recently, in whole percent (rounded down: 99 % is not all)."""
        return None if not self.total else self.fresh * 100 // self.total


def freshness(session: Session, stale_after_days: int, *, organisation_id: int | None = None,
              limit: int = 20, now: datetime | None = None) -> list[Freshness]:
    """Freshness per organisation (one GROUP BY over active professionals), least fresh
    first; only ``organisation_id`` when given."""
    before = (now or utcnow()) - timedelta(days=stale_after_days)
    fresh = func.sum(case((Professional.verified_at >= before, 1), else_=0))
    total = func.count(Professional.id)
    # Grouped on the professionals' own column (no join while aggregating); names are looked
    # up for the few organisations shown.
    query = (
        select(Professional.organisation_id, total, fresh, func.min(Professional.verified_at))
        .where(Professional.active)
        .group_by(Professional.organisation_id)
        .order_by((fresh * 1.0 / total), func.min(Professional.verified_at),
                  Professional.organisation_id)
        .limit(limit)
    )
    if organisation_id is not None:
        query = query.where(Professional.organisation_id == organisation_id)
    rows = session.execute(query).all()
    names = dict(session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_([r[0] for r in rows]))).all()) if rows else {}
    return [Freshness(oid, names.get(oid, ""), int(t), int(f or 0), _aware(oldest))
            for oid, t, f, oldest in rows]


def _aware(value: datetime | None) -> datetime | None:
    """MIN() over a UTCDateTime column comes back without the column's type on SQLite."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def organisation_freshness(session: Session, organisation_id: int, stale_after_days: int,
                           now: datetime | None = None) -> Freshness | None:
    found = freshness(session, stale_after_days, organisation_id=organisation_id, now=now)
    return found[0] if found else None


def history(session: Session, object_type: str, object_id: int, limit: int = 50):
    """The newest changes of one record first, with who made them."""
    from netwerk.history import changes_of

    return changes_of(session, object_type, object_id, limit=limit)
