"""Work sessions: who attended, whom they invited, and the per-area checklist of sectors."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.area import Area
from netwerk.models.enums import Sector, enum_type
from netwerk.models.organisation import Organisation
from netwerk.models.professional import Professional


class WorkSession(Base):
    __tablename__ = "work_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date, index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="work_session", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="work_session", cascade="all, delete-orphan", order_by="Invitation.id"
    )


class Attendance(Base):
    """A professional at a work session; ``invited_by`` is whose invitation brought them."""

    __tablename__ = "attendances"
    __table_args__ = (
        CheckConstraint(
            "invited_by_id IS NULL OR invited_by_id <> professional_id", name="not_self_invited"
        ),
    )

    work_session_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )

    work_session: Mapped[WorkSession] = relationship(back_populates="attendances")
    professional: Mapped[Professional] = relationship(foreign_keys=[professional_id])
    invited_by: Mapped[Professional | None] = relationship(foreign_keys=[invited_by_id])


class Invitation(Base):
    """At a session, an attendee invites a party that was missing at the table."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_session_id: Mapped[int] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="CASCADE"), index=True
    )
    inviter_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    work_session: Mapped[WorkSession] = relationship(back_populates="invitations")
    inviter: Mapped[Professional] = relationship(foreign_keys=[inviter_id])
    organisation: Mapped[Organisation] = relationship()
    professional: Mapped[Professional | None] = relationship(foreign_keys=[professional_id])


class AreaSectorChecklist(Base):
    """A sector the facilitator expects at the table for an area."""

    __tablename__ = "area_sector_checklist"

    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[Sector] = mapped_column(enum_type(Sector, "checklist_sector"), primary_key=True)
