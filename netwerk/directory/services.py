"""Directory services: plain functions over a Session (no Flask), called by the views."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from netwerk.auth import policy
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import (
    Area,
    AreaKind,
    Attendance,
    Case,
    CaseInvolvement,
    Domain,
    Organisation,
    Professional,
    Service,
    Tie,
    professional_areas,
    service_areas,
)
from netwerk.phone import InvalidPhoneNumber, normalize


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


def confirm(professional: Professional, now: datetime | None = None) -> None:
    """"Klopt nog": the details were checked and are still right."""
    professional.verified_at = now or utcnow()


@dataclass
class ProfessionalUpdate:
    name: str
    role: str
    mobile: str | None
    landline: str | None
    email: str | None
    languages: list[str]
    area_ids: list[int]
    domain_ids: list[int]
    photo: bytes | None = None
    remove_photo: bool = False


class UpdateError(UserError):
    """Refused input: ``errors`` maps a form field to a Dutch message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()), next(iter(errors), None))


def update_professional(
    session: Session, professional: Professional, data: ProfessionalUpdate,
    now: datetime | None = None,
) -> None:
    """Apply ``data`` to ``professional`` and mark it verified; all or nothing.

    Everything is checked before anything is assigned, so a refused number leaves the record
    untouched (raises UpdateError naming the fields).
    """
    errors: dict[str, str] = {}
    numbers: dict[str, str | None] = {}
    for key, label, mobile in (
        ("mobile", _("Mobiel nummer"), True),
        ("landline", _("Vast nummer"), False),
    ):
        try:
            numbers[key] = normalize(getattr(data, key), field=label, mobile=mobile)
        except InvalidPhoneNumber as exc:
            errors[key] = _("%(label)s: %(reason)s", label=label, reason=exc.reason)
    if not data.name.strip():
        errors["name"] = _("Naam: vul een naam in.")
    if numbers.get("mobile") and numbers.get("mobile") == numbers.get("landline"):
        errors["landline"] = _("Vast nummer: is hetzelfde als het mobiele nummer.")
    if numbers.get("mobile"):
        taken = session.scalar(
            select(Professional.name).where(
                Professional.mobile == numbers["mobile"], Professional.id != professional.id
            )
        )
        if taken:
            errors["mobile"] = _("Mobiel nummer: dit nummer staat al bij %(name)s.", name=taken)
    areas = list(session.scalars(select(Area).where(Area.id.in_(data.area_ids)))) if data.area_ids else []
    domains = (
        list(session.scalars(select(Domain).where(Domain.id.in_(data.domain_ids))))
        if data.domain_ids else []
    )
    if errors:
        raise UpdateError(errors)
    professional.name = data.name.strip()
    professional.role = data.role.strip()
    professional.mobile = numbers["mobile"]
    professional.landline = numbers["landline"]
    professional.email = (data.email or "").strip() or None
    professional.languages = data.languages or ["nl"]
    professional.areas = areas
    professional.domains = domains
    now = now or utcnow()
    if data.photo is not None:
        professional.photo = data.photo
        professional.photo_updated_at = now
    elif data.remove_photo:
        professional.photo = None
        professional.photo_updated_at = None  # None means "no photo": pages show initials
    professional.verified_at = now


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
