"""Account writes: sign-in, changing one's password, signing out everywhere.

Each validates, changes, writes the audit entry and flushes; the view commits once and does
the Flask part (``login_user``/``logout_user``), so the CLI and the web are audited alike.
"""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from netwerk.api.tokens import revoke_tokens
from netwerk.audit import record
from netwerk.auth.passwords import check_password_strength
from netwerk.auth.sessions import end_session, end_sessions
from netwerk.carddav.passwords import revoke_app_passwords
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import User


@cache
def _dummy_hash() -> str:
    """A hash checked when the e-mail is unknown, so both paths cost the same time."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this e-mail and password (its sign-in recorded), else None.
    An unknown e-mail costs the same time as a wrong password."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        # Audited without the typed text (it may be a password typed in the wrong field).
        record(session, None, "login_failed", "user", None, known_account=False)
        session.flush()
        return None
    if not (user.active and user.check_password(password)):
        record(session, user.id, "login_failed", "user", user.id, known_account=True)
        session.flush()
        return None
    user.last_login_at = utcnow()
    record(session, user, "login", "user", user.id)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str, again: str) -> None:
    """Set a new password (other sessions end: the session version goes up); raises UserError
    naming the field ``current``, ``again`` or ``new``."""
    if not user.check_password(current):
        raise UserError(_("Huidig wachtwoord: dit klopt niet."), "current")
    if new != again:
        raise UserError(_("Nieuw wachtwoord nogmaals: de twee nieuwe wachtwoorden "
                          "zijn niet gelijk."), "again")
    if new == current:
        raise UserError(_("Nieuw wachtwoord: kies een ander wachtwoord dan het huidige."), "new")
    check_password_strength(new, user_inputs(user))
    user.set_password(new)  # bumps session_version
    # Every other session ends on the server, every API token and app password is revoked
    # (findings 4, 5).
    end_sessions(session, user.id, keep=user.session_key)
    revoked = revoke_tokens(session, user)
    apps = revoke_app_passwords(session, user)
    record(session, user, "password_change", "user", user.id, tokens_revoked=revoked,
           app_passwords_revoked=apps)
    session.flush()


def user_inputs(user: User) -> list[str]:
    """What zxcvbn must count as known for ``user``: e-mail and the person's name."""
    professional = getattr(user, "professional", None)
    return [user.email or "", getattr(professional, "name", "") or ""]


def sign_out_everywhere(session: Session, user: User) -> None:
    """End every session of this account (the session version goes up)."""
    user.session_version = (user.session_version or 0) + 1
    ended = end_sessions(session, user.id)
    revoked = revoke_tokens(session, user)
    apps = revoke_app_passwords(session, user)
    record(session, user, "sign_out_everywhere", "user", user.id, sessions_ended=ended,
           tokens_revoked=revoked, app_passwords_revoked=apps)
    session.flush()


def sign_out(session: Session, user: User) -> None:
    """End this session on the server: its cookie, copied or not, opens nothing any more."""
    end_session(session, user.id, user.session_key)
    record(session, user, "logout", "user", user.id)
    session.flush()
