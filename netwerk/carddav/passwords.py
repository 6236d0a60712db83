"""App passwords (plain functions taking a Session; the caller commits).

An app password is made, named and revoked by its owner on ``/account/apparaten`` or with
``netwerk create-app-password EMAIL``; only its hash is kept and it is shown once. It opens the
CardDAV address books and nothing else: the web sign-in refuses it (it is not the account's
password) and CardDAV refuses the account's password. A password change, "overal afmelden" and
a restore revoke every app password of the account (of everyone, for a restore).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk.audit import record
from netwerk.db import rowcount, utcnow
from netwerk.models import AppPassword, User
from netwerk.models.app_password import hash_app_password, new_app_password

NAME_MAX = 100
# last_used_at is written at most once per this interval: a sync is several requests.
TOUCH_INTERVAL = timedelta(minutes=5)


def create_app_password(session: Session, user: User, name: str = "") -> tuple[AppPassword, str]:
    """A new app password for ``user``: the row and the password (shown once, never stored)."""
    password = new_app_password()
    row = AppPassword(user_id=user.id, secret_hash=hash_app_password(password),
                      name=(name or "").strip()[:NAME_MAX] or "Telefoon", created_at=utcnow())
    session.add(row)
    session.flush()
    record(session, user.id, "app_password_created", "app_password", row.id, name=row.name)
    session.flush()
    return row, password


def revoke_app_passwords(session: Session, user: User | None = None,
                         password_id: int | None = None) -> int:
    """Revoke the app passwords of ``user`` (one when ``password_id`` is given; everyone's when
    no user); returns how many were revoked."""
    query = update(AppPassword).where(AppPassword.revoked_at.is_(None))
    if user is not None:
        query = query.where(AppPassword.user_id == user.id)
    if password_id is not None:
        query = query.where(AppPassword.id == password_id)
    return rowcount(session.execute(query.values(revoked_at=utcnow())))


def revoke_one(session: Session, user: User, password_id: int) -> bool:
    """Revoke one of ``user``'s own app passwords (another's id revokes nothing)."""
    if password_id is None:
        return False
    revoked = revoke_app_passwords(session, user, password_id)
    if revoked:
        record(session, user.id, "app_password_revoked", "app_password", password_id)
        session.flush()
    return bool(revoked)


def active_app_passwords(session: Session, user: User) -> list[AppPassword]:
    """The user's app passwords that still work, newest first."""
    return list(session.scalars(
        select(AppPassword).where(AppPassword.user_id == user.id,
                                  AppPassword.revoked_at.is_(None))
        .order_by(AppPassword.id.desc())))


def user_for_app_password(session: Session, email: str, password: str) -> User | None:
    """The active account with this e-mail that holds this live app password, noting its use;
    None for anything else (an unknown e-mail, the account's own password, a revoked one)."""
    if not email or not password:
        return None
    row = session.scalar(
        select(AppPassword).join(User, User.id == AppPassword.user_id)
        .where(User.email == email.strip().lower(),
               AppPassword.secret_hash == hash_app_password(password),
               AppPassword.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
        row.last_used_at = now
    return row.user
