"""What every secret a user holds has in common: the API token, the app password and the
browser session are each stored only as a SHA-256 of the secret, in a row of that user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column

from netwerk.db import UTCDateTime, utcnow


class UserSecret:
    """The row's id, its user (the row goes when the user is deleted) and when it was made.
    The hash column keeps the name it has in its table (``sha256_column``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def sha256_column() -> MappedColumn[str]:
    """The secret's SHA-256 in hex: unique, since a secret is looked up by it."""
    return mapped_column(String(64), unique=True)
