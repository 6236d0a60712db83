"""Changing cases: intake, the lead decision, the plan, closing and purging.

Plain functions taking a ``Session``, the acting user and plain values. Each validates first
(a problem raises CaseError with one Dutch sentence naming the field, before anything
changes), changes, flushes and writes its audit entry, so the web, the CLI and scripts are
audited alike; the caller commits once. The answers they need come from
netwerk.matching.queries (loaded and matched once per request). The basis for sharing lives in
netwerk/matching/basis.py and CaseError in netwerk/matching/errors.py (both importable from
here too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import utcnow
from netwerk.i18n import _
from netwerk.matching.basis import (  # noqa: F401 - part of this module's interface
    CONSENT_MAX_AGE_DAYS,
    BasisInput,
    check_basis,
    record_basis,
    withdraw_basis,
)
from netwerk.matching.engine import with_lead
from netwerk.matching.errors import CaseError, check_free_text
from netwerk.matching.model import Answer
from netwerk.matching.queries import CaseAnalysis, analyse_case, proposed_actions
from netwerk.matching.wording import language_names, rule_sentence
from netwerk.models import (
    Area,
    AuditEntry,
    CapacityEvent,
    Case,
    CaseBasis,
    CaseInvolvement,
    CaseNeed,
    CaseStatus,
    Domain,
    InvolvementRole,
    NeedWeight,
    Organisation,
    PlanAction,
    ReferenceCounter,
    Tie,
    Urgency,
)

REFERENCE_PREFIX = "NWG"


def next_reference(session: Session, year: int) -> str:
    """The next reference of ``year`` (NWG-2026-0003) from the counter in reference_counters:
    never issued twice, also after a purge, and safe when coordinators submit at once (the
    UPDATE locks the year's row until the intake commits; the first intake of a year inserts
    it inside a savepoint and retries the UPDATE when another did so first)."""
    for _attempt in range(3):
        counters = ReferenceCounter.__table__  # Core: nothing of the ORM's to synchronise
        number = session.execute(
            update(counters).where(counters.c.year == year)
            .values(last=counters.c.last + 1).returning(counters.c.last)
        ).scalar()
        if number is None:
            try:
                with session.begin_nested():
                    session.add(ReferenceCounter(year=year, last=_highest_issued(session, year)))
            except IntegrityError:
                pass
            continue
        return f"{REFERENCE_PREFIX}-{year}-{number:04d}"
    raise CaseError(_("Er konden geen kenmerk worden uitgegeven; probeer het opnieuw."))


def _highest_issued(session: Session, year: int) -> int:
    """The highest number among references of ``year`` still present (a database from before
    the counter); the counter carries on from there."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    taken = session.scalars(select(Case.reference).where(Case.reference.like(prefix + "%"))).all()
    return max((int(r[len(prefix):]) for r in taken if r[len(prefix):].isdigit()), default=0)


@dataclass(frozen=True)
class Intake:
    area_id: int
    urgency: Urgency
    needs: Mapping[int, NeedWeight] = field(default_factory=dict)  # domain id -> weight
    constraints: tuple[str, ...] = ()
    client_age: int | None = None
    language: str | None = None
    situation: str = ""
    involved_ids: tuple[int, ...] = ()
    preferred_id: int | None = None
    need_slugs: Mapping[str, NeedWeight] = field(default_factory=dict)  # or by domain slug
    opposing_ids: tuple[int, ...] = ()  # organisations with an opposing interest
    basis: BasisInput | None = None  # for sharing the case with the involved


def create_case(session: Session, coordinator_id: int | None, intake: Intake,
                today: date | None = None, user=None) -> Case:
    """Register a pseudonymous case; the suggestion is computed and recorded at once."""
    return register_case(session, coordinator_id, intake, today, user=user)[0]


def _resolve_needs(session: Session, intake: Intake) -> Intake:
    if not intake.need_slugs:
        return intake
    ids = dict(session.execute(
        select(Domain.slug, Domain.id).where(Domain.slug.in_(intake.need_slugs))).all())
    needs = dict(intake.needs)
    needs.update({ids[s]: w for s, w in intake.need_slugs.items() if s in ids})
    return replace(intake, needs=needs, need_slugs={})


def register_case(session: Session, coordinator_id: int | None, intake: Intake,
                  today: date | None = None, user=None, weights=None,
                  need_weights=None) -> tuple[Case, Answer]:
    """Intake to answer: the new case and its matching answer (audited as ``create``)."""
    if not intake.area_id:
        raise CaseError(_("Wijk: kies de wijk van het huishouden."), field="area_id")
    check_free_text(_("Situatie"), intake.situation)
    intake = _resolve_needs(session, intake)
    if not intake.needs:
        raise CaseError(_("Hulpvragen: kies minstens één hulpvraag."))
    language = (intake.language or "").strip().lower() or None
    if language == "nl":
        language = None
    if language is not None and language not in language_names():
        raise CaseError(_("Taal: kies een taal uit de lijst (een ISO 639-1-code zoals tr)."),
                        field="language")
    opposing = []
    if intake.opposing_ids:
        opposing = list(session.scalars(select(Organisation).where(
            Organisation.id.in_(set(intake.opposing_ids)))))
        if len(opposing) != len(set(intake.opposing_ids)):
            raise CaseError(_("Tegenpartij: kies organisaties uit de lijst."), field="opposing")
    today = today or utcnow().date()
    involved = set(intake.involved_ids)
    if coordinator_id is not None:
        involved.discard(coordinator_id)
    basis = check_basis(session, None, intake.basis, involved, today)
    case = Case(
        reference=next_reference(session, today.year),
        area_id=intake.area_id,
        urgency=intake.urgency,
        status=CaseStatus.OPEN,
        situation=(intake.situation or "").strip(),
        client_age=intake.client_age,
        language=language,
        constraints=sorted(set(intake.constraints)),
        coordinator_id=coordinator_id,
        preferred_professional_id=intake.preferred_id,
    )
    case.needs = [CaseNeed(domain_id=d, weight=w) for d, w in sorted(intake.needs.items())]
    case.opposing = opposing
    session.add(case)
    session.flush()
    if basis is not None:
        record_basis(session, case, basis, user)
        case.involvements = [CaseInvolvement(professional_id=p, basis=basis)
                             for p in sorted(involved)]
        session.flush()
    answer = analyse_case(session, case, weights, need_weights).suggestion
    case.suggested_lead_id = answer.suggested.candidate.id if answer.suggested else None
    audit.record(session, user, "create", "case", case.id)
    session.flush()
    return case, answer


def decide_lead(session: Session, case: Case, user, lead_id: int, reason: str,
                weights=None, need_weights=None,
                analysis: CaseAnalysis | None = None,
                actions: Mapping[str, str] | None = None,
                basis: BasisInput | None = None) -> Answer:
    """Record the coordinator's decision; the back pocket follows the chosen lead, and the
    plan gets one action for the lead and one per back-pocket member (and "tolk regelen"
    when the lead does not speak the client's language).

    Choosing someone other than the suggestion needs a reason; nobody who breaks a hard rule
    (crisis availability, may-coordinate; an opposing party is no candidate at all) can be
    chosen. Involvements get their roles: the lead ``frontsoldaat``, the back pocket
    ``broekzak``, everyone else stays ``betrokken``. ``actions`` are the plan's texts as the
    coordinator edited them (keyed like ``queries.proposed_actions``; an empty text leaves
    that action out; a key not given keeps the proposed text). ``analysis`` is the case's
    analysis of this request (computed when not given): the ranking is scored once, the back
    pocket rebuilt around the chosen lead. The new actions are ``answer.plan_actions`` of the
    returned value's caller: see ``decide_lead_with_plan``. ``basis``: on what the case is
    shared with the lead and back-pocket members not yet involved (refused without one).
    """
    return decide_lead_with_plan(session, case, user, lead_id, reason, weights, need_weights,
                                 analysis, actions, basis)[0]


@dataclass(frozen=True)
class Decision:
    answer: Answer
    actions: tuple[PlanAction, ...]


def decide_lead_with_plan(session: Session, case: Case, user, lead_id: int, reason: str,
                          weights=None, need_weights=None,
                          analysis: CaseAnalysis | None = None,
                          actions: Mapping[str, str] | None = None,
                          basis: BasisInput | None = None
                          ) -> tuple[Answer, tuple[PlanAction, ...]]:
    """``decide_lead``, also returning the plan actions it added."""
    reason = (reason or "").strip()
    check_free_text(_("Reden"), reason)
    edited = {k: (v or "").strip() for k, v in (actions or {}).items()}
    for text in edited.values():
        if len(text) > 500:
            raise CaseError(_("Plan: een actie is hoogstens 500 tekens."))
        check_free_text(_("Plan"), text)
    if analysis is None:
        analysis = analyse_case(session, case, weights, need_weights)
    suggestion = analysis.suggestion
    suggested_id = suggestion.suggested.candidate.id if suggestion.suggested else None
    chosen = next((s for s in suggestion.ranking if s.candidate.id == lead_id), None)
    if chosen is None:
        raise CaseError(_("Frontsoldaat: deze persoon komt voor deze casus niet in aanmerking."))
    if chosen.blocks:
        raise CaseError(_("Frontsoldaat: kan niet, %(rule)s.",
                          rule="; ".join(rule_sentence(b) for b in chosen.blocks)))
    if lead_id != suggested_id and not reason:
        raise CaseError(_("Reden: geef een reden als je een ander kiest dan de suggestie."))
    answer = with_lead(suggestion, analysis.facts, analysis.network, lead_id)
    newcomers = ({lead_id} | {m.candidate.id for m in answer.back_pocket.members}) - {
        i.professional_id for i in case.involvements} - {case.coordinator_id}
    shared_on = check_basis(session, case, basis, newcomers)
    case.suggested_lead_id = suggested_id
    case.lead_id = lead_id
    case.lead_reason = reason
    case.lead_decided_at = utcnow()
    case.lead_decided_by_id = getattr(user, "id", None)
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.LOPEND
    if shared_on is not None:
        record_basis(session, case, shared_on, user)
    _assign_roles(case, lead_id, answer, shared_on)
    added = []
    for proposal in proposed_actions(answer, analysis.facts, _domain_names(session)):
        text = edited.get(proposal.key, proposal.text)
        if not text:
            continue
        action = PlanAction(case=case, professional_id=proposal.professional_id, what=text)
        session.add(action)
        added.append(action)
    audit.record(session, user, "decide_lead", "case", case.id,
                 lead_id=case.lead_id, suggested_lead_id=case.suggested_lead_id,
                 plan_actions=len(added))
    session.flush()
    _tell_decision(session, case, user, answer)
    return answer, tuple(added)


def _users_of(session: Session, professional_ids) -> dict[int, int]:
    """professional id -> the id of their account (those with one)."""
    from netwerk.models import User

    ids = [p for p in professional_ids if p]
    if not ids:
        return {}
    rows = session.execute(select(User.professional_id, User.id)
                           .where(User.professional_id.in_(ids))).all()
    return {professional: account for professional, account in rows if professional is not None}


def _tell_decision(session: Session, case: Case, user, answer: Answer) -> None:
    """The lead and the back pocket hear of the decision (netwerk/notify; in the app with the
    case reference, by e-mail only that there is something)."""
    from netwerk.notify import notify

    members = [m.candidate.id for m in answer.back_pocket.members]
    accounts = _users_of(session, [case.lead_id, *members])
    me = getattr(user, "id", None)
    stamp = case.lead_decided_at.isoformat() if case.lead_decided_at else ""
    link = f"/casussen/{case.id}"
    if case.lead_id in accounts and accounts[case.lead_id] != me:
        notify(session, [accounts[case.lead_id]], "lead_decided", link,
               _("Casus %(ref)s: je bent gekozen als frontsoldaat", ref=case.reference),
               key=f"lead:{case.id}:{stamp}:lead", case_id=case.id)
    pocket = [accounts[m] for m in members if m in accounts and accounts[m] != me]
    if pocket:
        notify(session, pocket, "lead_decided", link,
               _("Casus %(ref)s: je staat in de broekzak van de frontsoldaat",
                 ref=case.reference), key=f"lead:{case.id}:{stamp}:pocket", case_id=case.id)


def _domain_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Domain.slug, Domain.name)).all())


def admit_opposing(session: Session, case: Case, user, professional_id: int,
                   basis: BasisInput | None = None) -> None:
    """The coordinator lets one involved person of an opposing party see the case, on a
    basis named for it (refused without one)."""
    involvement = _rest_on_basis(session, case, user, professional_id, basis, "admit_opposing")
    involvement.opposing_admitted = True
    session.flush()


def record_involvement_basis(session: Session, case: Case, user, professional_id: int,
                             basis: BasisInput | None = None) -> None:
    """Record afterwards the basis on which an involved person sees the case: for someone
    brought in before a basis was asked for (migration 0007), or whose basis lapsed. Refused
    for the coordinator (who needs none) and for someone who already rests on one."""
    if professional_id == case.coordinator_id:
        raise CaseError(_("Grondslag: de coördinator heeft geen grondslag nodig."))
    current = next((i.basis for i in case.involvements if i.professional_id == professional_id),
                   None)
    if current is not None and current.withdrawn_at is None:
        raise CaseError(_("Grondslag: voor deze persoon is al een grondslag vastgelegd; ververs "
                          "de pagina."))
    _rest_on_basis(session, case, user, professional_id, basis, "record_involvement_basis")
    session.flush()


def _rest_on_basis(session: Session, case: Case, user, professional_id: int,
                   basis: BasisInput | None, action: str) -> CaseInvolvement:
    """Check ``basis`` for ``professional_id``'s involvement, record it and let the
    involvement rest on it (audited as ``action``); a CaseError changes nothing."""
    involvement = next((i for i in case.involvements if i.professional_id == professional_id),
                       None)
    if involvement is None:
        raise CaseError(_("Toegang: deze persoon is niet bij de casus betrokken."))
    checked = check_basis(session, case, basis, {professional_id})
    assert checked is not None  # someone is brought in: a basis, or check_basis raised
    shared_on = record_basis(session, case, checked, user)
    involvement.basis = shared_on
    audit.record(session, user, action, "case", case.id,
                 professional_id=professional_id, basis_id=shared_on.id)
    return involvement


def _assign_roles(case: Case, lead_id: int, answer: Answer,
                  basis: CaseBasis | None = None) -> None:
    """The lead ``frontsoldaat``, the back pocket ``broekzak``, everyone else ``betrokken``;
    who is new rests on ``basis`` (the coordinator sees the case anyway: no basis needed)."""
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
            case.involvements.append(CaseInvolvement(
                professional_id=pid, role=role,
                basis=None if pid == case.coordinator_id else basis))


def add_action(session: Session, case: Case, professional_id: int | None, what: str,
               due: date | None, user=None) -> PlanAction:
    what = (what or "").strip()
    if not what:
        raise CaseError(_("Wat: beschrijf de actie."))
    check_free_text(_("Wat"), what)
    allowed = {i.professional_id for i in case.involvements} | {case.coordinator_id}
    if professional_id is not None and professional_id not in allowed:
        raise CaseError(_("Wie: kies iemand die bij de casus betrokken is."))
    action = PlanAction(case=case, professional_id=professional_id, what=what, due=due)
    session.add(action)
    audit.record(session, user, "add_action", "case", case.id)
    session.flush()
    owner = (_users_of(session, [professional_id]).get(professional_id)
             if professional_id is not None else None)
    if owner is not None and owner != getattr(user, "id", None):
        from netwerk.notify import notify

        notify(session, [owner], "action_new", f"/casussen/{case.id}#actie-{action.id}",
               _("Casus %(ref)s: er is een nieuwe actie voor je", ref=case.reference),
               key=f"action:{action.id}:new", case_id=case.id)
    return action


def set_action_done(session: Session, action: PlanAction, done: bool, user=None) -> None:
    action.done = done
    action.done_at = utcnow() if done else None
    audit.record(session, user, "action_done", "case", action.case_id, action_id=action.id,
                 done=action.done)
    session.flush()


def close_case(session: Session, case: Case, user=None) -> bool:
    """Close the case (it is purged after the retention period); False when it already was."""
    if case.status == CaseStatus.GESLOTEN:
        return False
    case.status = CaseStatus.GESLOTEN
    case.closed_at = utcnow()
    audit.record(session, user, "close", "case", case.id)
    session.flush()
    return True


def record_view(session: Session, user, case: Case) -> None:
    """Every view of a case is in the audit log."""
    audit.record(session, user, "view", "case", case.id)
    session.flush()


def record_refused(session: Session, user, case: Case) -> None:
    """An attempt to open a case one may not see is in the audit log (finding 17)."""
    audit.record(session, user, "refused", "case", case.id)
    session.flush()


def record_list(session: Session, user, cases: list[Case]) -> None:
    """A list showing cases is in the audit log, with the cases it showed."""
    if cases:
        audit.record(session, user, "list", "case", None, case_ids=[c.id for c in cases])
        session.flush()


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
    if ids:  # before the delete: the database would unlink the claims (SET NULL) first
        _scrub_purged(session, set(ids))
    for case in session.scalars(select(Case).where(Case.id.in_(ids))) if ids else ():
        session.delete(case)
    audit.record(session, None, "purge", "case", None, removed=sum(counts.values()),
                 per_wijk_month=dict(sorted(counts.items())), retention_days=retention_days)
    session.flush()
    return counts



def _scrub_purged(session: Session, ids: set[int]) -> None:
    """What a purged case leaves elsewhere goes with it (finding 1): the note of a capacity
    claimed or released for it (case data), and in the audit log the link to it: entries about
    it keep who and when but lose its id and details, lists of cases lose its id; a tie
    made in it keeps the tie, not its note."""
    session.execute(
        update(CapacityEvent).where(CapacityEvent.case_id.in_(ids))
        .values(note="", case_id=None)
    )
    session.execute(update(Tie).where(Tie.case_id.in_(ids)).values(note="", case_id=None))
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "case")):
        if entry.object_id in ids:
            entry.object_id = None
            entry.detail = {}
            continue
        detail = dict(entry.detail or {})
        listed = detail.get("case_ids")
        if isinstance(listed, list) and ids.intersection(listed):
            detail["case_ids"] = [i for i in listed if i not in ids]
            entry.detail = detail
