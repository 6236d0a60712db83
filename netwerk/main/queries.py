"""Reads of the home page, the offline directory and the health check (no Flask).

The home page of a worker shows three short lists of people, each with one tap to call:
their favourites, the people they recently opened, and the people of their own wijken.
The offline directory is what the service worker keeps on the phone: the people and
organisations of one's own wijken and gemeenten — names, roles, organisations and numbers,
never anything of a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session, joinedload, selectinload

from netwerk import phone
from netwerk.db import utcnow
from netwerk.directory.queries import favourites_of
from netwerk.models import (
    Area,
    AreaKind,
    Organisation,
    Professional,
    RecentlyOpened,
    Service,
    Tie,
    professional_areas,
    service_areas,
)

HOME_RECENT = 6  # recently opened people on the home page
HOME_WIJK = 5  # people per own wijk on the home page (the wijk page has everyone)


def home_counts(session: Session) -> dict[str, int]:
    """How many active professionals and organisations the directory holds."""
    return {
        "professionals": session.scalar(
            select(func.count()).select_from(Professional).where(Professional.active)
        ) or 0,
        "organisations": session.scalar(select(func.count()).select_from(Organisation)) or 0,
    }


def database_answers(session: Session) -> bool:
    """True when the database answers a trivial query (the session is rolled back if not)."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        session.rollback()
        return False
    return True


@dataclass(frozen=True)
class Contact:
    """One person on the home page: who, where, and the number one tap calls."""

    id: int
    name: str
    role: str
    organisation: str
    organisation_id: int
    number: str | None  # E.164: the mobile number, else the landline
    can_text: bool  # sms / WhatsApp: only for a mobile number

    @classmethod
    def of(cls, p: Professional) -> Contact:
        number = p.mobile or p.landline
        return cls(id=p.id, name=p.name, role=p.role or "", organisation=p.organisation.name,
                   organisation_id=p.organisation_id, number=number,
                   can_text=phone.offers_messages(p.mobile, personal_mobile=True))


@dataclass
class WijkList:
    area: Area
    people: list[Contact]
    total: int  # everyone of the wijk (the list shows the first HOME_WIJK)


@dataclass
class Home:
    favourites: list[Contact] = field(default_factory=list)
    recent: list[Contact] = field(default_factory=list)
    wijken: list[WijkList] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.favourites or self.recent or any(w.people for w in self.wijken))


def home(session: Session, user) -> Home:
    """The three lists of the home page for ``user`` (favourites, recently opened, own wijken)."""
    favourites = favourites_of(session, user.id)
    favourite_ids = {p.id for p in favourites}
    recent = [p for p in recently_opened(session, user.id, limit=HOME_RECENT + len(favourite_ids))
              if p.id not in favourite_ids][:HOME_RECENT]
    return Home(favourites=[Contact.of(p) for p in favourites],
                recent=[Contact.of(p) for p in recent],
                wijken=own_wijken(session, user.professional))


def recently_opened(session: Session, user_id: int, limit: int = HOME_RECENT) -> list[Professional]:
    """The active people ``user_id`` opened last, newest first (only ever shown to that user)."""
    return list(session.scalars(
        select(Professional)
        .join(RecentlyOpened, RecentlyOpened.professional_id == Professional.id)
        .where(RecentlyOpened.user_id == user_id, Professional.active)
        .options(joinedload(Professional.organisation))
        .order_by(RecentlyOpened.opened_at.desc(), RecentlyOpened.id.desc())
        .limit(limit)
    ))


def own_wijken(session: Session, me: Professional | None, per_wijk: int = HOME_WIJK
               ) -> list[WijkList]:
    """Per wijk ``me`` works in: the first people working there too (those ``me`` is tied to
    first, then by name), and how many there are in all. Nobody's own card is listed."""
    if me is None:
        return []
    wijken = [a for a in me.areas if a.kind == AreaKind.WIJK]
    if not wijken:
        return []
    rows = session.execute(
        select(professional_areas.c.area_id, Professional)
        .join(Professional, Professional.id == professional_areas.c.professional_id)
        .where(professional_areas.c.area_id.in_([a.id for a in wijken]), Professional.active,
               Professional.id != me.id)
        .options(joinedload(Professional.organisation))
    ).all()
    tied = set(session.scalars(
        select(Tie.b_id).where(Tie.a_id == me.id).union(select(Tie.a_id).where(Tie.b_id == me.id))
    ))
    by_area: dict[int, list[Professional]] = {a.id: [] for a in wijken}
    for area_id, p in rows:
        by_area[area_id].append(p)
    result = []
    for area in wijken:
        people = sorted(by_area[area.id], key=lambda p: (p.id not in tied, p.name, p.id))
        result.append(WijkList(area=area, people=[Contact.of(p) for p in people[:per_wijk]],
                               total=len(people)))
    return result


# -- the offline directory ------------------------------------------------------------------

def offline_scope(session: Session, me: Professional | None) -> list[Area]:
    """The areas one's offline copy covers: one's own wijken, their gemeenten, and every wijk
    of those gemeenten. Empty for an account that is no professional."""
    if me is None or not me.areas:
        return []
    own = list(me.areas)
    gemeenten = {a.id: a for a in own if a.kind == AreaKind.GEMEENTE}
    for a in own:
        for up in a.ancestors:
            if up.kind == AreaKind.GEMEENTE:
                gemeenten[up.id] = up
    wijken = list(session.scalars(
        select(Area).where(Area.parent_id.in_(list(gemeenten)), Area.kind == AreaKind.WIJK)
    )) if gemeenten else []
    scope = {a.id: a for a in [*own, *gemeenten.values(), *wijken]}
    return sorted(scope.values(), key=lambda a: (a.kind != AreaKind.GEMEENTE, a.name, a.id))


def offline_directory(session: Session, me: Professional | None,
                      now: datetime | None = None) -> dict:
    """The JSON the service worker keeps for looking up numbers offline.

    Only directory fields: name, role, organisation, numbers, e-mail, wijken of people;
    name, sector and numbers of organisations. Nothing of a case, a claim or a plan.
    """
    scope = offline_scope(session, me)
    area_ids = [a.id for a in scope]
    people: list[Professional] = []
    organisations: list[Organisation] = []
    if area_ids:
        people = list(session.scalars(
            select(Professional)
            .where(Professional.active, Professional.id.in_(
                select(professional_areas.c.professional_id)
                .where(professional_areas.c.area_id.in_(area_ids))))
            .options(joinedload(Professional.organisation), selectinload(Professional.areas))
            .order_by(Professional.name, Professional.id)
        ))
        serving_ids = {p.organisation_id for p in people}
        ancestors = {up.id for a in scope for up in a.ancestors}
        organisations = list(session.scalars(
            select(Organisation)
            .where(or_(Organisation.id.in_(serving_ids), Organisation.id.in_(
                select(Service.organisation_id)
                .join(service_areas, service_areas.c.service_id == Service.id)
                .where(service_areas.c.area_id.in_(area_ids + sorted(ancestors))))))
            .order_by(Organisation.name, Organisation.id)
        ))
    scope_ids = set(area_ids)
    return {
        "generated_at": (now or utcnow()).isoformat(timespec="seconds"),
        "scope": [{"id": a.id, "name": a.name, "kind": a.kind.value} for a in scope],
        "people": [
            {
                "id": p.id, "name": p.name, "role": p.role or "",
                "organisation": p.organisation.name, "organisation_id": p.organisation_id,
                "mobile": p.mobile, "mobile_display": phone.display(p.mobile),
                "landline": p.landline, "landline_display": phone.display(p.landline),
                "email": p.email,
                "can_text": phone.offers_messages(p.mobile, personal_mobile=True),
                "wijken": [a.name for a in p.areas if a.id in scope_ids],
            }
            for p in people
        ],
        "organisations": [
            {
                "id": o.id, "name": o.name, "sector": o.sector.value,
                "phone": o.phone, "phone_display": phone.display(o.phone),
                "crisis_phone": o.crisis_phone, "crisis_phone_display": phone.display(o.crisis_phone),
            }
            for o in organisations
        ],
    }
