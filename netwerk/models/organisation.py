"""Organisations, the domains of help, services and their eligibility rules."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from netwerk.db import Base, UTCDateTime, link_table, utcnow
from netwerk.i18n import _
from netwerk.models.area import Area
from netwerk.models.enums import (
    RuleKind,
    Sector,
    constraint_label,
    enum_type,
    may_coordinate_by_default,
)
from netwerk.phone import normalize

if TYPE_CHECKING:
    from netwerk.models.professional import Professional

service_domains = link_table("service_domains", ("service_id", "services.id"),
                             ("domain_id", "domains.id"))
service_areas = link_table("service_areas", ("service_id", "services.id"), ("area_id", "areas.id"))


class Domain(Base):
    """A hulpdomein: what a need or a skill is about (wonen, financien, ggz, …)."""

    __tablename__ = "domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Domain {self.slug}>"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[Sector] = mapped_column(enum_type(Sector, "sector"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    crisis_phone: Mapped[str | None] = mapped_column(String(20))
    intake_route: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    # Whether its people may be the lead of a case (None: the sector's default, see
    # ``may_coordinate_by_default``); a professional may override it for their role.
    may_coordinate: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Service.name"
    )
    # Professionals are not deleted with their organisation: see Professional.organisation_id.
    professionals: Mapped[list[Professional]] = relationship(
        back_populates="organisation", passive_deletes="all", order_by="Professional.name"
    )

    @validates("phone", "crisis_phone")
    def _validate_phone(self, key: str, value: str | None) -> str | None:
        return normalize(value, field=key)

    @property
    def coordinates(self) -> bool:
        """Whether its people may lead a case: the column, else the sector's default."""
        if self.may_coordinate is not None:
            return self.may_coordinate
        return may_coordinate_by_default(self.sector)

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class Service(Base):
    """Aanbod: what an organisation offers, in which domains and areas, under which rules."""

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    intake_route: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    domains: Mapped[list[Domain]] = relationship(secondary=service_domains, order_by=Domain.slug)
    areas: Mapped[list[Area]] = relationship(secondary=service_areas, order_by=Area.name)
    rules: Mapped[list[EligibilityRule]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="EligibilityRule.id"
    )

    def __repr__(self) -> str:
        return f"<Service {self.name!r}>"


class EligibilityRule(Base):
    """A toegangscriterium as data: ``kind`` with an optional ``value`` (an age, a tag)."""

    __tablename__ = "eligibility_rules"
    __table_args__ = (
        CheckConstraint(
            "(kind NOT IN ('min_age', 'max_age')) OR (int_value IS NOT NULL AND int_value >= 0)",
            name="age_needs_value",
        ),
        CheckConstraint(
            "(kind NOT IN ('requires_indication', 'requires_constraint', 'excludes_constraint'))"
            " OR (value IS NOT NULL)",
            name="tag_needs_value",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RuleKind] = mapped_column(enum_type(RuleKind, "rule_kind"))
    value: Mapped[str | None] = mapped_column(String(50))
    int_value: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship(back_populates="rules")

    @property
    def text(self) -> str:
        """The rule in plain Dutch; a description written by hand wins."""
        return self.description or describe_rule(self.kind, self.value, self.int_value)

    def __repr__(self) -> str:
        return f"<EligibilityRule {self.kind} {self.value or self.int_value or ''}>"




def describe_rule(kind: RuleKind | str, value: str | None, int_value: int | None) -> str:
    """Word an eligibility rule in plain Dutch ("vereist een vast adres")."""
    kind = RuleKind(kind)
    if kind is RuleKind.REQUIRES_FIXED_ADDRESS:
        return _("vereist een vast adres")
    if kind is RuleKind.MIN_AGE:
        return _("vanaf %(age)s jaar", age=int_value)
    if kind is RuleKind.MAX_AGE:
        return _("tot en met %(age)s jaar", age=int_value)
    if kind is RuleKind.REQUIRES_INDICATION:
        return _("vereist een indicatie (%(indication)s)", indication=(value or "").upper())
    tag = constraint_label(value or "")
    if kind is RuleKind.REQUIRES_CONSTRAINT:
        return _("alleen bij: %(tag)s", tag=tag)
    return _("niet bij: %(tag)s", tag=tag)
