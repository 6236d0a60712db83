"""Scoring candidates for the lead: every term in [0, 1], weights from configuration.

Terms (see docs/matching.md): ``coverage`` (weighted share of the needs covered), ``continuity``
(already involved with the household), ``wish`` (the client's own preferred professional, when
they have room), ``language`` (speaks the client's language), ``reach`` (how directly the
candidate is tied to people who cover the needs they do not), ``room`` (caseload headroom; in a
crisis: available now), ``proximity`` (wijk > gemeente > regio).

Hard rules come before any score (``blocks``): whoever breaks one is ranked after everyone who
breaks none, whatever the weights, and is never the suggested lead. Among those who break none
the highest total leads; ties are broken by coverage, continuity, then name and id, so the
same input always gives the same lead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from netwerk.matching.model import (
    CRISIS_UNAVAILABLE,
    MAY_NOT_COORDINATE,
    TERMS,
    CaseFacts,
    Eligibility,
    Scored,
    Term,
    WhyNot,
)

PROXIMITY_VALUE: dict[str, float] = {"wijk": 1.0, "gemeente": 0.5, "regio": 0.25}
EPS = 1e-9


def need_weight(weight: str, need_weights: Mapping[str, float]) -> float:
    return float(need_weights.get(weight, 1.0))


def coverage(case: CaseFacts, covers: frozenset[str], need_weights: Mapping[str, float]) -> float:
    total = sum(need_weight(n.weight, need_weights) for n in case.needs)
    if total <= 0:
        return 0.0
    return sum(need_weight(n.weight, need_weights) for n in case.needs if n.domain in covers) / total


def room(case: CaseFacts, elig: Eligibility) -> float:
    """Caseload headroom as a share of the maximum; in a crisis 1 when available now, else 0."""
    c = elig.candidate
    if not c.available or c.caseload_max <= 0:
        return 0.0
    headroom = max(c.caseload_max - c.caseload, 0)
    if case.urgency == "crisis":
        return 1.0 if headroom > 0 else 0.0
    return min(headroom / c.caseload_max, 1.0)


def speaks(case: CaseFacts, elig: Eligibility) -> bool:
    """Whether the candidate speaks the client's language (always, when that is Dutch)."""
    language = case.foreign_language
    return language is None or language in {x.lower() for x in elig.candidate.languages}


def lead_blocks(case: CaseFacts, elig: Eligibility) -> tuple[str, ...]:
    """The hard rules that keep this candidate from leading (LEAD_RULES), in that order.

    In a crisis the lead is available today with room; only people whose organisation (or
    role) may coordinate lead. Language is no rule: it is the ``language`` term."""
    found = []
    if case.urgency == "crisis" and room(case, elig) <= 0:
        found.append(CRISIS_UNAVAILABLE)
    if not elig.candidate.may_coordinate:
        found.append(MAY_NOT_COORDINATE)
    return tuple(found)


@dataclass(frozen=True)
class Neighbourhood:
    """The people around a case as scoring sees them: per need the ids of the eligible people
    who cover it (``coverers``, from ``coverers_by_domain``) and everyone's ties (``adjacency``)."""

    coverers: Mapping[str, frozenset[int]]
    adjacency: Mapping[int, frozenset[int]]


def reach(case: CaseFacts, elig: Eligibility, around: Neighbourhood,
          need_weights: Mapping[str, float]) -> float:
    """How directly ``elig.candidate`` is tied to people covering the needs they do not.

    Per remaining need that someone else can cover: 1 when a direct tie covers it, ½ when
    someone two steps out does, 0 otherwise; weighted by need. Nothing remaining: 1.
    """
    me = elig.candidate.id
    first = around.adjacency.get(me, frozenset())
    second: set[int] = set()
    for other in first:
        second |= around.adjacency.get(other, frozenset())
    second -= first | {me}
    total = got = 0.0
    for need in case.needs:
        if need.domain in elig.covers:
            continue
        others = around.coverers.get(need.domain, frozenset()) - {me}
        if not others:
            continue
        w = need_weight(need.weight, need_weights)
        total += w
        if others & first:
            got += w
        elif others & second:
            got += w * 0.5
    return 1.0 if total == 0 else got / total


def coverers_by_domain(eligibilities: Sequence[Eligibility]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for e in eligibilities:
        for d in e.covers:
            found.setdefault(d, set()).add(e.candidate.id)
    return {d: frozenset(ids) for d, ids in found.items()}


def score(case: CaseFacts, elig: Eligibility, around: Neighbourhood,
          weights: Mapping[str, float], need_weights: Mapping[str, float]) -> Scored:
    """Every term of one eligible candidate, with the weights that apply (from configuration:
    ``MATCHING_WEIGHTS``, ``MATCHING_NEED_WEIGHTS`` in netwerk/settings.py)."""
    c = elig.candidate
    free = room(case, elig)
    values = {
        "coverage": coverage(case, elig.covers, need_weights),
        "continuity": 1.0 if c.id in case.involved else 0.0,
        "wish": 1.0 if (c.id == case.preferred_id and free > 0) else 0.0,
        "language": 1.0 if speaks(case, elig) else 0.0,
        "reach": reach(case, elig, around, need_weights),
        "room": free,
        "proximity": PROXIMITY_VALUE.get(c.proximity, 0.0),
    }
    terms = tuple(Term(name, values[name], float(weights.get(name, 0.0))) for name in TERMS)
    return Scored(eligibility=elig, terms=terms, blocks=lead_blocks(case, elig))


def rank_key(s: Scored) -> tuple:
    """Who breaks no hard rule first; then the highest total; then coverage, continuity; then
    name and id (deterministic)."""
    return (
        bool(s.blocks),
        -round(s.total, 9),
        -round(s.term("coverage").value, 9),
        -s.term("continuity").value,
        s.candidate.name.casefold(),
        s.candidate.id,
    )


def rank(scored: Sequence[Scored]) -> list[Scored]:
    return sorted(scored, key=rank_key)


def why_not(lead: Scored, other: Scored) -> WhyNot:
    """Why ``other`` is not the lead: the hard rules they break (these decide, whatever the
    points), the terms on which they are behind ``lead`` and by how many points each, and the
    terms on which they are ahead."""
    behind, ahead = [], []
    for term in lead.terms:
        delta = term.points - other.term(term.name).points
        if delta > EPS:
            behind.append((term.name, round(delta, 3)))
        elif delta < -EPS:
            ahead.append((term.name, round(-delta, 3)))
    behind.sort(key=lambda item: (-item[1], item[0]))
    ahead.sort(key=lambda item: (-item[1], item[0]))
    return WhyNot(
        candidate=other.candidate,
        behind=tuple(behind),
        points_behind=round(lead.total - other.total, 3),
        blocks=other.blocks,
        exclusions=other.eligibility.exclusions,
        ahead=tuple(ahead),
    )
