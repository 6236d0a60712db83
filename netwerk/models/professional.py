"""Professionals (named people with numbers) and the ties between them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from netwerk.db import Base, UTCDateTime, link_table, utcnow
from netwerk.models.area import Area
from netwerk.models.enums import TieKind, TieSource, enum_type
from netwerk.models.organisation import Domain, Organisation
from netwerk.phone import normalize

professional_areas = link_table("professional_areas", ("professional_id", "professionals.id"),
                                ("area_id", "areas.id"))
professional_domains = link_table("professional_domains", ("professional_id", "professionals.id"),
                                  ("domain_id", "domains.id"))


def initials_of(name: str) -> str:
    """The avatar's letters for a name without a photo: its first and last capitalised word."""
    parts = [p for p in name.split() if p[:1].isupper()]
    letters = (parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")) if parts else "?"
    return letters.upper()


class Professional(Base):
    """A named professional. Removing their organisation is refused while they belong to it
    (``ondelete=RESTRICT``): people are moved or deactivated deliberately, never lost by cascade."""

    __tablename__ = "professionals"
    __table_args__ = (
        CheckConstraint("caseload >= 0", name="caseload_non_negative"),
        CheckConstraint("caseload_max >= 0", name="caseload_max_non_negative"),
        CheckConstraint("mobile IS NULL OR mobile LIKE '+%'", name="mobile_e164"),
        CheckConstraint("landline IS NULL OR landline LIKE '+%'", name="landline_e164"),
        CheckConstraint(
            "mobile IS NULL OR landline IS NULL OR mobile <> landline", name="numbers_differ"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(120), default="")
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    mobile: Mapped[str | None] = mapped_column(String(20), unique=True)
    landline: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["nl"])
    caseload: Mapped[int] = mapped_column(Integer, default=0)
    caseload_max: Mapped[int] = mapped_column(Integer, default=0)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    # Overrides the organisation's may_coordinate for this person's role (None: as the
    # organisation): a jeugdagent who may lead, a corporation's social worker who may.
    may_coordinate: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Raised by every save of the edit form, which carries the version it showed: a save over
    # someone else's newer one is refused (netwerk/directory/operations.py).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    organisation: Mapped[Organisation] = relationship(back_populates="professionals")
    areas: Mapped[list[Area]] = relationship(secondary=professional_areas, order_by=Area.name)
    domains: Mapped[list[Domain]] = relationship(
        secondary=professional_domains, order_by=Domain.slug
    )

    @validates("mobile")
    def _validate_mobile(self, key: str, value: str | None) -> str | None:
        return normalize(value, field="mobiel", mobile=True)

    @validates("landline")
    def _validate_landline(self, key: str, value: str | None) -> str | None:
        return normalize(value, field="vast nummer")

    @property
    def headroom(self) -> int:
        """Free places in this person's caseload (never negative)."""
        return max(self.caseload_max - self.caseload, 0)

    @property
    def initials(self) -> str:
        return initials_of(self.name)

    def __repr__(self) -> str:
        return f"<Professional {self.name!r}>"


class Tie(Base):
    """A working relationship between two professionals, stored once per pair (a_id < b_id)."""

    __tablename__ = "ties"
    __table_args__ = (
        UniqueConstraint("a_id", "b_id"),
        CheckConstraint("a_id < b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    a_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), index=True
    )
    b_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TieKind] = mapped_column(enum_type(TieKind, "tie_kind"), default=TieKind.KENT)
    source: Mapped[TieSource] = mapped_column(
        enum_type(TieSource, "tie_source"), default=TieSource.HANDMATIG
    )
    since: Mapped[date] = mapped_column(Date, default=date.today)
    work_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_sessions.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    a: Mapped[Professional] = relationship(foreign_keys=[a_id])
    b: Mapped[Professional] = relationship(foreign_keys=[b_id])

    @staticmethod
    def ordered(x: int, y: int) -> tuple[int, int]:
        """The (a_id, b_id) for a pair of professional ids."""
        if x == y:
            raise ValueError("a tie needs two different professionals")
        return (x, y) if x < y else (y, x)

    def other(self, professional_id: int) -> Professional:
        return self.b if professional_id == self.a_id else self.a
