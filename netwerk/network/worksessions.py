"""Work sessions: create and edit them, record who came (and because of whom), whom each
attendee invites, and the ties made at the table. Plain functions taking a Session; each
flushes and leaves the commit to the caller. A problem raises WorkSessionError with a Dutch
message naming the field, before anything is changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import (
    Area,
    Attendance,
    Invitation,
    Organisation,
    Professional,
    Tie,
    TieKind,
    TieSource,
    WorkSession,
    area_and_descendant_ids,
    professional_areas,
)


class WorkSessionError(UserError):
    """Refused work-session input. Takes (field, message), the reverse of UserError's order:
    kept for its eleven callers."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


def _area(session: Session, area_id: int) -> Area:
    area = session.get(Area, area_id)
    if area is None:
        raise WorkSessionError("area", _("Gebied: dit gebied bestaat niet."))
    return area


def _professional(session: Session, professional_id: int | None, field: str,
                  label: str) -> Professional:
    prof = session.get(Professional, professional_id) if professional_id else None
    if prof is None:
        raise WorkSessionError(field, _("%(field)s: kies een bestaande professional.",
                                        field=label))
    return prof


def create_session(session: Session, title: str, day: date, area_id: int, notes: str = "",
                   facilitator_id: int | None = None) -> WorkSession:
    title = (title or "").strip()
    if not title:
        raise WorkSessionError("title", _("Titel: vul een titel in."))
    area = _area(session, area_id)
    ws = WorkSession(title=title, date=day, area=area, notes=(notes or "").strip(),
                     facilitator_id=facilitator_id)
    session.add(ws)
    session.flush()
    return ws


def update_session(session: Session, ws: WorkSession, title: str, day: date, area_id: int,
                   notes: str = "") -> WorkSession:
    title = (title or "").strip()
    if not title:
        raise WorkSessionError("title", _("Titel: vul een titel in."))
    area = _area(session, area_id)
    ws.title, ws.date, ws.area, ws.notes = title, day, area, (notes or "").strip()
    session.flush()
    return ws


def record_attendance(session: Session, ws: WorkSession, professional_id: int,
                      invited_by_id: int | None = None) -> Attendance:
    """Someone came to the session (again: their 'invited by' is updated)."""
    prof = _professional(session, professional_id, "professional", _("Deelnemer"))
    inviter = None
    if invited_by_id:
        inviter = _professional(session, invited_by_id, "invited_by", _("Uitgenodigd door"))
        if inviter.id == prof.id:
            raise WorkSessionError("invited_by",
                                   _("Uitgenodigd door: iemand nodigt zichzelf niet uit."))
    existing = session.get(Attendance, (ws.id, prof.id))
    if existing is None:
        existing = Attendance(work_session=ws, professional=prof)
        session.add(existing)
    existing.invited_by = inviter
    session.flush()
    return existing


def remove_attendance(session: Session, ws: WorkSession, professional_id: int) -> None:
    existing = session.get(Attendance, (ws.id, professional_id))
    if existing is not None:
        session.delete(existing)
        session.flush()


def record_invitation(session: Session, ws: WorkSession, inviter_id: int, organisation_id: int,
                      professional_id: int | None = None, note: str = "") -> Invitation:
    """An attendee invites a party that was missing at the table."""
    inviter = _professional(session, inviter_id, "inviter", _("Wie nodigt uit"))
    if session.get(Attendance, (ws.id, inviter.id)) is None:
        raise WorkSessionError("inviter",
                               _("Wie nodigt uit: alleen wie bij de sessie was nodigt uit."))
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise WorkSessionError("organisation", _("Organisatie: kies een bestaande organisatie."))
    invitee = None
    if professional_id:
        invitee = _professional(session, professional_id, "professional", _("Contactpersoon"))
        if invitee.organisation_id != organisation.id:
            raise WorkSessionError("professional", _(
                "Contactpersoon: %(name)s werkt niet bij %(org)s.",
                name=invitee.name, org=organisation.name))
    invitation = Invitation(work_session=ws, inviter=inviter, organisation=organisation,
                            professional=invitee, note=(note or "").strip())
    session.add(invitation)
    session.flush()
    return invitation


def record_tie(session: Session, ws: WorkSession, a_id: int, b_id: int,
               kind: TieKind = TieKind.KENT) -> Tie:
    """Two attendees met at the table: a tie with this session as its source. An existing tie
    between them is left as it is (it was made earlier)."""
    a = _professional(session, a_id, "a", _("Eerste persoon"))
    b = _professional(session, b_id, "b", _("Tweede persoon"))
    if a.id == b.id:
        raise WorkSessionError("b", _("Tweede persoon: kies twee verschillende mensen."))
    for prof, field in ((a, "a"), (b, "b")):
        if session.get(Attendance, (ws.id, prof.id)) is None:
            raise WorkSessionError(field, _("%(name)s was niet bij deze sessie.", name=prof.name))
    low, high = Tie.ordered(a.id, b.id)
    tie = session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high))
    if tie is None:
        tie = Tie(a_id=low, b_id=high, kind=kind, source=TieSource.WERKSESSIE, since=ws.date,
                  work_session_id=ws.id)
        session.add(tie)
        session.flush()
    return tie


# -- reading -------------------------------------------------------------------------------------

@dataclass
class SessionOverview:
    work_session: WorkSession
    attendances: list[Attendance]
    invitations: list[Invitation]
    ties: list[Tie]
    organisations: list[str]
    new_organisations: list[str]  # at the table for the first time in this area
    came_through_invitation: list[Invitation]  # invitations of the previous session, honoured
    previous: WorkSession | None
    next: WorkSession | None


def overview(session: Session, ws: WorkSession) -> SessionOverview:
    """Everything the session page shows."""
    attendances = sorted(ws.attendances, key=lambda a: a.professional.name)
    ties = list(session.scalars(
        select(Tie).where(Tie.work_session_id == ws.id).order_by(Tie.id)
    ))
    earlier = session.scalars(
        select(WorkSession).where(WorkSession.area_id == ws.area_id,
                                  (WorkSession.date < ws.date)
                                  | ((WorkSession.date == ws.date) & (WorkSession.id < ws.id)))
        .order_by(WorkSession.date.desc(), WorkSession.id.desc())
    ).all()
    later = session.scalar(
        select(WorkSession).where(WorkSession.area_id == ws.area_id,
                                  (WorkSession.date > ws.date)
                                  | ((WorkSession.date == ws.date) & (WorkSession.id > ws.id)))
        .order_by(WorkSession.date, WorkSession.id)
    )
    seen_orgs = set(session.scalars(
        select(Professional.organisation_id)
        .join(Attendance, Attendance.professional_id == Professional.id)
        .where(Attendance.work_session_id.in_([e.id for e in earlier]))
    ))
    orgs = {a.professional.organisation.id: a.professional.organisation.name
            for a in attendances}
    present_ids = {a.professional_id for a in attendances}
    present_orgs = set(orgs)
    previous = earlier[0] if earlier else None
    honoured = [
        inv for inv in (previous.invitations if previous else [])
        if (inv.professional_id in present_ids) or (inv.organisation_id in present_orgs)
    ]
    return SessionOverview(
        work_session=ws,
        attendances=attendances,
        invitations=list(ws.invitations),
        ties=ties,
        organisations=sorted(orgs.values()),
        new_organisations=sorted(name for i, name in orgs.items() if i not in seen_orgs),
        came_through_invitation=honoured,
        previous=previous,
        next=later,
    )


def candidate_professionals(session: Session, ws: WorkSession) -> list[Professional]:
    """Whom to offer in the attendance form: people working in the session's area, its
    attendees, and people invited to it (bounded by the area)."""
    area_ids = area_and_descendant_ids(session, ws.area_id)
    ids = select(professional_areas.c.professional_id).where(
        professional_areas.c.area_id.in_(area_ids))
    people = set(session.scalars(select(Professional).where(Professional.id.in_(ids),
                                                            Professional.active)))
    people |= {a.professional for a in ws.attendances}
    invited = session.scalars(
        select(Invitation).join(WorkSession, WorkSession.id == Invitation.work_session_id)
        .where(Invitation.professional_id.isnot(None), WorkSession.area_id == ws.area_id))
    people |= {i.professional for i in invited if i.professional is not None}
    return sorted(people, key=lambda p: (p.name, p.id))


def candidate_organisations(session: Session, ws: WorkSession) -> list[Organisation]:
    """Organisations to invite: those serving the area and those of people working there."""
    from netwerk.network.services import serving_organisations

    ids = {o.id for o in serving_organisations(session, ws.area_id)}
    ids |= {p.organisation_id for p in candidate_professionals(session, ws)}
    return list(session.scalars(select(Organisation).where(Organisation.id.in_(ids))
                                .order_by(Organisation.name)))
