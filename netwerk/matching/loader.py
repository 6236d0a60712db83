"""From database rows to the plain values of matching, with bounded queries.

Only professionals whose organisation has a service serving the case's area (its wijk, the
gemeente or the regio above it) are loaded, with the ties among them: a handful of indexed
queries per case, whatever the size of the national network (the statements are in
netwerk/matching/statements.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.matching import statements
from netwerk.matching.model import (
    OUTWARD_LEVELS,
    Candidate,
    CaseFacts,
    Need,
    Network,
    Offer,
    OutwardOffer,
    Rule,
)
from netwerk.models import (
    Area,
    Case,
    describe_rule,
)
from netwerk.models.enums import may_coordinate_by_default


def area_chain(session: Session, area_id: int) -> list[int]:
    """The area and its ancestors: [wijk, gemeente, regio] (one statement)."""
    row = session.connection().execute(statements.CHAIN, {"area": area_id}).first()
    if row is None:
        return [area_id]
    chain = [a for a in row[:3] if a is not None]
    parent = row[3]
    while parent is not None and parent not in chain:  # deeper than regio/gemeente/wijk
        chain.append(parent)
        parent = session.scalar(select(Area.parent_id).where(Area.id == parent))
    return chain


def _levels(chain: list[int]) -> tuple[int, int | None, int | None]:
    """(wijk, gemeente, regio) of a chain (the case's area first)."""
    return (chain[0], chain[1] if len(chain) > 2 else None,
            chain[-1] if len(chain) > 1 else None)


def _rule(r) -> Rule:
    return Rule(str(r.kind), r.value, r.int_value, describe_rule(r.kind, r.value, r.int_value),
                r.description or "")


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        needs=tuple(
            Need(n.domain.slug, n.weight.value)
            for n in sorted(case.needs, key=lambda n: (n.weight.value, n.domain.slug))
        ),
        urgency=case.urgency.value,
        constraints=frozenset(case.constraints or ()),
        client_age=case.client_age,
        language=case.language,
        involved=frozenset(i.professional_id for i in case.involvements),
        preferred_id=case.preferred_professional_id,
        opposing=frozenset(o.id for o in case.opposing),
        area_name=case.area.name if case.area is not None else "",
    )


def load_case_facts(session: Session, case: Case) -> CaseFacts:
    """The case's facts read with one statement (no lazy loading per need)."""
    needs, involved, opposing, area_name = [], set(), set(), ""
    for part, text, weight, number in session.connection().execute(
            statements.CASE_FACTS, {"case": case.id, "area": case.area_id}).all():
        if part == "need":
            needs.append((text, weight))
        elif part == "involved":
            involved.add(number)
        elif part == "opposing":
            opposing.add(number)
        else:
            area_name = text or ""
    return CaseFacts(
        needs=tuple(Need(slug, str(weight)) for slug, weight in
                    sorted(needs, key=lambda n: (str(n[1]), n[0]))),
        urgency=case.urgency.value,
        constraints=frozenset(case.constraints or ()),
        client_age=case.client_age,
        language=case.language,
        involved=frozenset(involved),
        preferred_id=case.preferred_professional_id,
        opposing=frozenset(opposing),
        area_name=area_name,
    )


def load_network(session: Session, area_id: int, language: str | None = None,
                 needs: Iterable[str] | None = None) -> Network:
    """Candidates around a case in ``area_id`` (usually a wijk) and the ties among them.

    With ``needs`` (domain slugs) only professionals covering one of them are loaded, and
    "two steps out" then runs through another such professional. Languages are only read when
    the client speaks another language than Dutch. Three statements after the area chain
    (netwerk/matching/statements.py): the serving services with their organisations, domains
    and rules; the people with their domains and level; the ties among them.
    """
    chain = area_chain(session, area_id)
    run = session.connection().execute  # Core rows: no ORM identity map for read-only data
    wijk, gemeente, regio = _levels(chain)

    services: dict[int, tuple[str, int]] = {}
    domains_of: dict[int, set[str]] = defaultdict(set)
    rules_of: dict[int, dict[int, Rule]] = defaultdict(dict)
    org_names: dict[int, str] = {}
    org_sector: dict[int, str] = {}
    org_leads: dict[int, bool] = {}
    for r in run(statements.SERVICES, {"chain": chain}).all():
        services[r.id] = (r.name, r.organisation_id)
        if r.slug is not None:
            domains_of[r.id].add(r.slug)
        if r.rule_id is not None and r.rule_id not in rules_of[r.id]:
            rules_of[r.id][r.rule_id] = _rule(r)
        oid = r.organisation_id
        if oid not in org_names:
            org_names[oid], org_sector[oid] = r.organisation, str(r.sector)
            org_leads[oid] = (may_coordinate_by_default(str(r.sector)) if r.may_coordinate is None
                              else bool(r.may_coordinate))
    if not services:
        return Network(())
    offers_of: dict[int, list[Offer]] = defaultdict(list)
    for sid in sorted(services):
        name, oid = services[sid]
        offers_of[oid].append(Offer(sid, name, frozenset(domains_of[sid]),
                                    tuple(rules_of[sid][k] for k in sorted(rules_of[sid]))))
    offers = {oid: tuple(found) for oid, found in offers_of.items()}

    foreign = bool(language and language != "nl")
    params: dict = {"chain": chain, "wijk": wijk, "gemeente": gemeente, "regio": regio}
    if needs is not None:
        params["needs"] = sorted(set(needs))
    people: dict[int, tuple] = {}
    skills: dict[int, set[str]] = defaultdict(set)
    for row in run(statements.people(foreign, needs is not None), params).all():
        # (id, name, role, organisation, caseload, max, available, may lead, level, slug, [languages])
        pid, level, slug = row[0], row[8], row[9]
        if level is None or level > 2:
            continue  # works outside the case's regio
        if pid not in people:
            people[pid] = tuple(row)
        if slug is not None:
            skills[pid].add(slug)
    if not people:
        return Network(())
    names = ("wijk", "gemeente", "regio")
    nl = frozenset({"nl"})
    candidates = []
    for pid in sorted(people):
        _id, name, role, oid, caseload, caseload_max, available, may, level = people[pid][:9]
        languages = people[pid][10] if foreign else None
        candidates.append(Candidate(
            id=pid, name=name, organisation_id=oid, organisation=org_names.get(oid, ""),
            domains=frozenset(skills[pid]), proximity=names[level], offers=offers.get(oid, ()),
            caseload=caseload, caseload_max=caseload_max, available=available,
            languages=frozenset(languages) if languages else nl, role=role,
            sector=org_sector.get(oid, ""),
            may_coordinate=org_leads.get(oid, False) if may is None else bool(may),
        ))
    ids = sorted(people)
    rows = run(statements.TIES, {"people": ids, "people_too": ids}).all()
    ties = frozenset((a, b) for a, b in rows)
    return Network(tuple(candidates), ties)


# At most this many services are read per need when searching beyond the regio.
ELSEWHERE_LIMIT = 40


def load_outward(session: Session, area_id: int, domains: Iterable[str],
                 keep: Iterable[int] = ()) -> tuple[OutwardOffer, ...]:
    """Services offering one of ``domains``, searched outward from the wijk ``area_id``: those
    serving the wijk itself, another wijk of its gemeente (``buurwijk``), the gemeente, the
    regio or an area in it; and, for a domain with none of those, a bounded number elsewhere.
    Each with the area it serves, its rules, intake route and number (the rules are checked
    against the case by netwerk.matching.missing). Two statements: the regio, then (only for
    domains the regio does not offer) beyond it. Offers farther than a domain's nearest offer
    without rules cannot be the nearest and are left out, except those of the organisations
    ``keep`` (the candidates' organisations: their people are named with their offer)."""
    domains = sorted(set(domains))
    if not domains:
        return ()
    run = session.connection().execute
    chain = area_chain(session, area_id)
    wijk, gemeente, regio = _levels(chain)
    in_regio = regio is not None
    params: dict = {"domains": domains, "regio": regio, "near": [wijk], "wijk": wijk,
                    "gemeente": gemeente, "keep": sorted(set(keep))}

    def level(r) -> str:
        return OUTWARD_LEVELS[r.level]

    found: dict[tuple[int, int], str] = {}  # (service id, area id) -> level
    details: dict[int, Any] = {}
    area_names: dict[int, str] = {}
    service_domain: dict[int, set[str]] = defaultdict(set)
    rules_of: dict[int, dict[int, Rule]] = defaultdict(dict)

    def take(rows, level_of) -> None:
        for r in rows:
            found[(r.id, r.area_id)] = level_of(r)
            details.setdefault(r.id, r)
            area_names[r.area_id] = r.area
            service_domain[r.id].add(r.slug)
            if r.rule_id is not None and r.rule_id not in rules_of[r.id]:
                rules_of[r.id][r.rule_id] = _rule(r)

    take(run(statements.outward_near(in_regio), params).all(), level)
    near = {d for ds in service_domain.values() for d in ds}
    missing = [d for d in domains if d not in near]
    if missing:
        take(run(statements.outward_elsewhere(in_regio),
                 {**params, "missing": missing, "limit": ELSEWHERE_LIMIT}).all(),
             lambda _r: "elders")
    if not found:
        return ()
    return tuple(
        OutwardOffer(
            organisation_id=s.organisation_id, organisation=s.organisation, service=s.name,
            domains=frozenset(service_domain[sid]), level=lvl, area=area_names.get(aid, ""),
            rules=tuple(rules_of[sid][k] for k in sorted(rules_of[sid])),
            intake_route=s.intake_route or s.org_intake or "", phone=s.phone,
        )
        for (sid, aid), lvl in sorted(found.items())
        for s in (details[sid],)
    )
