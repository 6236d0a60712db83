"""Reads of beheer: searchable, paginated lists scoped by the policy's SQL twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from netwerk.auth import policy
from netwerk.models import Area, CapacityType, Organisation, Professional, Service, User

PAGE_SIZE = 25


@dataclass
class Page:
    items: list[Any]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def _page(session: Session, stmt, page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return Page(items, page, total)


def listing(session: Session, user, kind: str, q: str, page: int) -> Page:
    """The rows of one beheer list the user may manage, matching ``q``, one page."""
    like = _like(q) if q else None
    stmt: Any
    if kind == "organisations":
        stmt = select(Organisation).where(
            policy.managed_organisation_filter(user, Organisation.id)).order_by(Organisation.name)
        if like:
            stmt = stmt.where(func.lower(Organisation.name).like(like, escape="\\"))
    elif kind == "professionals":
        stmt = select(Professional).where(policy.managed_organisation_filter(
            user, Professional.organisation_id)).order_by(Professional.name)
        if like:
            stmt = stmt.where(or_(func.lower(Professional.name).like(like, escape="\\"),
                                  func.lower(Professional.role).like(like, escape="\\")))
    elif kind == "services":
        stmt = select(Service).where(policy.managed_organisation_filter(
            user, Service.organisation_id)).order_by(Service.name)
        if like:
            stmt = stmt.where(func.lower(Service.name).like(like, escape="\\"))
    elif kind == "capacity_types":
        stmt = select(CapacityType).order_by(CapacityType.name)
        if like:
            stmt = stmt.where(func.lower(CapacityType.name).like(like, escape="\\"))
    elif kind == "areas":
        stmt = select(Area).order_by(Area.kind, Area.name)
        if like:
            stmt = stmt.where(func.lower(Area.name).like(like, escape="\\"))
    elif kind == "users":
        stmt = select(User).outerjoin(Professional, User.professional_id == Professional.id) \
            .where(policy.managed_organisation_filter(user, Professional.organisation_id)) \
            .order_by(User.email)
        if like:
            stmt = stmt.where(or_(func.lower(User.email).like(like, escape="\\"),
                                  func.lower(Professional.name).like(like, escape="\\")))
    else:  # pragma: no cover - the views name the kinds
        raise KeyError(kind)
    return _page(session, stmt, page)


def choices(session: Session, user) -> dict[str, list[tuple[Any, str]]]:
    """Options of the reference fields of the beheer forms (keys and names)."""
    orgs = session.execute(select(Organisation.external_id, Organisation.name).where(
        policy.managed_organisation_filter(user, Organisation.id), Organisation.external_id
        .is_not(None)).order_by(Organisation.name)).all()
    areas = session.execute(select(Area.external_id, Area.name, Area.kind).where(
        Area.external_id.is_not(None)).order_by(Area.kind, Area.name)).all()
    from netwerk.models import Domain

    domains = session.execute(select(Domain.slug, Domain.name).order_by(Domain.name)).all()
    return {
        "organisation_key": [(k, n) for k, n in orgs],
        "areas": [(k, f"{n} ({kind})") for k, n, kind in areas],
        "wijken": [(k, f"{n} ({kind})") for k, n, kind in areas],
        "parent_key": [("", "—")] + [(k, f"{n} ({kind})") for k, n, kind in areas
                                     if kind != "wijk"],
        "domains": [(k, n) for k, n in domains],
    }
