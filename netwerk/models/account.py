"""Accounts without a shell: the change history, invitations, joining by organisation e-mail,
organisation e-mail domains and two-step recovery codes (docs/accounts.md)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.enums import Role, enum_type


def hash_secret(value: str) -> str:
    """Links and recovery codes carry ≥ 64 random bits: a plain SHA-256 is enough."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


class Change(Base):
    """One field of one object changed by someone: the change history (netwerk/history.py).

    Undoing a change is a new change back to the old value (``undoes_id`` names it)."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(80))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])


class EmailDomain(Base):
    """An e-mail domain an organisation owns: its people may ask to join (never a personal
    mail provider, see netwerk/accounts/joining.py)."""

    __tablename__ = "organisation_email_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation = relationship("Organisation")


class AccountInvitation(Base):
    """An invitation link: usable once, until it expires or a newer one revokes it."""

    __tablename__ = "account_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    organisation_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    professional = relationship("Professional")
    invited_by = relationship("User", foreign_keys=[invited_by_id])


class JoinRequest(Base):
    """Someone with an organisation's e-mail address asking to join (``/aanmelden``)."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # pending (address not yet proven) → verified (record filled in) → approved / rejected
    status: Mapped[str] = mapped_column(String(20), default="pending")
    name: Mapped[str] = mapped_column(String(200), default="")
    record: Mapped[dict] = mapped_column(JSON, default=dict)  # the import columns filled in
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation")


class RecoveryCode(Base):
    """A two-step recovery code: only its hash is stored; each works once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
