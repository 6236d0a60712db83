"""Notifications (the in-app inbox), what each user wants per kind, the mail outbox, and the
state of long jobs (docs/loops.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netwerk.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """One message for one user in the inbox. ``text`` is shown in the app only (it may name a
    case reference); an e-mail about it says only that there is something, and the link.

    ``key`` makes creating it idempotent: a job run twice makes no second notification.
    ``digest_state`` is ``"wacht"`` while it waits for the user's daily digest."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Gone with the case when it is purged (nothing of a case outlives it).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                                index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digest_state: Mapped[str | None] = mapped_column(String(10), index=True)


class NotificationPreference(Base):
    """How ``user`` wants one kind: ``app`` (inbox only), ``email`` (inbox and an e-mail right
    away) or ``digest`` (inbox and one e-mail a day)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))


class MailMessage(Base):
    """The outbox: a message is written here in the transaction that causes it, and a job
    sends it. ``state``: ``wacht`` (to send at ``next_attempt_at``), ``bezig`` (a worker holds
    it until ``lease_until``), ``verstuurd``, ``mislukt`` (gave up after the last attempt).
    ``key`` makes queueing idempotent; a sent message's body is emptied (it may hold a link
    that signs someone in, such as an invitation)."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="wacht", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JobRun(Base):
    """A long job a user waits for (a web import): its progress for the page's bar, its
    result, and the uploaded files until the job has read them."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="wacht")  # wacht/bezig/klaar/fout
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    options: Mapped[str] = mapped_column(Text, default="{}")
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    result: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
