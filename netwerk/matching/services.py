"""Changing cases: intake, the lead decision, the plan, closing and purging.

Plain functions taking a ``Session`` and plain values; they flush, the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netwerk import audit
from netwerk.auth import policy
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.matching.engine import match
from netwerk.matching.loader import load_case_facts, load_network
from netwerk.matching.model import Answer
from netwerk.models import (
    Area,
    AuditEntry,
    Case,
    CaseInvolvement,
    CaseNeed,
    CaseStatus,
    InvolvementRole,
    NeedWeight,
    PlanAction,
    Urgency,
)
from netwerk.privacy import find_identifiers

REFERENCE_PREFIX = "NWG"


class CaseError(UserError):
    """Bad input for a case; the message is one Dutch sentence naming the field."""


def check_free_text(field: str, text: str | None) -> None:
    found = find_identifiers(text)
    if found:
        listed = ", ".join(i.describe() for i in found)
        raise CaseError(_("%(field)s: bevat %(listed)s. Een casus bevat geen gegevens van de "
                          "cliënt.", field=field, listed=listed))


def next_reference(session: Session, year: int) -> str:
    """The next free reference of ``year``: NWG-2026-0003."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    taken = session.scalars(select(Case.reference).where(Case.reference.like(prefix + "%"))).all()
    numbers = [int(r[len(prefix):]) for r in taken if r[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):04d}"


@dataclass(frozen=True)
class Intake:
    area_id: int
    urgency: Urgency
    needs: Mapping[int, NeedWeight]  # domain id -> weight
    constraints: tuple[str, ...] = ()
    client_age: int | None = None
    language: str | None = None
    situation: str = ""
    involved_ids: tuple[int, ...] = ()
    preferred_id: int | None = None


def create_case(session: Session, coordinator_id: int | None, intake: Intake,
                today: date | None = None) -> Case:
    """Register a pseudonymous case; the suggestion is computed and recorded at once."""
    return register_case(session, coordinator_id, intake, today)[0]


def register_case(session: Session, coordinator_id: int | None, intake: Intake,
                  today: date | None = None) -> tuple[Case, Answer]:
    """Intake to answer: the new case and its matching answer."""
    check_free_text(_("Situatie"), intake.situation)
    if not intake.needs:
        raise CaseError(_("Hulpvragen: kies minstens één hulpvraag."))
    today = today or utcnow().date()
    case = Case(
        reference=next_reference(session, today.year),
        area_id=intake.area_id,
        urgency=intake.urgency,
        status=CaseStatus.OPEN,
        situation=(intake.situation or "").strip(),
        client_age=intake.client_age,
        language=intake.language or None,
        constraints=sorted(set(intake.constraints)),
        coordinator_id=coordinator_id,
        preferred_professional_id=intake.preferred_id,
    )
    case.needs = [CaseNeed(domain_id=d, weight=w) for d, w in sorted(intake.needs.items())]
    involved = set(intake.involved_ids)
    if coordinator_id is not None:
        involved.discard(coordinator_id)
    case.involvements = [CaseInvolvement(professional_id=p) for p in sorted(involved)]
    session.add(case)
    session.flush()
    answer = answer_for(session, case)
    case.suggested_lead_id = answer.suggested.candidate.id if answer.suggested else None
    session.flush()
    return case, answer


def answer_for(session: Session, case: Case, weights=None, need_weights=None) -> Answer:
    """The matching answer for a case; once a lead is decided, the back pocket is theirs."""
    session.flush()
    facts = load_case_facts(session, case)
    network = load_network(session, case.area_id, case.language,
                           needs={n.domain for n in facts.needs})
    return match(facts, network, weights, need_weights, lead_id=case.lead_id)


def decide_lead(session: Session, case: Case, user, lead_id: int, reason: str,
                weights=None, need_weights=None) -> Answer:
    """Record the coordinator's decision; the back pocket follows the chosen lead.

    Choosing someone other than the suggestion needs a reason. Involvements get their roles:
    the lead ``frontsoldaat``, the back pocket ``broekzak``, everyone else stays ``betrokken``.
    """
    reason = (reason or "").strip()
    check_free_text(_("Reden"), reason)
    case.lead_id = None
    suggestion = answer_for(session, case, weights, need_weights)
    suggested_id = suggestion.suggested.candidate.id if suggestion.suggested else None
    if not any(s.candidate.id == lead_id for s in suggestion.ranking):
        raise CaseError(_("Frontsoldaat: deze persoon komt voor deze casus niet in aanmerking."))
    if lead_id != suggested_id and not reason:
        raise CaseError(_("Reden: geef een reden als je een ander kiest dan de suggestie."))
    case.suggested_lead_id = suggested_id
    case.lead_id = lead_id
    case.lead_reason = reason
    case.lead_decided_at = utcnow()
    case.lead_decided_by_id = getattr(user, "id", None)
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.LOPEND
    answer = answer_for(session, case, weights, need_weights)
    roles = {lead_id: InvolvementRole.FRONTSOLDAAT}
    for member in answer.back_pocket.members:
        roles[member.candidate.id] = InvolvementRole.BROEKZAK
    existing = {i.professional_id: i for i in case.involvements}
    for involvement in case.involvements:
        if involvement.role != InvolvementRole.BETROKKEN and involvement.professional_id not in roles:
            involvement.role = InvolvementRole.BETROKKEN
    for pid, role in roles.items():
        if pid in existing:
            existing[pid].role = role
        else:
            case.involvements.append(CaseInvolvement(professional_id=pid, role=role))
    session.flush()
    return answer


def add_action(session: Session, case: Case, professional_id: int | None, what: str,
               due: date | None) -> PlanAction:
    what = (what or "").strip()
    if not what:
        raise CaseError(_("Wat: beschrijf de actie."))
    check_free_text(_("Wat"), what)
    allowed = {i.professional_id for i in case.involvements} | {case.coordinator_id}
    if professional_id is not None and professional_id not in allowed:
        raise CaseError(_("Wie: kies iemand die bij de casus betrokken is."))
    action = PlanAction(case=case, professional_id=professional_id, what=what, due=due)
    session.add(action)
    session.flush()
    return action


def set_action_done(session: Session, action: PlanAction, done: bool) -> None:
    action.done = done
    action.done_at = utcnow() if done else None
    session.flush()


def close_case(session: Session, case: Case) -> None:
    case.status = CaseStatus.GESLOTEN
    case.closed_at = utcnow()
    session.flush()


def visible_cases(session: Session, user, is_admin: bool) -> list[Case]:
    """The cases ``user`` may see: as coordinator or involved (a beheerder: all)."""
    query = select(Case).options(selectinload(Case.involvements), selectinload(Case.area))
    query = query.where(policy.visible_case_filter(user))  # is_admin: kept for callers
    return list(session.scalars(query.order_by(Case.status, Case.created_at.desc(), Case.id)))


def purge_closed_cases(session: Session, retention_days: int, now: datetime | None = None) -> Counter:
    """Delete cases closed more than ``retention_days`` ago.

    What is left is one anonymous audit entry: the number purged per wijk and month of
    closing ("Batau-Zuid 2026-08": 2), no reference and no case data.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    old = session.execute(
        select(Case.id, Area.name, Case.closed_at)
        .join(Area, Area.id == Case.area_id)
        .where(Case.status == CaseStatus.GESLOTEN, Case.closed_at.is_not(None),
               Case.closed_at < cutoff)
    ).all()
    counts: Counter = Counter(f"{wijk} {closed:%Y-%m}" for _, wijk, closed in old)
    ids = [row.id for row in old]
    for case in session.scalars(select(Case).where(Case.id.in_(ids))) if ids else ():
        session.delete(case)
    # Audit entries about a purged case keep who/when but lose the link to the case.
    if ids:
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "case", AuditEntry.object_id.in_(ids))
        ):
            entry.object_id = None
            entry.detail = {}
    audit.record(session, None, "purge", "case", None, removed=sum(counts.values()),
                 per_wijk_month=dict(sorted(counts.items())), retention_days=retention_days)
    session.flush()
    return counts

