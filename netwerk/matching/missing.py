"""Missing partners: needs nobody eligible in the wijk covers, and the nearest who do."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netwerk.matching.model import (
    CaseFacts,
    Eligibility,
    MissingPartner,
    NearbyOrganisation,
)


def missing_partners(case: CaseFacts, eligibilities: Sequence[Eligibility]) -> list[MissingPartner]:
    """Per need without an eligible professional in the wijk: the nearest organisations
    outside it that cover it (gemeente first, then regio), and the rules that excluded the
    professionals inside."""
    result = []
    for need in case.needs:
        inside = [e for e in eligibilities
                  if e.candidate.proximity == "wijk" and need.domain in e.covers]
        if inside:
            continue
        excluded_inside = tuple(
            x for e in eligibilities if e.candidate.proximity == "wijk"
            for x in e.exclusions if need.domain in x.domains
        )
        nearest: tuple[NearbyOrganisation, ...] = ()
        level = None
        for lvl in ("gemeente", "regio"):
            by_org: dict[int, list] = {}
            names: Mapping[int, str] = {}
            for e in eligibilities:
                c = e.candidate
                if c.proximity == lvl and need.domain in e.covers:
                    by_org.setdefault(c.organisation_id, []).append(c)
                    names = {**names, c.organisation_id: c.organisation}
            if by_org:
                level = lvl
                nearest = tuple(
                    NearbyOrganisation(
                        org_id, names[org_id], lvl,
                        tuple(sorted(people, key=lambda c: (c.name.casefold(), c.id))),
                    )
                    for org_id, people in sorted(
                        by_org.items(), key=lambda kv: (names[kv[0]].casefold(), kv[0])
                    )
                )
                break
        result.append(MissingPartner(need.domain, need.weight, nearest, level, excluded_inside))
    return result
