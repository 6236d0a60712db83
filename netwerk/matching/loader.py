"""From database rows to the plain values of matching, with bounded queries.

Only professionals whose organisation has a service serving the case's area (its wijk, the
gemeente or the regio above it) are loaded, with the ties among them: a handful of indexed
queries per case, whatever the size of the national network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from netwerk.matching.model import (
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
    AreaKind,
    Case,
    Domain,
    EligibilityRule,
    Organisation,
    Professional,
    Service,
    Tie,
    case_opposing,
    describe_rule,
    professional_areas,
    professional_domains,
    service_areas,
    service_domains,
)
from netwerk.models.enums import may_coordinate_by_default


def area_chain(session: Session, area_id: int) -> list[int]:
    """The area and its ancestors: [wijk, gemeente, regio]."""
    chain = [area_id]
    parent = session.scalar(select(Area.parent_id).where(Area.id == area_id))
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = session.scalar(select(Area.parent_id).where(Area.id == parent))
    return chain


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
    """The case's facts read with two small queries (no lazy loading per need)."""
    from netwerk.models import CaseInvolvement, CaseNeed

    needs = session.execute(
        select(Domain.slug, CaseNeed.weight).join(Domain, Domain.id == CaseNeed.domain_id)
        .where(CaseNeed.case_id == case.id)
    ).all()
    involved = session.scalars(
        select(CaseInvolvement.professional_id).where(CaseInvolvement.case_id == case.id)
    ).all()
    opposing = session.scalars(
        select(case_opposing.c.organisation_id).where(case_opposing.c.case_id == case.id)
    ).all()
    area_name = session.scalar(select(Area.name).where(Area.id == case.area_id)) or ""
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
    the client speaks another language than Dutch.
    """
    chain = area_chain(session, area_id)
    run = session.connection().execute  # Core rows: no ORM identity map for read-only data
    wijk = chain[0]
    gemeente = chain[1] if len(chain) > 2 else None
    regio = chain[-1] if len(chain) > 1 else None

    serving = select(service_areas.c.service_id).where(service_areas.c.area_id.in_(chain))
    services = run(
        select(Service.id, Service.name, Service.organisation_id).where(Service.id.in_(serving))
    ).all()
    if not services:
        return Network(())
    org_ids = {s.organisation_id for s in services}
    service_ids = [s.id for s in services]
    domains_of: dict[int, set[str]] = defaultdict(set)
    for sid, slug in run(
        select(service_domains.c.service_id, Domain.slug)
        .join(Domain, Domain.id == service_domains.c.domain_id)
        .where(service_domains.c.service_id.in_(service_ids))
    ):
        domains_of[sid].add(slug)
    rules_of: dict[int, list[Rule]] = defaultdict(list)
    for r in run(
        select(EligibilityRule.service_id, EligibilityRule.kind, EligibilityRule.value,
               EligibilityRule.int_value, EligibilityRule.description)
        .where(EligibilityRule.service_id.in_(service_ids))
        .order_by(EligibilityRule.id)
    ):
        text = describe_rule(r.kind, r.value, r.int_value)
        rules_of[r.service_id].append(
            Rule(str(r.kind), r.value, r.int_value, text, r.description or ""))
    offers_of: dict[int, list[Offer]] = defaultdict(list)
    for s in sorted(services, key=lambda s: s.id):
        offers_of[s.organisation_id].append(
            Offer(s.id, s.name, frozenset(domains_of[s.id]), tuple(rules_of[s.id]))
        )
    org_names, org_sector, org_leads = {}, {}, {}
    for oid, name, sector, may in run(
        select(Organisation.id, Organisation.name, Organisation.sector,
               Organisation.may_coordinate).where(Organisation.id.in_(org_ids))
    ):
        org_names[oid], org_sector[oid] = name, str(sector)
        org_leads[oid] = may_coordinate_by_default(str(sector)) if may is None else bool(may)

    people = run(
        select(Professional.id, Professional.name, Professional.role, Professional.organisation_id,
               Professional.caseload, Professional.caseload_max, Professional.available,
               Professional.may_coordinate,
               *([Professional.languages] if language and language != "nl" else []))
        .where(Professional.active, Professional.organisation_id.in_(org_ids))
    ).all()
    skills: dict[int, set[str]] = defaultdict(set)
    for pid, slug in run(
        select(professional_domains.c.professional_id, Domain.slug)
        .join(Domain, Domain.id == professional_domains.c.domain_id)
        .where(professional_domains.c.professional_id.in_([p.id for p in people]))
    ):
        skills[pid].add(slug)
    if needs is not None:
        # Only people who cover at least one of the case's domains take part.
        wanted = set(needs)
        people = [p for p in people if skills[p.id] & wanted]
    people_ids = sorted(p.id for p in people)
    if not people_ids:
        return Network(())
    parent = aliased(Area)
    levels: dict[int, int] = {}  # professional -> 0 wijk, 1 gemeente, 2 regio
    for pid, aid, pa, gpa in run(
        select(professional_areas.c.professional_id, Area.id, Area.parent_id, parent.parent_id)
        .join(Area, Area.id == professional_areas.c.area_id)
        .outerjoin(parent, parent.id == Area.parent_id)
        .where(professional_areas.c.professional_id.in_(people_ids))
    ):
        if aid == wijk:
            level = 0
        elif gemeente is not None and gemeente in (aid, pa):
            level = 1
        elif regio is not None and regio in (aid, pa, gpa):
            level = 2
        else:
            continue
        levels[pid] = min(level, levels.get(pid, 3))
    names = ("wijk", "gemeente", "regio")
    candidates = tuple(
        Candidate(
            id=p.id, name=p.name, organisation_id=p.organisation_id,
            organisation=org_names.get(p.organisation_id, ""),
            domains=frozenset(skills[p.id]), proximity=names[levels[p.id]],
            offers=tuple(offers_of[p.organisation_id]), caseload=p.caseload,
            caseload_max=p.caseload_max, available=p.available,
            languages=frozenset(getattr(p, "languages", None) or ["nl"]), role=p.role,
            sector=org_sector.get(p.organisation_id, ""),
            may_coordinate=(org_leads.get(p.organisation_id, False) if p.may_coordinate is None
                            else bool(p.may_coordinate)),
        )
        for p in sorted(people, key=lambda p: p.id)
        if p.id in levels
    )
    # One index probe per person (ties.a_id), the other end checked here: asking the database
    # for both ends at once makes SQLite probe every pair.
    known = {p.id for p in people}
    ties = frozenset(
        (a, b) for a, b in run(select(Tie.a_id, Tie.b_id).where(Tie.a_id.in_(people_ids)))
        if b in known
    )
    return Network(candidates, ties)


# At most this many services are read per need when searching beyond the regio.
ELSEWHERE_LIMIT = 40


def load_outward(session: Session, area_id: int, domains: Iterable[str]) -> tuple[OutwardOffer, ...]:
    """Services offering one of ``domains``, searched outward from the wijk ``area_id``: those
    serving the wijk itself, another wijk of its gemeente (``buurwijk``), the gemeente, the
    regio or an area in it; and, for a domain with none of those, a bounded number elsewhere.
    Each with the area it serves, its rules, intake route and number (the rules are checked
    against the case by netwerk.matching.missing)."""
    domains = sorted(set(domains))
    if not domains:
        return ()
    run = session.connection().execute
    chain = area_chain(session, area_id)
    wijk = chain[0]
    gemeente = chain[1] if len(chain) > 2 else None
    regio = chain[-1] if len(chain) > 1 else None
    parent = aliased(Area)
    # The regio's areas with their level as seen from the wijk.
    levels: dict[int, tuple[str, str]] = {}  # area id -> (level, name)
    if regio is not None:
        rows = run(
            select(Area.id, Area.name, Area.kind, Area.parent_id, parent.parent_id)
            .outerjoin(parent, parent.id == Area.parent_id)
            .where((Area.id == regio) | (Area.parent_id == regio) | (parent.parent_id == regio))
        ).all()
    else:
        rows = run(select(Area.id, Area.name, Area.kind, Area.parent_id, Area.parent_id)
                   .where(Area.id == wijk)).all()
    for aid, name, kind, pa, _gpa in rows:
        if aid == wijk:
            level = "wijk"
        elif gemeente is not None and pa == gemeente and str(kind) == AreaKind.WIJK:
            level = "buurwijk"
        elif aid == gemeente:
            level = "gemeente"
        else:
            level = "regio"
        levels[aid] = (level, name)
    domain_ids = dict(run(select(Domain.id, Domain.slug).where(Domain.slug.in_(domains))).all())
    if not domain_ids:
        return ()
    found: list[tuple[int, int, str]] = []  # (service id, area id, level)
    area_names: dict[int, str] = {a: n for a, (_lvl, n) in levels.items()}
    service_domain: dict[int, set[str]] = defaultdict(set)
    if levels:
        for sid, aid, did in run(
            select(service_areas.c.service_id, service_areas.c.area_id,
                   service_domains.c.domain_id)
            .join(service_domains, service_domains.c.service_id == service_areas.c.service_id)
            .where(service_areas.c.area_id.in_(levels),
                   service_domains.c.domain_id.in_(domain_ids))
        ):
            found.append((sid, aid, levels[aid][0]))
            service_domain[sid].add(domain_ids[did])
    near = {domain for domains_ in service_domain.values() for domain in domains_}
    for did, slug in domain_ids.items():
        if slug in near:
            continue
        for sid, aid, name in run(
            select(service_areas.c.service_id, service_areas.c.area_id, Area.name)
            .join(service_domains, service_domains.c.service_id == service_areas.c.service_id)
            .join(Area, Area.id == service_areas.c.area_id)
            .where(service_domains.c.domain_id == did,
                   service_areas.c.area_id.not_in(list(levels) or [-1]))
            .order_by(Area.name, service_areas.c.service_id).limit(ELSEWHERE_LIMIT)
        ):
            found.append((sid, aid, "elders"))
            service_domain[sid].add(slug)
            area_names[aid] = name
    if not found:
        return ()
    service_ids = sorted({sid for sid, _a, _l in found})
    services = {s.id: s for s in run(
        select(Service.id, Service.name, Service.intake_route, Service.organisation_id,
               Organisation.name.label("organisation"), Organisation.phone,
               Organisation.intake_route.label("org_intake"))
        .join(Organisation, Organisation.id == Service.organisation_id)
        .where(Service.id.in_(service_ids)))}
    rules_of: dict[int, list[Rule]] = defaultdict(list)
    for r in run(
        select(EligibilityRule.service_id, EligibilityRule.kind, EligibilityRule.value,
               EligibilityRule.int_value, EligibilityRule.description)
        .where(EligibilityRule.service_id.in_(service_ids)).order_by(EligibilityRule.id)
    ):
        rules_of[r.service_id].append(Rule(str(r.kind), r.value, r.int_value,
                                           describe_rule(r.kind, r.value, r.int_value),
                                           r.description or ""))
    return tuple(
        OutwardOffer(
            organisation_id=services[sid].organisation_id,
            organisation=services[sid].organisation, service=services[sid].name,
            domains=frozenset(service_domain[sid]), level=level, area=area_names.get(aid, ""),
            rules=tuple(rules_of[sid]),
            intake_route=services[sid].intake_route or services[sid].org_intake or "",
            phone=services[sid].phone,
        )
        for sid, aid, level in sorted(set(found))
    )
