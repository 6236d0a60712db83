"""Reads of the API: each list as (query, count query) for the pagination of views.py.

The API shows what the directory pages show, never cases."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from netwerk.models import Area, AreaKind, Capacity, Organisation, Professional, Service

Listing = tuple[Select, Select]


def people(organisation_id: int | None = None) -> Listing:
    """Active professionals by name, optionally of one organisation."""
    query = (select(Professional).where(Professional.active)
             .options(selectinload(Professional.organisation),
                      selectinload(Professional.areas), selectinload(Professional.domains))
             .order_by(Professional.name, Professional.id))
    count = select(func.count()).select_from(Professional).where(Professional.active)
    if organisation_id is not None:
        query = query.where(Professional.organisation_id == organisation_id)
        count = count.where(Professional.organisation_id == organisation_id)
    return query, count


def organisations() -> Listing:
    query = (select(Organisation)
             .options(selectinload(Organisation.services).selectinload(Service.domains),
                      selectinload(Organisation.services).selectinload(Service.areas),
                      selectinload(Organisation.services).selectinload(Service.rules))
             .order_by(Organisation.name))
    return query, select(func.count()).select_from(Organisation)


def areas(kind: AreaKind | None = None) -> Listing:
    query = select(Area).order_by(Area.kind, Area.name, Area.id)
    count = select(func.count()).select_from(Area)
    if kind is not None:
        query, count = query.where(Area.kind == kind), count.where(Area.kind == kind)
    return query, count


def capacities() -> Listing:
    query = (select(Capacity)
             .options(selectinload(Capacity.service), selectinload(Capacity.area),
                      selectinload(Capacity.capacity_type))
             .order_by(Capacity.id))
    return query, select(func.count()).select_from(Capacity)
