"""The network capability's write side: work sessions (create, edit, attendance with who
invited whom, invitations, ties made at the table) and an area's sector checklist.

Each operation validates first (a problem raises WorkSessionError with a Dutch message naming
the field, before anything is changed), changes, flushes, and forgets the cached graphs of
the database (netwerk.network.cache); the caller commits once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import (
    Area,
    AreaSectorChecklist,
    Attendance,
    Invitation,
    Organisation,
    Professional,
    Sector,
    Tie,
    TieKind,
    TieSource,
    WorkSession,
)
from netwerk.network.cache import invalidate


class WorkSessionError(UserError):
    """Refused work-session input: ``WorkSessionError(message, field=...)`` like every
    UserError; ``field`` is the operation's name for it (``area``, ``professional``, ...)."""


def _area(session: Session, area_id: int) -> Area:
    area = session.get(Area, area_id)
    if area is None:
        raise WorkSessionError(_("Gebied: dit gebied bestaat niet."), field="area")
    return area


def _professional(session: Session, professional_id: int | None, field: str,
                  label: str) -> Professional:
    prof = session.get(Professional, professional_id) if professional_id else None
    if prof is None:
        raise WorkSessionError(_("%(field)s: kies een bestaande professional.",
                                        field=label), field=field)
    return prof


def create_session(session: Session, title: str, day: date, area_id: int, notes: str = "",
                   facilitator_id: int | None = None) -> WorkSession:
    title = (title or "").strip()
    if not title:
        raise WorkSessionError(_("Titel: vul een titel in."), field="title")
    area = _area(session, area_id)
    ws = WorkSession(title=title, date=day, area=area, notes=(notes or "").strip(),
                     facilitator_id=facilitator_id)
    session.add(ws)
    session.flush()
    invalidate(session)
    return ws


def update_session(session: Session, ws: WorkSession, title: str, day: date, area_id: int,
                   notes: str = "") -> WorkSession:
    title = (title or "").strip()
    if not title:
        raise WorkSessionError(_("Titel: vul een titel in."), field="title")
    area = _area(session, area_id)
    ws.title, ws.date, ws.area, ws.notes = title, day, area, (notes or "").strip()
    session.flush()
    invalidate(session)
    return ws


def record_attendance(session: Session, ws: WorkSession, professional_id: int,
                      invited_by_id: int | None = None) -> Attendance:
    """Someone came to the session (again: their 'invited by' is updated)."""
    prof = _professional(session, professional_id, "professional", _("Deelnemer"))
    inviter = None
    if invited_by_id:
        inviter = _professional(session, invited_by_id, "invited_by", _("Uitgenodigd door"))
        if inviter.id == prof.id:
            raise WorkSessionError(_("Uitgenodigd door: iemand nodigt zichzelf niet uit."), field="invited_by")
    existing = session.get(Attendance, (ws.id, prof.id))
    if existing is None:
        existing = Attendance(work_session=ws, professional=prof)
        session.add(existing)
    existing.invited_by = inviter
    session.flush()
    invalidate(session)
    return existing


def remove_attendance(session: Session, ws: WorkSession, professional_id: int) -> None:
    existing = session.get(Attendance, (ws.id, professional_id))
    if existing is not None:
        session.delete(existing)
        session.flush()
        invalidate(session)


def record_invitation(session: Session, ws: WorkSession, inviter_id: int, organisation_id: int,
                      professional_id: int | None = None, note: str = "") -> Invitation:
    """An attendee invites a party that was missing at the table."""
    inviter = _professional(session, inviter_id, "inviter", _("Wie nodigt uit"))
    if session.get(Attendance, (ws.id, inviter.id)) is None:
        raise WorkSessionError(_("Wie nodigt uit: alleen wie bij de sessie was nodigt uit."), field="inviter")
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise WorkSessionError(_("Organisatie: kies een bestaande organisatie."), field="organisation")
    invitee = None
    if professional_id:
        invitee = _professional(session, professional_id, "professional", _("Contactpersoon"))
        if invitee.organisation_id != organisation.id:
            raise WorkSessionError(_(
                "Contactpersoon: %(name)s werkt niet bij %(org)s.",
                name=invitee.name, org=organisation.name), field="professional")
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
        raise WorkSessionError(_("Tweede persoon: kies twee verschillende mensen."), field="b")
    for prof, field in ((a, "a"), (b, "b")):
        if session.get(Attendance, (ws.id, prof.id)) is None:
            raise WorkSessionError(_("%(name)s was niet bij deze sessie.", name=prof.name), field=field)
    low, high = Tie.ordered(a.id, b.id)
    tie = session.scalar(select(Tie).where(Tie.a_id == low, Tie.b_id == high))
    if tie is None:
        tie = Tie(a_id=low, b_id=high, kind=kind, source=TieSource.WERKSESSIE, since=ws.date,
                  work_session_id=ws.id)
        session.add(tie)
        session.flush()
        invalidate(session)
    return tie



# -- the sector checklist ------------------------------------------------------------------

def set_checklist(session: Session, area_id: int, sectors: list[str]) -> None:
    """Replace an area's checklist (flushes; the caller commits). An unknown sector raises
    WorkSessionError before anything changes."""
    valid = {s.value for s in Sector}
    unknown = [s for s in sectors if s not in valid]
    if unknown:
        raise WorkSessionError(_("Sectoren: onbekende sector %(s)s.", s=unknown[0]), field="sectors")
    session.execute(delete(AreaSectorChecklist).where(AreaSectorChecklist.area_id == area_id))
    for sector in dict.fromkeys(sectors):
        session.add(AreaSectorChecklist(area_id=area_id, sector=Sector(sector)))
    session.flush()


# -- the room fills in the table (each attendee from their own phone) ------------------------

def _own_professional(user) -> Professional:
    prof = getattr(user, "professional", None)
    if prof is None or not prof.active:
        raise WorkSessionError(_("Je account hoort niet bij een professional; vraag de "
                                 "facilitator je aan te melden."), field="professional")
    return prof


def check_in(session: Session, user, ws: WorkSession) -> Attendance:
    """The signed-in user's own professional is at the table (again: nothing changes)."""
    prof = _own_professional(user)
    existing = session.get(Attendance, (ws.id, prof.id))
    if existing is not None:
        return existing
    attendance = record_attendance(session, ws, prof.id)
    audit.record(session, user, "werksessie.inchecken", "work_session", ws.id,
                 professional_id=prof.id)
    return attendance


def table_tie(session: Session, user, ws: WorkSession, other_id: int) -> Tie:
    """ "We kennen elkaar nu": a tie between the user's own professional and another
    attendee of the session (both must be checked in)."""
    prof = _own_professional(user)
    if session.get(Attendance, (ws.id, prof.id)) is None:
        raise WorkSessionError(_("Check eerst in: alleen wie aan tafel zit legt lijntjes."),
                               field="professional")
    if session.get(Attendance, (ws.id, other_id)) is None:
        raise WorkSessionError(_("Met wie: kies iemand die aan tafel zit."), field="other")
    tie = record_tie(session, ws, prof.id, other_id)
    audit.record(session, user, "werksessie.lijntje", "work_session", ws.id,
                 a_id=tie.a_id, b_id=tie.b_id)
    return tie


def table_invite(session: Session, user, ws: WorkSession, organisation_id: int | None,
                 note: str = "") -> Invitation:
    """The user (checked in) invites an organisation that was missing at the table."""
    prof = _own_professional(user)
    if not organisation_id:
        raise WorkSessionError(_("Organisatie: kies een organisatie uit de lijst."),
                               field="organisation")
    invitation = record_invitation(session, ws, prof.id, organisation_id, None, note)
    audit.record(session, user, "werksessie.uitnodiging", "work_session", ws.id,
                 organisation_id=invitation.organisation_id)
    invalidate(session)
    return invitation
