"""Sessions held on the server, the case reference counter, and the basis for sharing a case.

- ``UserSession``: one row per signed-in browser session; the cookie carries only the user id and
  a random key whose SHA-256 is stored here. Sign-out ends the row, so a copied cookie stops
  working (docs/security.md, finding 4).
- ``ReferenceCounter``: the last case reference number issued per year; references are never
  issued twice, also after a purge (finding 3).
- ``CaseBasis``: on what basis a case is shared with a professional: the client's consent
  (given when, for what) or a named legal ground (finding 20).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.enums import BasisKind, LegalGround, enum_type
from netwerk.models.user_secret import UserSecret, sha256_column


class UserSession(UserSecret, Base):
    __tablename__ = "user_sessions"

    key_hash: Mapped[str] = sha256_column()
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReferenceCounter(Base):
    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class CaseBasis(Base):
    """The basis for sharing a case with the professionals added under it."""

    __tablename__ = "case_bases"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'toestemming' AND consent_given_on IS NOT NULL) OR "
            "(kind = 'wettelijke_grond' AND legal_ground IS NOT NULL)",
            name="basis_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BasisKind] = mapped_column(enum_type(BasisKind, "basis_kind"))
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_scope: Mapped[str] = mapped_column(Text, default="")  # for what (case data)
    legal_ground: Mapped[LegalGround | None] = mapped_column(enum_type(LegalGround, "legal_ground"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case = relationship("Case", back_populates="bases")
