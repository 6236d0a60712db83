"""Reading cases: the list of one's cases, the intake's choices, and the case page.

Plain functions taking a ``Session`` and plain values, returning what a page shows; nothing
here writes (netwerk.matching.operations does). The case page is one view model computed
once per request: the case's facts and network are loaded once and matched once
(``analyse_case``); who may be picked as lead and whom an action may go to are decided here,
not in the template or the view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netwerk.auth import policy
from netwerk.i18n import _
from netwerk.matching import cache as answers
from netwerk.matching import wording
from netwerk.matching.cache import analysis_cache as analysis_cache  # the tests empty it
from netwerk.matching.engine import match, needs_searched_outward, with_lead
from netwerk.matching.loader import load_case_facts, load_network, load_outward
from netwerk.matching.model import Answer, CaseFacts, Network
from netwerk.models import (
    Area,
    AreaKind,
    Case,
    Domain,
    Organisation,
    Professional,
    professional_areas,
)

# How many capable candidates the lead choice offers (plus the involved and the lead).
LEAD_CHOICES = 6


# -- the matching answer -------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseAnalysis:
    """A case's facts and network as loaded once, and the engine's suggestion for them."""

    facts: CaseFacts
    network: Network
    suggestion: Answer  # around the suggested lead

    def answer(self, lead_id: int | None) -> Answer:
        """The answer with the back pocket around ``lead_id`` (the suggestion when None)."""
        return with_lead(self.suggestion, self.facts, self.network, lead_id)


def configured_weights(weights=None, need_weights=None) -> tuple[dict, dict]:
    """The weights in force: those given, else the app's configuration (MATCHING_WEIGHTS,
    MATCHING_NEED_WEIGHTS), else netwerk/settings.py's: one source for intake and page."""
    from netwerk.settings import Config

    config: dict = {}
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            config = current_app.config
    except ImportError:  # pragma: no cover - Flask is a dependency
        pass
    if weights is None:
        weights = config.get("MATCHING_WEIGHTS") or Config.MATCHING_WEIGHTS
    if need_weights is None:
        need_weights = config.get("MATCHING_NEED_WEIGHTS") or Config.MATCHING_NEED_WEIGHTS
    return dict(weights), dict(need_weights)


def _analyse(session: Session, case: Case, facts: CaseFacts, weights: dict,
             need_weights: dict) -> CaseAnalysis:
    network = load_network(session, case.area_id, case.language,
                           needs={n.domain for n in facts.needs})
    outward = needs_searched_outward(facts, network)
    if outward:
        keep = {c.organisation_id for c in network.candidates}
        network = replace(network, outward=load_outward(session, case.area_id, outward, keep))
    return CaseAnalysis(facts, network, match(facts, network, weights, need_weights))


def analyse_case(session: Session, case: Case, weights=None, need_weights=None,
                 cached: bool = True) -> CaseAnalysis:
    """Load the case and its network (bounded queries, plus the outward search for needs
    nobody in the wijk covers) and match once; the answer is kept per case, facts, weights
    and data version (netwerk/matching/cache.py), so the next page view of an unchanged case
    does not match again, and any change the answer depends on is seen at the next one."""
    session.flush()
    weights, need_weights = configured_weights(weights, need_weights)
    facts = load_case_facts(session, case)
    if not cached:
        return _analyse(session, case, facts, weights, need_weights)
    key = ("case_analysis", case.id, case.area_id, case.language, facts,
           tuple(sorted(weights.items())), tuple(sorted(need_weights.items())))
    return answers.cached(session, key, lambda: _analyse(session, case, facts, weights, need_weights))


def answer_for(session: Session, case: Case, weights=None, need_weights=None) -> Answer:
    """The matching answer for a case; once a lead is decided, the back pocket is theirs."""
    return analyse_case(session, case, weights, need_weights).answer(case.lead_id)


# -- lists ------------------------------------------------------------------------------------

def visible_cases(session: Session, user) -> list[Case]:
    """The cases ``user`` may see (the policy's SQL twin of ``can_view_case``)."""
    query = select(Case).options(selectinload(Case.involvements), selectinload(Case.area))
    query = query.where(policy.visible_case_filter(user))
    return list(session.scalars(query.order_by(Case.status, Case.created_at.desc(), Case.id)))


def professionals(session: Session, ids) -> dict[int, Professional]:
    """The professionals with ``ids`` (and their organisations), by id."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = session.scalars(
        select(Professional).options(selectinload(Professional.organisation))
        .where(Professional.id.in_(ids))
    )
    return {p.id: p for p in rows}


@dataclass
class CaseList:
    cases: list[Case]
    people: dict[int, Professional]


def case_list(session: Session, user, is_admin: bool) -> CaseList:
    """Mijn casussen: the cases ``user`` coordinates or is involved in, with their people."""
    cases = visible_cases(session, user)
    people = professionals(session, {i.professional_id for c in cases for i in c.involvements}
                           | {c.coordinator_id for c in cases} | {c.lead_id for c in cases})
    return CaseList(cases, people)


# -- intake -----------------------------------------------------------------------------------

@dataclass
class IntakeOptions:
    wijken: list[tuple[int, str]]  # "Gemeente – Wijk", sorted
    domains: list[tuple[str, str]]  # (slug, name) by name
    people: list[tuple[int, str]]  # "Name (Organisation)" by name
    organisations: list[tuple[int, str]]  # "Organisation (sector)" by name: for ``opposing``


def _regios_of(me: Professional) -> set[int]:
    found = set()
    for area in me.areas:
        top = area
        while top.parent is not None:
            top = top.parent
        found.add(top.id)
    return found


def _gemeenten_of(me: Professional) -> set[int]:
    gemeenten: set[int] = set()
    for area in me.areas:
        if area.kind == AreaKind.WIJK and area.parent_id:
            gemeenten.add(area.parent_id)
        elif area.kind == AreaKind.GEMEENTE:
            gemeenten.add(area.id)
    return gemeenten


def intake_options(session: Session, me: Professional | None, everywhere: bool) -> IntakeOptions:
    """The intake's choices: the wijken of the coordinator's regio(s) and the professionals
    of their gemeente(n); everything for a beheerder (``everywhere``) or someone without
    areas."""
    query = select(Area.id, Area.name, Area.parent_id).where(Area.kind == AreaKind.WIJK)
    regios = set() if me is None or everywhere else _regios_of(me)
    if regios:
        gemeenten = select(Area.id).where(Area.parent_id.in_(regios))
        query = query.where(Area.parent_id.in_(gemeenten))
    wijken = session.execute(query).all()
    parents = dict(session.execute(select(Area.id, Area.name)).all())
    wijk_choices = sorted(((w.id, f"{parents.get(w.parent_id, '')} – {w.name}") for w in wijken),
                          key=lambda c: c[1])
    domains = [(d.slug, d.name) for d in
               session.execute(select(Domain.slug, Domain.name).order_by(Domain.name)).all()]
    people = select(Professional.id, Professional.name, Organisation.name.label("organisation")
                    ).join(Organisation, Organisation.id == Professional.organisation_id
                           ).where(Professional.active).order_by(Professional.name)
    gemeenten_ids = set() if me is None or everywhere else _gemeenten_of(me)
    if gemeenten_ids:
        local = select(Area.id).where(Area.id.in_(gemeenten_ids)
                                      | Area.parent_id.in_(gemeenten_ids))
        people = people.where(Professional.id.in_(
            select(professional_areas.c.professional_id)
            .where(professional_areas.c.area_id.in_(local))))
    from netwerk.models.enums import sector_label

    orgs = [(o.id, f"{o.name} ({sector_label(o.sector)})") for o in session.execute(
        select(Organisation.id, Organisation.name, Organisation.sector)
        .where(Organisation.id.in_(select(Professional.organisation_id)
                                   .where(Professional.id.in_(
                                       select(people.subquery().c.id)))))
        .order_by(Organisation.name)).all()]
    return IntakeOptions(wijk_choices, domains,
                         [(p.id, f"{p.name} ({p.organisation})")
                          for p in session.execute(people).all()], orgs)


# -- the case page ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposedAction:
    """An action confirming the lead puts in the plan (the coordinator may edit it first)."""

    key: str  # "lead", "pocket-<id>", "tolk": the form field is "plan-<key>"
    professional_id: int | None
    text: str


def proposed_actions(answer: Answer, facts: CaseFacts,
                     domains: dict[str, str]) -> list[ProposedAction]:
    """One action for the lead, one per back-pocket member ("op de achterhand voor
    schulden"), and "tolk regelen" when the lead does not speak the client's language."""
    if answer.lead is None:
        return []
    lead = answer.lead
    covers = wording.join(wording.domain_names(lead.eligibility.covers, domains))
    if facts.urgency == "crisis":
        text = _("Vandaag contact met het huishouden; frontsoldaat voor %(what)s",
                         what=covers)
    else:
        text = _("Gaat als frontsoldaat naar binnen voor %(what)s; maakt het plan "
                         "met het huishouden", what=covers)
    found = [ProposedAction("lead", lead.candidate.id, text)]
    if answer.interpreter:
        found.append(ProposedAction("tolk", lead.candidate.id, _(
            "Tolk regelen (%(language)s)", language=wording.language_name(answer.language))))
    for m in answer.back_pocket.members:
        found.append(ProposedAction(
            f"pocket-{m.candidate.id}", m.candidate.id,
            _("Op de achterhand voor %(what)s",
                      what=wording.join(wording.domain_names(m.covers, domains)))))
    return found


@dataclass
class CasePage:
    """Everything the case page shows, computed once."""

    case: Case
    answer: Answer
    people: dict[int, Professional]
    domains: dict[str, str]
    roles: dict[int, str]
    free_places: list | None
    manage: bool
    lead_choices: list[tuple[int, str]]  # who may be picked as lead on the form
    default_lead_id: int | None  # the decided lead, else the suggestion
    action_people: list[tuple[int, str]]  # to whom a plan action may go, by name
    analysis: CaseAnalysis
    reasons: list[tuple[str, str]]  # the lead's top three reasons: (term, sentence)
    plan: list[ProposedAction]  # what confirming puts in the plan
    opposing_ids: set[int]  # organisations with an opposing interest
    not_admitted: list[int]  # involved people of an opposing party who do not see the case
    newcomers: list[int]  # whom confirming brings into the case (they need a basis)
    active_bases: list  # the case's bases not withdrawn (CaseBasis), to choose from
    resting: dict[int, list[int]]  # basis id -> the involved resting on it


def lead_choices(answer: Answer, case: Case) -> list[tuple[int, str]]:
    """Who the lead form offers: the first LEAD_CHOICES candidates who break no hard rule,
    then any further one of them who is involved or is the current lead."""
    capable = [s for s in answer.ranking if s.may_lead]
    involved = {i.professional_id for i in case.involvements}
    shown = capable[:LEAD_CHOICES] + [s for s in capable[LEAD_CHOICES:]
                                      if s.candidate.id in involved or s.candidate.id == case.lead_id]
    return [(s.candidate.id, s.candidate.name) for s in shown]


def action_people_ids(case: Case) -> set[int]:
    """To whom a plan action may go: the involved and the coordinator."""
    people = {i.professional_id for i in case.involvements}
    return people | {case.coordinator_id} if case.coordinator_id is not None else people


def free_places(session: Session, case: Case) -> list | None:
    """Free places near the case, when the capacity capability is installed (else None)."""
    try:
        from netwerk.capacity.queries import free_capacity
    except ImportError:
        return None
    places = [p for p in free_capacity(session, case.area_id) if p.available > 0]
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({p.organisation_id for p in places}))).all()) if places else {}
    return [(p, names.get(p.organisation_id, "")) for p in places]


def case_page(session: Session, case: Case, manage: bool, weights=None, need_weights=None,
              analysis: CaseAnalysis | None = None) -> CasePage:
    """The case page of ``case``; ``manage``: whether the viewer manages it (forms shown).
    ``analysis`` is this request's, when an operation already made it."""
    if analysis is None:
        analysis = analyse_case(session, case, weights, need_weights)
    answer = analysis.answer(case.lead_id)
    involved = {i.professional_id for i in case.involvements}
    people = professionals(session, {s.candidate.id for s in answer.ranking} | involved
                           | {case.coordinator_id, case.lead_id, case.suggested_lead_id,
                              case.preferred_professional_id}
                           | {a.professional_id for a in case.actions})
    action_people = sorted(((pid, people[pid].name) for pid in action_people_ids(case)
                            if pid in people), key=lambda c: c[1])
    domains = dict(session.execute(select(Domain.slug, Domain.name)).all())
    opposing = case.opposing_ids
    involved_now = {i.professional_id for i in case.involvements}
    newcomers = [] if answer.lead is None else sorted(
        ({answer.lead.candidate.id} | {m.candidate.id for m in answer.back_pocket.members})
        - involved_now - {case.coordinator_id})
    resting: dict[int, list[int]] = {}
    for i in case.involvements:
        if i.basis_id is not None:
            resting.setdefault(i.basis_id, []).append(i.professional_id)
    return CasePage(
        case=case, answer=answer, people=people, domains=domains,
        roles={i.professional_id: i.role.value for i in case.involvements},
        free_places=free_places(session, case), manage=manage,
        lead_choices=lead_choices(answer, case),
        default_lead_id=case.lead_id or (answer.suggested.candidate.id if answer.suggested
                                         else None),
        action_people=action_people, analysis=analysis,
        reasons=wording.reasons(answer.lead, analysis.facts, domains) if answer.lead else [],
        plan=proposed_actions(answer, analysis.facts, domains),
        opposing_ids=opposing,
        not_admitted=sorted(i.professional_id for i in case.involvements
                            if not i.opposing_admitted and i.professional_id in people
                            and people[i.professional_id].organisation_id in opposing),
        newcomers=newcomers,
        active_bases=[b for b in case.bases if b.withdrawn_at is None],
        resting=resting,
    )
