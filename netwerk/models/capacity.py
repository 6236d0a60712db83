"""Capacities (noodplekken, thuisbegeleiding, …) per service and area, and their change events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.area import Area
from netwerk.models.enums import CapacityEventKind, CapacityUnit, HoldStatus, enum_type
from netwerk.models.organisation import Service


class CapacityType(Base):
    """A kind of capacity with its unit, and after how many hours a count is no longer trusted."""

    __tablename__ = "capacity_types"
    __table_args__ = (CheckConstraint("stale_after_hours > 0", name="stale_positive"),
                      CheckConstraint("hold_hours IS NULL OR hold_hours > 0",
                                      name="hold_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[CapacityUnit] = mapped_column(enum_type(CapacityUnit, "capacity_unit"))
    stale_after_hours: Mapped[int] = mapped_column(Integer, default=24)
    # How long a claim holds a place for the provider to answer; None: the HOLD_HOURS setting.
    hold_hours: Mapped[int | None] = mapped_column(Integer)


class Capacity(Base):
    """Available of maximum for one service, area and type (HSDS ``service_capacity`` shape).

    ``version`` increases with every change, so a form submitted after someone else changed the
    count can be recognised and refused.
    """

    __tablename__ = "capacities"
    __table_args__ = (
        UniqueConstraint("service_id", "area_id", "capacity_type_id"),
        CheckConstraint("available >= 0", name="available_non_negative"),
        CheckConstraint("maximum >= 0", name="maximum_non_negative"),
        CheckConstraint("available <= maximum", name="available_within_maximum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    capacity_type_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_types.id", ondelete="RESTRICT"), index=True
    )
    available: Mapped[int] = mapped_column(Integer, default=0)
    maximum: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    service: Mapped[Service] = relationship()
    area: Mapped[Area] = relationship()
    capacity_type: Mapped[CapacityType] = relationship()
    events: Mapped[list[CapacityEvent]] = relationship(
        back_populates="capacity",
        cascade="all, delete-orphan",
        order_by="CapacityEvent.at.desc()",
    )
    holds: Mapped[list[CapacityHold]] = relationship(
        back_populates="capacity", order_by="CapacityHold.id", viewonly=True)


class CapacityEvent(Base):
    """One change of a capacity: who, when, by how much, and for which case."""

    __tablename__ = "capacity_events"
    __table_args__ = (CheckConstraint("available_after >= 0", name="after_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    capacity_id: Mapped[int] = mapped_column(
        ForeignKey("capacities.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CapacityEventKind] = mapped_column(
        enum_type(CapacityEventKind, "capacity_event_kind")
    )
    delta: Mapped[int] = mapped_column(Integer)
    available_after: Mapped[int] = mapped_column(Integer)
    maximum_after: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    capacity: Mapped[Capacity] = relationship(back_populates="events")


class CapacityHold(Base):
    """A claim: one place (or ``amount`` hours) held for the claimant until the provider
    confirms (taken) or declines (free again), or until ``expires_at`` (free again).

    The status moves away from ``open`` exactly once, by a conditional UPDATE
    (netwerk/capacity/holds.py). A note or decline reason for a case is case data.
    """

    __tablename__ = "capacity_holds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    capacity_id: Mapped[int] = mapped_column(
        ForeignKey("capacities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    amount: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[HoldStatus] = mapped_column(enum_type(HoldStatus, "hold_status"),
                                               default=HoldStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    capacity: Mapped[Capacity] = relationship(back_populates="holds")


class CapacitySubscription(Base):
    """"Laat me weten": tell ``user`` when a place of this type frees up in this gemeente."""

    __tablename__ = "capacity_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "capacity_type_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    capacity_type_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_types.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    capacity_type: Mapped[CapacityType] = relationship()
    area: Mapped[Area] = relationship()
