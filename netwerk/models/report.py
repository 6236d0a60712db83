"""Reports that a person's or organisation's details are wrong ("klopt niet"), open until
the record's owner checks it (docs/directory.md, "Numbers people can trust")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.enums import (
    REPORT_REASON_LABELS,
    REPORT_RESOLUTION_LABELS,
    ReportReason,
    ReportResolution,
    enum_type,
)

NOTE_MAX = 200  # a short remark, not a story


class RecordReport(Base):
    """One signed-in user's report that one record (a professional XOR an organisation) is
    wrong. Open while ``resolved_at`` is NULL; at most one open report per reporter per record
    (partial unique indexes, so two taps or two tabs make one)."""

    __tablename__ = "record_reports"
    __table_args__ = (
        CheckConstraint("(professional_id IS NULL) <> (organisation_id IS NULL)",
                        name="one_record"),
        Index("ix_record_reports_open_per_reporter_professional", "reporter_id",
              "professional_id", unique=True,
              sqlite_where=text("resolved_at IS NULL AND professional_id IS NOT NULL"),
              postgresql_where=text("resolved_at IS NULL AND professional_id IS NOT NULL")),
        Index("ix_record_reports_open_per_reporter_organisation", "reporter_id",
              "organisation_id", unique=True,
              sqlite_where=text("resolved_at IS NULL AND organisation_id IS NOT NULL"),
              postgresql_where=text("resolved_at IS NULL AND organisation_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason, "report_reason"))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[ReportResolution | None] = mapped_column(
        enum_type(ReportResolution, "report_resolution"))

    professional = relationship("Professional")
    organisation = relationship("Organisation")
    reporter = relationship("User", foreign_keys=[reporter_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def reason_label(self) -> str:
        return str(REPORT_REASON_LABELS.get(self.reason, self.reason))

    @property
    def resolution_label(self) -> str:
        if self.resolution is None:
            return ""
        return str(REPORT_RESOLUTION_LABELS.get(self.resolution, self.resolution))
