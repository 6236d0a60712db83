"""Personal API tokens: only a SHA-256 hash is stored; the token is shown once, at creation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime
from netwerk.models.user import User
from netwerk.models.user_secret import UserSecret, sha256_column

TOKEN_PREFIX = "nw_"


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough (no salt or stretching)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(UserSecret, Base):
    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = sha256_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # A name the owner recognises ("Excel-koppeling") and an end: a token stops working at
    # ``expires_at`` (API_TOKEN_LIFETIME_DAYS after creation, default 90).
    name: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
