"""Missing partners: needs nobody eligible in the wijk covers, and the nearest who do.

The search goes outward from the case's wijk (``OUTWARD_LEVELS``): services that serve the
wijk itself while nobody of theirs works in it, then the other wijken of the gemeente, the
gemeente, the regio, then beyond. Only services whose rules admit the case count. "Nergens in
de regio" is said only when no service in the regio offers the need to this case.
"""

from __future__ import annotations

from collections.abc import Sequence

from netwerk.matching.eligibility import rule_admits
from netwerk.matching.model import (
    OUTWARD_LEVELS,
    CaseFacts,
    Eligibility,
    FoundOrganisation,
    MissingPartner,
    NearbyOrganisation,
    OutwardOffer,
)

# How many organisations a missing need names at its nearest level.
NEAREST_SHOWN = 5


def missing_domains(case: CaseFacts, eligibilities: Sequence[Eligibility]) -> list[str]:
    """The case's needs that no eligible professional working in the wijk covers."""
    inside = {d for e in eligibilities if e.candidate.proximity == "wijk" for d in e.covers}
    return [n.domain for n in case.needs if n.domain not in inside]


def missing_partners(case: CaseFacts, eligibilities: Sequence[Eligibility],
                     outward: Sequence[OutwardOffer] = ()) -> list[MissingPartner]:
    """Per need without an eligible professional in the wijk: the nearest organisations that
    offer it to this case (searched outward), and the rules that excluded the people inside."""
    rank = {lvl: i for i, lvl in enumerate(OUTWARD_LEVELS)}
    missing = set(missing_domains(case, eligibilities))
    result = []
    for need in case.needs:
        if need.domain not in missing:
            continue
        excluded_inside = tuple(
            x for e in eligibilities if e.candidate.proximity == "wijk"
            for x in e.exclusions if need.domain in x.domains
        )
        # organisation -> its nearest admitting offer, or where its eligible people work
        best: dict[int, FoundOrganisation] = {}
        for offer in outward:
            if need.domain not in offer.domains:
                continue
            if not all(rule_admits(r, case) for r in offer.rules):
                continue
            known = best.get(offer.organisation_id)
            if known is None or (rank[offer.level], offer.area) < (rank[known.level], known.area):
                best[offer.organisation_id] = offer
        people: dict[int, list] = {}
        for e in eligibilities:
            if need.domain in e.covers:
                c = e.candidate
                people.setdefault(c.organisation_id, []).append(c)
                # An eligible candidate outside the wijk: their organisation serves the case's
                # area, found at the level where they work (also without an outward search).
                known = best.get(c.organisation_id)
                if known is None or rank[c.proximity] < rank[known.level]:
                    best[c.organisation_id] = FoundOrganisation(
                        organisation_id=c.organisation_id, organisation=c.organisation,
                        level=c.proximity, area=known.area if known else "",
                        intake_route=known.intake_route if known else "",
                        phone=known.phone if known else None)
        level = min((o.level for o in best.values()), key=rank.__getitem__, default=None)
        nearest = tuple(
            NearbyOrganisation(
                organisation_id=o.organisation_id, organisation=o.organisation, level=o.level,
                area=o.area, intake_route=o.intake_route, phone=o.phone,
                professionals=tuple(sorted(people.get(o.organisation_id, ()),
                                           key=lambda c: (c.name.casefold(), c.id))),
            )
            for o in sorted((o for o in best.values() if o.level == level),
                            key=lambda o: (o.organisation.casefold(), o.organisation_id))
        )[:NEAREST_SHOWN]
        result.append(MissingPartner(need.domain, need.weight, nearest, level, excluded_inside))
    return result
