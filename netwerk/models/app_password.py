"""App passwords: what a phone's contacts app signs in with to sync the address books
(CardDAV, netwerk/carddav). Only a SHA-256 hash is stored; the password is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netwerk.db import Base, UTCDateTime
from netwerk.models.user import User
from netwerk.models.user_secret import UserSecret, sha256_column

# Lower-case letters and digits without look-alikes (0/o, 1/l/i): easy to type on a phone.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 4, 5  # 20 characters of a 31-letter alphabet: ~99 random bits


def new_app_password() -> str:
    """``abcde-fghjk-mnpqr-stuvw``: four groups of five, about 99 random bits."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
                    for _ in range(GROUPS))


def hash_app_password(password: str) -> str:
    """The stored form. With ~99 random bits a plain SHA-256 is enough (no stretching), which
    keeps the check cheap: a contacts app sends the password with every request. Dashes,
    spaces and capitals a phone's keyboard adds are ignored."""
    canonical = "".join(password.split()).replace("-", "").lower()
    return hashlib.sha256(canonical.encode()).hexdigest()


class AppPassword(UserSecret, Base):
    __tablename__ = "app_passwords"

    # A name the owner recognises ("iPhone", "Telefoon werk").
    name: Mapped[str] = mapped_column(String(100), default="")
    secret_hash: Mapped[str] = sha256_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when revoked (by its owner, a password change, "overal afmelden" or a restore).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
