"""The statements matching reads the network with: built once at import, set-based, bound
with parameters (SQLAlchemy Core, no ORM objects), so an intake runs a handful of indexed
statements whose SQL is compiled once per process.

Every statement is bounded by the case's area (its wijk, gemeente and regio) through indexes;
none depends on the size of the national network. Two planner traps are avoided on purpose
(bench/matching.py measured both on the national SQLite network):

- joining ``service_areas`` to ``service_domains`` with an IN list on both sides lets SQLite
  drive from the domain index and probe every (service, area) pair: the domain filter is
  written ``domain_id + 0 IN (...)`` so the plan starts from the areas;
- asking ``ties`` for both ends at once makes SQLite probe every pair of people: the far end is
  written ``b_id + 0 IN (...)`` and checked on the rows of the near end's index.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from netwerk.models import (
    Area,
    AreaKind,
    CaseInvolvement,
    CaseNeed,
    Domain,
    EligibilityRule,
    Organisation,
    Professional,
    Service,
    Tie,
    case_opposing,
    professional_areas,
    professional_domains,
    service_areas,
    service_domains,
)

_parent = aliased(Area, name="parent_area")
_grandparent = aliased(Area, name="grandparent_area")

# The area and the two above it: (id, parent id, grandparent id, great-grandparent id).
CHAIN = (
    select(Area.id, _parent.id, _grandparent.id, _grandparent.parent_id)
    .select_from(Area)
    .outerjoin(_parent, _parent.id == Area.parent_id)
    .outerjoin(_grandparent, _grandparent.id == _parent.parent_id)
    .where(Area.id == bindparam("area"))
)

# The services serving any area of the chain (the wijk, its gemeente, its regio).
_serving = select(service_areas.c.service_id).where(
    service_areas.c.area_id.in_(bindparam("chain", expanding=True)))
_serving_orgs = select(Service.organisation_id).where(Service.id.in_(_serving))

# Those services with their organisation, one row per (domain, rule): grouped in Python.
SERVICES = (
    select(Service.id, Service.name, Service.organisation_id,
           Organisation.name.label("organisation"), Organisation.sector,
           Organisation.may_coordinate, Domain.slug, EligibilityRule.id.label("rule_id"),
           EligibilityRule.kind, EligibilityRule.value, EligibilityRule.int_value,
           EligibilityRule.description)
    .join(Organisation, Organisation.id == Service.organisation_id)
    .outerjoin(service_domains, service_domains.c.service_id == Service.id)
    .outerjoin(Domain, Domain.id == service_domains.c.domain_id)
    .outerjoin(EligibilityRule, EligibilityRule.service_id == Service.id)
    .where(Service.id.in_(_serving))
)

# How close a work area is to the case: 0 the wijk, 1 the gemeente or a wijk of it, 2 the regio
# or an area in it, 3 elsewhere. The nearest of a person's areas counts.
_pa = professional_areas.alias("pa")
_area = aliased(Area, name="work_area")
_area_parent = aliased(Area, name="work_area_parent")
_LEVEL = (
    select(func.min(case(
        (_pa.c.area_id == bindparam("wijk"), 0),
        (or_(_pa.c.area_id == bindparam("gemeente"), _area.parent_id == bindparam("gemeente")),
         1),
        (or_(_pa.c.area_id == bindparam("regio"), _area.parent_id == bindparam("regio"),
             _area_parent.parent_id == bindparam("regio")), 2),
        else_=3)))
    .select_from(_pa)
    .join(_area, _area.id == _pa.c.area_id)
    .outerjoin(_area_parent, _area_parent.id == _area.parent_id)
    .where(_pa.c.professional_id == Professional.id)
    .correlate(Professional)
    .scalar_subquery()
    .label("level")
)


@cache
def people(with_languages: bool, with_needs: bool) -> Select:
    """The active people of the organisations serving the chain, one row per (person,
    domain), with their level; ``with_needs``: only those covering one of ``needs`` (domain
    slugs); ``with_languages``: also their languages (read only for a foreign language)."""
    pd = professional_domains.alias("pd")
    statement = (
        select(Professional.id, Professional.name, Professional.role,
               Professional.organisation_id, Professional.caseload, Professional.caseload_max,
               Professional.available, Professional.may_coordinate, _LEVEL, Domain.slug,
               *([Professional.languages] if with_languages else []))
        .outerjoin(professional_domains,
                   professional_domains.c.professional_id == Professional.id)
        .outerjoin(Domain, Domain.id == professional_domains.c.domain_id)
        .where(Professional.active, Professional.organisation_id.in_(_serving_orgs))
    )
    if with_needs:
        wanted = select(Domain.id).where(Domain.slug.in_(bindparam("needs", expanding=True)))
        statement = statement.where(exists().where(
            pd.c.professional_id == Professional.id, pd.c.domain_id.in_(wanted)))
    return statement


# The ties among a set of people (each pair once: a_id < b_id).
TIES = select(Tie.a_id, Tie.b_id).where(
    Tie.a_id.in_(bindparam("people", expanding=True)),
    (Tie.b_id + 0).in_(bindparam("people_too", expanding=True)),
)

# -- the case ------------------------------------------------------------------------------------

_no_text, _no_number = cast(null(), String), cast(null(), Integer)
# A case's needs (slug, weight), involved people, opposing organisations and its area's name, in
# one statement: rows of (part, text, weight, number).
CASE_FACTS = union_all(
    select(literal("need"), Domain.slug, cast(CaseNeed.weight, String), _no_number)
    .join(Domain, Domain.id == CaseNeed.domain_id).where(CaseNeed.case_id == bindparam("case")),
    select(literal("involved"), _no_text, _no_text, CaseInvolvement.professional_id)
    .where(CaseInvolvement.case_id == bindparam("case")),
    select(literal("opposing"), _no_text, _no_text, case_opposing.c.organisation_id)
    .where(case_opposing.c.case_id == bindparam("case")),
    select(literal("area"), Area.name, _no_text, _no_number).where(Area.id == bindparam("area")),
)

# -- the outward search --------------------------------------------------------------------------

# The areas of the regio: the regio, its gemeenten and their wijken.
_regio_gemeenten = select(Area.id).where(Area.parent_id == bindparam("regio"))
_regio_areas = select(Area.id).where(or_(
    Area.id == bindparam("regio"), Area.parent_id == bindparam("regio"),
    Area.parent_id.in_(_regio_gemeenten)))
_wanted_ids = select(Domain.id).where(Domain.slug.in_(bindparam("domains", expanding=True)))
_served = aliased(Area, name="served_area")


def _outward_columns() -> tuple:
    return (Service.id, Service.name, Service.intake_route, Service.organisation_id,
            Organisation.name.label("organisation"), Organisation.phone,
            Organisation.intake_route.label("org_intake"), _served.id.label("area_id"),
            _served.name.label("area"), Domain.slug,
            EligibilityRule.id.label("rule_id"), EligibilityRule.kind, EligibilityRule.value,
            EligibilityRule.int_value, EligibilityRule.description)


def _near_areas(in_regio: bool):
    """The areas searched first: those of the regio (``regio``), or the list ``near``."""
    return _regio_areas if in_regio else bindparam("near", expanding=True)


# How far a served area is from the wijk: 0 the wijk, 1 another wijk of its gemeente (buurwijk),
# 2 the gemeente, 3 elsewhere in the regio (OUTWARD_LEVELS).
_OUTWARD_LEVEL = case(
    (service_areas.c.area_id == bindparam("wijk"), 0),
    ((_served.parent_id == bindparam("gemeente")) & (_served.kind == AreaKind.WIJK), 1),
    (service_areas.c.area_id == bindparam("gemeente"), 2),
    else_=3)


@cache
def outward_near(in_regio: bool) -> Select:
    """Services offering one of ``domains`` that serve an area of the regio (without a regio:
    one of ``near``), one row per (served area, domain, rule), with its level.

    Only rows that can name a nearest organisation come back: per domain, a service without
    rules at level L admits every case, so nothing farther than the nearest such L can be
    the nearest; farther rows are left out, except those of the organisations ``keep`` (the
    candidates', whose people are named with their own service's intake route and number).
    """
    rows = (
        select(*_outward_columns(), _OUTWARD_LEVEL.label("level"),
               func.min(case((EligibilityRule.id.is_(None), _OUTWARD_LEVEL)))
               # + 0: no index gives this order, so the plan still starts from the areas
               .over(partition_by=service_domains.c.domain_id + 0).label("bound"))
        .select_from(service_areas)
        .join(_served, _served.id == service_areas.c.area_id)
        .join(service_domains, service_domains.c.service_id == service_areas.c.service_id)
        .join(Domain, Domain.id == service_domains.c.domain_id)
        .join(Service, Service.id == service_areas.c.service_id)
        .join(Organisation, Organisation.id == Service.organisation_id)
        .outerjoin(EligibilityRule, EligibilityRule.service_id == Service.id)
        .where(service_areas.c.area_id.in_(_near_areas(in_regio)),
               (service_domains.c.domain_id + 0).in_(_wanted_ids))
        .subquery("near")
    )
    return select(*(c for c in rows.c if c.name != "bound")).where(or_(
        rows.c.bound.is_(None), rows.c.level <= rows.c.bound,
        rows.c.organisation_id.in_(bindparam("keep", expanding=True))))


@cache
def outward_elsewhere(in_regio: bool) -> Select:
    """Beyond those areas, for the domains ``missing`` (slugs) none of them offers: per domain
    the first ``limit`` (service, area) pairs by the area's name, with their details."""
    missing = select(Domain.id).where(Domain.slug.in_(bindparam("missing", expanding=True)))
    ranked = (
        select(service_areas.c.service_id, service_areas.c.area_id,
               service_domains.c.domain_id,
               func.row_number().over(partition_by=service_domains.c.domain_id,
                                      order_by=(Area.name, service_areas.c.service_id,
                                                service_areas.c.area_id)).label("place"))
        .join(service_domains, service_domains.c.service_id == service_areas.c.service_id)
        .join(Area, Area.id == service_areas.c.area_id)
        .where(service_domains.c.domain_id.in_(missing),
               service_areas.c.area_id.not_in(_near_areas(in_regio)))
        .subquery("ranked")
    )
    return (
        select(*_outward_columns())
        .select_from(ranked)
        .join(_served, _served.id == ranked.c.area_id)
        .join(Domain, Domain.id == ranked.c.domain_id)
        .join(Service, Service.id == ranked.c.service_id)
        .join(Organisation, Organisation.id == Service.organisation_id)
        .outerjoin(EligibilityRule, EligibilityRule.service_id == Service.id)
        .where(ranked.c.place <= bindparam("limit"))
    )

