"""Reads of the home page and the health check (no Flask)."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from netwerk.models import Organisation, Professional


def home_counts(session: Session) -> dict[str, int]:
    """How many active professionals and organisations the directory holds."""
    return {
        "professionals": session.scalar(
            select(func.count()).select_from(Professional).where(Professional.active)
        ) or 0,
        "organisations": session.scalar(select(func.count()).select_from(Organisation)) or 0,
    }


def database_answers(session: Session) -> bool:
    """True when the database answers a trivial query (the session is rolled back if not)."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        session.rollback()
        return False
    return True
