"""Writing the audit log: every view and export of a case, sign-ins, and changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from netwerk.models import AuditEntry


def record(
    session: Session,
    user,
    action: str,
    object_type: str,
    object_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry to ``session`` (the caller commits with its own change).

    ``user`` is the acting account, or its id (operations that get only an id), or None."""
    user_id: int | None
    if isinstance(user, int) and not isinstance(user, bool):
        user_id = user
    else:
        user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    session.add(entry)
    return entry
