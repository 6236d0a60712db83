"""Creating, finding and revoking API tokens (plain functions taking a Session)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.models import ApiToken, User
from netwerk.models.api_token import hash_token, new_token


def create_token(session: Session, user: User) -> str:
    """Revoke the user's current tokens and return a new one (shown once; only its hash is kept)."""
    revoke_tokens(session, user)
    token = new_token()
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    session.flush()
    return token


def revoke_tokens(session: Session, user: User) -> int:
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return result.rowcount or 0


def active_token(session: Session, user: User) -> ApiToken | None:
    return session.scalar(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .order_by(ApiToken.id.desc())
    )


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a token belongs to (and note its use), or None."""
    if not token:
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token),
                               ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user
