"""Creating, finding and revoking API tokens (plain functions taking a Session).

A token has a name, a lifetime (``API_TOKEN_LIFETIME_DAYS``, default 90) and a last-used date;
a password change, "overal afmelden" and a restore revoke a user's tokens (docs/security.md,
finding 5).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.models import ApiToken, User
from netwerk.models.api_token import hash_token, new_token

DEFAULT_LIFETIME_DAYS = 90
NAME_MAX = 100


def create_token(session: Session, user: User, name: str = "",
                 lifetime_days: int | None = None) -> str:
    """A new token for ``user`` (shown once; only its hash is kept), valid ``lifetime_days``."""
    days = DEFAULT_LIFETIME_DAYS if lifetime_days is None else lifetime_days
    token, now = new_token(), utcnow()
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=now,
                         name=(name or "").strip()[:NAME_MAX] or "API-token",
                         expires_at=now + timedelta(days=max(days, 1))))
    session.flush()
    return token


def revoke_tokens(session: Session, user: User | None = None, token_id: int | None = None) -> int:
    """Revoke the tokens of ``user`` (one when ``token_id`` is given; everyone's when no user)."""
    query = update(ApiToken).where(ApiToken.revoked.is_(False))
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    return rowcount(session.execute(query.values(revoked=True)))


def _live():
    return (ApiToken.revoked.is_(False),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()))


def active_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, *_live())
                                .order_by(ApiToken.id.desc())))


def active_token(session: Session, user: User) -> ApiToken | None:
    found = active_tokens(session, user)
    return found[0] if found else None


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, noting its use."""
    if not token:
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token), *_live())
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user
