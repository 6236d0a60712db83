"""One call from a case and its network to the answer: lead, why / why not, back pocket,
missing partners and the count of organisations that would go in without coordination.

Hard rules first (docs/matching.md): a person of an organisation with an opposing interest is
out of the case (not the lead, not in the back pocket; listed as excluded with the rule
``opposing_interest``); eligibility rules take people out for the needs they refuse; in a
crisis only someone available today may lead, and only someone who may coordinate. The score
only orders those who break no rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from netwerk.matching.back_pocket import Option, back_pocket, distances_from
from netwerk.matching.eligibility import eligibility
from netwerk.matching.missing import missing_domains, missing_partners
from netwerk.matching.model import (
    OPPOSING_INTEREST,
    Answer,
    BackPocket,
    CaseFacts,
    Eligibility,
    Exclusion,
    Network,
    Scored,
)
from netwerk.matching.scoring import Neighbourhood, coverers_by_domain, rank, score, why_not
from netwerk.settings import Config


def match(
    case: CaseFacts,
    network: Network,
    weights: Mapping[str, float] | None = None,
    need_weights: Mapping[str, float] | None = None,
    lead_id: int | None = None,
    method: str = "auto",
) -> Answer:
    """Suggest the lead for ``case``; with ``lead_id`` (a decided lead) build the back pocket
    around that person instead of the suggestion."""
    # Without weights: the configured defaults (netwerk/settings.py, the only place they are set).
    weights = dict(Config.MATCHING_WEIGHTS if weights is None else weights)
    need_weights = dict(Config.MATCHING_NEED_WEIGHTS if need_weights is None else need_weights)
    adjacency = network.adjacency()
    all_elig = eligibilities(case, network)
    eligible = [e for e in all_elig if e.eligible]
    excluded = tuple(
        sorted((e for e in all_elig if not e.eligible and e.exclusions),
               key=lambda e: (e.candidate.name.casefold(), e.candidate.id))
    )
    around = Neighbourhood(coverers_by_domain(eligible), adjacency)
    ranking = tuple(rank([score(case, e, around, weights, need_weights) for e in eligible]))
    suggested = ranking[0] if ranking and ranking[0].may_lead else None
    lead = suggested
    if lead_id is not None:
        lead = next((s for s in ranking if s.candidate.id == lead_id), None)
    why = {s.candidate.id: why_not(suggested, s) for s in ranking
           if suggested is not None and s is not suggested}
    pocket = _pocket(case, ranking, lead, adjacency, frozenset(around.coverers), method)
    organisations = {e.candidate.organisation_id for e in eligible}
    return Answer(
        lead=lead,
        suggested=suggested,
        ranking=ranking,
        why_not=why,
        excluded=excluded,
        back_pocket=pocket,
        missing=tuple(missing_partners(case, all_elig, network.outward)),
        organisations_without_coordination=len(organisations),
        weights=weights,
        language=case.foreign_language,
    )


def eligibilities(case: CaseFacts, network: Network) -> list[Eligibility]:
    """Each candidate's eligibility; a person of an organisation with an opposing interest
    covers nothing and carries the rule ``opposing_interest`` (for the needs they would
    otherwise cover)."""
    needs = {n.domain for n in case.needs}
    found = []
    for c in network.candidates:
        if c.organisation_id in case.opposing:
            would = eligibility(case, c).covers or (c.domains & needs)
            found.append(Eligibility(c, frozenset(), (Exclusion(
                professional_id=c.id, professional=c.name, organisation=c.organisation,
                service="", rule_kind=OPPOSING_INTEREST, rule_text="",
                domains=frozenset(would)),)))
        else:
            found.append(eligibility(case, c))
    return found


def needs_searched_outward(case: CaseFacts, network: Network) -> list[str]:
    """The needs nobody eligible in the wijk covers: what the outward search looks for."""
    return missing_domains(case, eligibilities(case, network))


def _pocket(case: CaseFacts, ranking: tuple[Scored, ...], lead: Scored | None,
            adjacency: Mapping[int, frozenset[int]], covered: frozenset[str],
            method: str) -> BackPocket:
    needs = frozenset(n.domain for n in case.needs)
    if lead is None:
        return BackPocket((), needs, needs - covered, "none")
    remaining = needs - lead.eligibility.covers
    dist = distances_from(lead.candidate.id, adjacency)
    options = [
        Option(s.candidate, s.eligibility.covers & remaining,
               dist.get(s.candidate.id, 3), s.total)
        for s in ranking
        if s is not lead and s.eligibility.covers & remaining
    ]
    return back_pocket(remaining, options, method)


def with_lead(answer: Answer, case: CaseFacts, network: Network, lead_id: int | None,
              method: str = "auto") -> Answer:
    """``answer`` (from ``match`` on the same case and network) with the back pocket built
    around ``lead_id`` (None: around the suggestion), without scoring everyone again; equal
    to ``match(case, network, ..., lead_id=lead_id)``. The ranking does not depend on the
    lead: only who leads and the back pocket do."""
    lead = answer.suggested
    if lead_id is not None:
        lead = next((s for s in answer.ranking if s.candidate.id == lead_id), None)
    if lead is answer.lead:
        return answer
    covered = frozenset(d for s in answer.ranking for d in s.eligibility.covers)
    pocket = _pocket(case, answer.ranking, lead, network.adjacency(), covered, method)
    return replace(answer, lead=lead, back_pocket=pocket)
