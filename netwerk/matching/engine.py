"""One call from a case and its network to the answer: lead, why / why not, back pocket,
missing partners and the count of organisations that would go in without coordination."""

from __future__ import annotations

from collections.abc import Mapping

from netwerk.matching.back_pocket import Option, back_pocket, distances_from
from netwerk.matching.eligibility import eligibility
from netwerk.matching.missing import missing_partners
from netwerk.matching.model import Answer, BackPocket, CaseFacts, Network
from netwerk.matching.scoring import (
    coverers_by_domain,
    rank,
    score,
    why_not,
)
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
    all_elig = [eligibility(case, c) for c in network.candidates]
    eligible = [e for e in all_elig if e.eligible]
    excluded = tuple(
        sorted((e for e in all_elig if not e.eligible and e.exclusions),
               key=lambda e: (e.candidate.name.casefold(), e.candidate.id))
    )
    coverers = coverers_by_domain(eligible)
    ranking = tuple(rank([score(case, e, coverers, adjacency, weights, need_weights)
                          for e in eligible]))
    suggested = ranking[0] if ranking and ranking[0].lead_block is None else None
    lead = suggested
    if lead_id is not None:
        lead = next((s for s in ranking if s.candidate.id == lead_id), None)
    why = {s.candidate.id: why_not(suggested, s) for s in ranking
           if suggested is not None and s is not suggested}
    needs = frozenset(n.domain for n in case.needs)
    if lead is None:
        pocket = BackPocket((), needs, needs - frozenset(coverers), "none")
    else:
        remaining = needs - lead.eligibility.covers
        dist = distances_from(lead.candidate.id, adjacency)
        options = [
            Option(s.candidate, s.eligibility.covers & remaining,
                   dist.get(s.candidate.id, 3), s.total)
            for s in ranking
            if s is not lead and s.eligibility.covers & remaining
        ]
        pocket = back_pocket(remaining, options, method)
    organisations = {e.candidate.organisation_id for e in eligible}
    return Answer(
        lead=lead,
        suggested=suggested,
        ranking=ranking,
        why_not=why,
        excluded=excluded,
        back_pocket=pocket,
        missing=tuple(missing_partners(case, all_elig)),
        organisations_without_coordination=len(organisations),
        weights=weights,
    )
