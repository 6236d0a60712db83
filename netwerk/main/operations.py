"""Writes of the home capability: remembering which profiles a user opened (no Flask).

Validate, change, flush — never commit (the view commits).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.models import RecentlyOpened
from netwerk.models.recent import KEEP


def record_opened(session: Session, user, professional_id: int) -> None:
    """``user`` opened the profile of ``professional_id``: it moves to the top of their
    recently opened list; only the last ``KEEP`` are kept. One's own profile is not listed."""
    if user.professional_id == professional_id:
        return
    now = utcnow()
    moved = rowcount(session.execute(
        update(RecentlyOpened)
        .where(RecentlyOpened.user_id == user.id,
               RecentlyOpened.professional_id == professional_id)
        .values(opened_at=now)
        .execution_options(synchronize_session=False)
    ))
    if moved:
        return
    try:
        with session.begin_nested():
            session.add(RecentlyOpened(user_id=user.id, professional_id=professional_id,
                                       opened_at=now))
    except IntegrityError:
        return  # the same profile opened twice at once: the other request added it
    keep = (select(RecentlyOpened.id)
            .where(RecentlyOpened.user_id == user.id)
            .order_by(RecentlyOpened.opened_at.desc(), RecentlyOpened.id.desc())
            .limit(KEEP))
    session.execute(
        delete(RecentlyOpened)
        .where(RecentlyOpened.user_id == user.id, RecentlyOpened.id.not_in(keep.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    session.flush()
