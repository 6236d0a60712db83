"""Cases: one household, pseudonymous, with needs, involved professionals, a lead and a plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, link_table, utcnow
from netwerk.models.area import Area
from netwerk.models.enums import CaseStatus, InvolvementRole, NeedWeight, Urgency, enum_type
from netwerk.models.organisation import Domain, Organisation
from netwerk.models.professional import Professional
from netwerk.models.trust import CaseBasis

# Organisations with an opposing interest in the household's situation (the landlord who
# evicts, a creditor who collects): their people never lead and see nothing of the case
# unless the coordinator admits one of them explicitly (CaseInvolvement.opposing_admitted).
case_opposing = link_table("case_opposing", ("case_id", "cases.id"),
                           ("organisation_id", "organisations.id"), target_ondelete="CASCADE")


class Case(Base):
    """A household's situation. Holds no direct identifiers of the client: a generated
    ``reference``, an age and tags, never a name, BSN, address or phone number."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("client_age IS NULL OR (client_age >= 0 AND client_age <= 130)",
                        name="client_age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    urgency: Mapped[Urgency] = mapped_column(enum_type(Urgency, "urgency"))
    status: Mapped[CaseStatus] = mapped_column(
        enum_type(CaseStatus, "case_status"), default=CaseStatus.OPEN, index=True
    )
    situation: Mapped[str] = mapped_column(Text, default="")
    client_age: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    constraints: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The coordinator is a professional (the person), not an account: users link to professionals.
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL"), index=True
    )
    preferred_professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    suggested_lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL"), index=True
    )
    lead_reason: Mapped[str] = mapped_column(Text, default="")
    lead_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lead_decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    area: Mapped[Area] = relationship()
    needs: Mapped[list[CaseNeed]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    involvements: Mapped[list[CaseInvolvement]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PlanAction.id"
    )
    lead: Mapped[Professional | None] = relationship(foreign_keys=[lead_id])
    suggested_lead: Mapped[Professional | None] = relationship(foreign_keys=[suggested_lead_id])
    preferred_professional: Mapped[Professional | None] = relationship(
        foreign_keys=[preferred_professional_id]
    )
    coordinator: Mapped[Professional | None] = relationship(foreign_keys=[coordinator_id])
    opposing: Mapped[list[Organisation]] = relationship(secondary=case_opposing,
                                                        order_by=Organisation.name)

    @property
    def opposing_ids(self) -> set[int]:
        return {o.id for o in self.opposing}
    bases: Mapped[list[CaseBasis]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseBasis.id"
    )


class CaseNeed(Base):
    __tablename__ = "case_needs"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    domain_id: Mapped[int] = mapped_column(
        ForeignKey("domains.id", ondelete="RESTRICT"), primary_key=True
    )
    weight: Mapped[NeedWeight] = mapped_column(
        enum_type(NeedWeight, "need_weight"), default=NeedWeight.PRIMAIR
    )

    case: Mapped[Case] = relationship(back_populates="needs")
    domain: Mapped[Domain] = relationship()


class CaseInvolvement(Base):
    """A professional involved in a case, with their role in it."""

    __tablename__ = "case_involvements"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[InvolvementRole] = mapped_column(
        enum_type(InvolvementRole, "involvement_role"), default=InvolvementRole.BETROKKEN
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Someone of an opposing party sees the case only once the coordinator admitted them.
    opposing_admitted: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default="0")
    # The basis on which the case is shared with them (consent or a legal ground); withdrawing
    # a consent removes the involvements resting on it.
    basis_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_bases.id", ondelete="CASCADE"), index=True
    )

    case: Mapped[Case] = relationship(back_populates="involvements")
    professional: Mapped[Professional] = relationship()
    basis: Mapped[CaseBasis | None] = relationship()


class PlanAction(Base):
    """Wie doet wat wanneer: one action of the case's plan."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    what: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="actions")
    professional: Mapped[Professional | None] = relationship()
