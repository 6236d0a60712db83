"""Sessions held on the server (docs/security.md, finding 4).

The signed cookie carries ``<user id>:<session version>:<key>`` (``User.get_id``); only the
SHA-256 of the random key is stored, in ``user_sessions``. The user loader accepts a cookie only while its row has not ended, so signing
out (``POST /logout``), signing out everywhere, a password change (other sessions) and a restore
(every session) end it on the server: a copied cookie no longer opens anything.
Plain functions taking a Session; the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.models import User, UserSession


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    """A new server-side session for ``user``; returns the key the cookie carries."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, key_hash=_hash(key)))
    session.flush()
    user.session_key = key
    return key


def find_session(session: Session, user_id: int, key: str) -> UserSession | None:
    """The live session of ``user_id`` with this key, or None."""
    return session.scalar(select(UserSession).where(
        UserSession.key_hash == _hash(key), UserSession.user_id == user_id,
        UserSession.ended_at.is_(None)))


def user_of_session(session: Session, user_id: int, key: str) -> User | None:
    """The user ``user_id`` if this key is one of their live sessions, else None: the account
    and the session row in one statement (every signed-in request asks this)."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == user_id, UserSession.key_hash == _hash(key),
               UserSession.ended_at.is_(None))
        .limit(1))


def end_session(session: Session, user_id: int, key: str | None) -> int:
    """End the session with this key (sign-out)."""
    if not key:
        return 0
    result = session.execute(
        update(UserSession).where(UserSession.key_hash == _hash(key),
                                  UserSession.user_id == user_id,
                                  UserSession.ended_at.is_(None))
        .values(ended_at=utcnow()))
    return rowcount(result)


def end_sessions(session: Session, user_id: int | None = None, keep: str | None = None) -> int:
    """End every session of ``user_id`` (every user's when None), except the one with ``keep``."""
    query = update(UserSession).where(UserSession.ended_at.is_(None))
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if keep:
        query = query.where(UserSession.key_hash != _hash(keep))
    return rowcount(session.execute(query.values(ended_at=utcnow())))
