"""Who a user recently opened: the last profiles they looked at, for their home page.

Personal data of the user: shown only to them, at most ``KEEP`` rows per user (older ones are
removed when a new one arrives), and removed with the account (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netwerk.db import Base, UTCDateTime, utcnow

KEEP = 20


class RecentlyOpened(Base):
    __tablename__ = "recently_opened"
    __table_args__ = (
        UniqueConstraint("user_id", "professional_id"),
        Index("ix_recently_opened_user_id_opened_at", "user_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
