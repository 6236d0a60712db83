"""Accounts. A user signs in; most users are linked to the professional they are."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from netwerk.db import Base, UTCDateTime, utcnow
from netwerk.models.enums import Role, enum_type
from netwerk.models.professional import Professional


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), default=Role.MEDEWERKER)
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change and sign-out everywhere: older sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Organisatiebeheerder: manages the people, services and accounts of the organisation of
    # the professional this account is linked to (docs/accounts.md).
    organisation_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Two-step sign-in (TOTP, pyotp): the base32 secret once enrolment is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step whose code was accepted: a code works once (no replay).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    professional: Mapped[Professional | None] = relationship()

    @validates("email")
    def _normalise_email(self, key: str, value: str) -> str:
        return value.strip().lower()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt (Werkzeug 3 default)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    # The key of the server-side session this request runs in (netwerk.auth.sessions); set by
    # the user loader and by sign-in, never stored on the row.
    if TYPE_CHECKING:
        session_key: str | None
    session_key = None  # not a column (an annotation would make it one); set per request

    def get_id(self) -> str:  # flask-login: the cookie carries the version and the server-side session's key
        if not self.session_key:
            # Every sign-in path (password, SSO, two-step) goes through login_user, which asks
            # for the id: a session without a key starts one here (committed by the caller).
            from netwerk.auth.sessions import start_session
            from netwerk.db import db

            start_session(db.session, self)
        return f"{self.id}:{self.session_version}:{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
